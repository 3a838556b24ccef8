/**
 * The cluster stage's saved state (stage state `cluster`) rewritten as the releases before
 * story ids moved into the clusterer's state wrote it: stage format 5 (4 without `through`),
 * the clusterer's state in format 5, each story's id beside it as [story index, id], the
 * locked stories as a list of indexes, and the merges as index pairs (kept then only to
 * resolve a story index, which nothing outside the clusterer does now: left empty here).
 */
export function asPreviousRelease(data: Uint8Array, format: 4 | 5 = 5): Buffer {
  const state = JSON.parse(Buffer.from(data).toString('utf8')) as {
    clusterer: { version: number; stories: { index: number; id: string; locked?: true }[] } & Record<string, unknown>;
    through: string | null;
  };
  const { clusterer, through } = state;
  const storyIds = clusterer.stories.map((st) => [st.index, st.id]);
  const locked = clusterer.stories.filter((st) => st.locked).map((st) => st.index);
  const stories = clusterer.stories.map(({ id: _id, locked: _locked, ...st }) => st);
  const old = { clusterer: { ...clusterer, version: 5, merges: [], ...(locked.length > 0 ? { locked } : {}), stories }, storyIds, ...(format === 5 ? { through } : {}) };
  return Buffer.from(JSON.stringify(old));
}
