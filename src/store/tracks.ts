import { createError } from '../errors.js';

/**
 * Schema migrations by repository. The article store and each repository keep their own
 * append-only list of migrations (a SQLite list and a PostgreSQL twin with the same
 * versions), recorded per repository in table `repository_migrations`, so a stage's schema
 * changes without touching the others'.
 *
 * Databases made before the split have one track for everything (`schema_migrations`,
 * SQLite's `user_version`, versions 1 to LEGACY_LAST). A repository migration that does what
 * legacy migration N did says so (`legacy: N`); opening such a database records those as
 * applied, without running them, and runs the rest. The legacy track is then set to
 * SPLIT_MARK, which a Parallax from before the split reads as "newer than this Parallax" and
 * refuses, instead of running its own migrations over the tables that are there.
 */
export type RepositoryName = 'articles' | 'states' | 'reuse' | 'stories' | 'sources';

/** In the order they are migrated: a repository's migration may read the tables of one before it. */
export const REPOSITORIES: readonly RepositoryName[] = ['articles', 'states', 'reuse', 'stories', 'sources'];

/** The last version of the single track of databases made before the split. */
export const LEGACY_LAST = 6;
/** The single track's version from the split on: its tracks are in repository_migrations. */
export const SPLIT_MARK = 7;

export interface TrackMigration<Run> {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** the single-track migration that did the same, in databases made before the split */
  readonly legacy?: number;
  /** work SQL cannot express (values derived in code), run after `sql` in the same transaction */
  readonly run?: Run;
}

export type Tracks<Run> = Readonly<Record<RepositoryName, readonly TrackMigration<Run>[]>>;

export interface TrackPlan<Run> {
  readonly repository: RepositoryName;
  /** its version in the database (recorded, or what the legacy track implies) */
  readonly at: number;
  /** migrations done by the legacy track, to record without running */
  readonly adopt: readonly TrackMigration<Run>[];
  /** migrations to run */
  readonly apply: readonly TrackMigration<Run>[];
}

export function latest<Run>(track: readonly TrackMigration<Run>[]): number {
  return track[track.length - 1]?.version ?? 0;
}

/**
 * What opening a database must do, repository by repository. `legacy`: the single track's
 * version (0 for a new database); `recorded`: each repository's recorded version.
 * DB_INCOMPATIBLE for a database a newer Parallax migrated.
 */
export function planTracks<Run>(tracks: Tracks<Run>, legacy: number, recorded: ReadonlyMap<string, number>, label: string): TrackPlan<Run>[] {
  if (legacy > SPLIT_MARK) {
    throw createError('DB_INCOMPATIBLE', `store: ${label} has schema version ${legacy}, newer than this Parallax (${SPLIT_MARK}); upgrade Parallax`, { subject: label });
  }
  return REPOSITORIES.map((repository) => {
    const track = tracks[repository];
    const known = recorded.get(repository);
    if (known !== undefined && known > latest(track)) {
      throw createError('DB_INCOMPATIBLE', `store: ${label} has ${repository} schema version ${known}, newer than this Parallax (${latest(track)}); upgrade Parallax`, { subject: label });
    }
    // before the split, only the legacy track says what is there
    const adopt = known === undefined && legacy > 0 && legacy <= LEGACY_LAST ? track.filter((m) => m.legacy !== undefined && m.legacy <= legacy) : [];
    const at = known ?? (adopt.length > 0 ? adopt[adopt.length - 1]!.version : 0);
    return { repository, at, adopt, apply: track.filter((m) => m.version > at) };
  });
}

/** True when opening changes nothing. */
export function upToDate(plans: readonly TrackPlan<unknown>[], legacy: number): boolean {
  return legacy === SPLIT_MARK && plans.every((p) => p.adopt.length === 0 && p.apply.length === 0);
}
