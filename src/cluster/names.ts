/**
 * Name links, for a stream of events of one kind (shootings, fires, crashes): reports of one
 * event share its time and its people; reports of two events share neither, though they share
 * the city and the vocabulary. So a story's similarity is discounted over time (an event's
 * reports come in its first days, see decay in online.ts), and this is the way back for the
 * reports that come months later (the arrest, the trial, the sentence): an article that reaches
 * no story in time joins the story it shares at least `need` rare names of two or more words
 * with (a victim's, a suspect's, a street's), provided it is as similar as a join asks for
 * without the time discount. Common names (a city, a police department, an outlet's
 * reporter) are not rare and do not count.
 */
export interface NameLink {
  readonly story: number;
  readonly similarity: number;
  /** feature ids of the shared rare names */
  readonly names: number[];
}

/**
 * The candidate story sharing at least `need` rare names with the article's names `names`
 * (feature id -> weight) whose undiscounted similarity (`similarity`) is highest and reaches
 * `threshold`; null when none does. Candidates in ascending order, ties to the first.
 */
export function nameLink<S extends { readonly centroid: readonly [Map<number, number>, Map<number, number>, Map<number, number>] }>(
  names: ReadonlyMap<number, number>,
  candidates: Iterable<number>,
  storyOf: (index: number) => S | undefined,
  rare: (id: number) => boolean,
  need: number,
  similarity: (s: S) => number,
  threshold: number,
  person: (id: number) => boolean = () => true,
): NameLink | null {
  const mine: number[] = [];
  for (const id of names.keys()) if (rare(id)) mine.push(id);
  if (mine.length < need) return null;
  let out: NameLink | null = null;
  for (const index of [...candidates].sort((a, b) => a - b)) {
    const s = storyOf(index);
    if (!s) continue;
    const shared = mine.filter((id) => s.centroid[1].has(id));
    // places alone do not link: every later event in the neighbourhood shares them
    if (shared.length < need || !shared.some(person)) continue;
    const sim = similarity(s);
    if (sim >= threshold && (!out || sim > out.similarity)) out = { story: index, similarity: sim, names: shared };
  }
  return out;
}
