/**
 * Parallax as a library: the same engine, stages and algorithms the CLI and the server run.
 *
 * ```ts
 * import { openEngine, openStore } from 'parallax-news';
 *
 * const store = openStore('news.db'); // SQLite, created if missing
 * const engine = openEngine(store);   // reprint detection, then story assignment
 * await engine.ingest(['examples/articles']);
 * const { items } = await store.stories.list({ limit: 10, sort: 'largest' });
 * await engine.close();               // also closes the store
 * ```
 *
 * The algorithms are pure and need no store: `clusterStream` (stories of a stream of
 * articles), `Deduplicator` (reprints and reuse), `compareArticles` (what sources agree on,
 * add, quote and cite differently), `scoreClustering` (B-cubed and the rest).
 */
export { Engine, Emitter } from './engine/index.js';
export type { EngineOptions, EngineEvents, IngestOptions, IngestReport, IngestOutcome, IngestFailure, ProgressEvent, Stage, ChangedArticle, PendingBatch } from './engine/index.js';
// the default pipeline, and its stages for a custom one (`new Engine({ store, stages })`)
export { openEngine, STAGE_FACTORIES } from './engine/pipeline.js';
export { DedupStage } from './stages/dedup.js';
export { ClusterStage } from './stages/cluster.js';

export { openStore, SqliteStore } from './store/index.js';
export type { Store, ArticleStore, UnitOfWork, SqliteOptions, ArticleQuery, ArticleSummary, SearchHit, PutOutcome, PutStatus, StageState } from './store/index.js';
export type { StoryRepository, StoryQuery, StorySummary, ReuseRepository, StateRepository } from './store/index.js';
export { MemoryStore } from './store/index.js';

export type { Article, ArticleMeta, ArticleVersion, ArticleId, StoryId, ReuseLink, ReuseClass, Passage, Span } from './domain/index.js';

export { inputIdOf } from './domain/input-id.js';
export { buildArticle } from './ingest/build.js';
export type { BuildOptions } from './ingest/build.js';
export { BUILT_IN_OUTLETS, OutletNames, originalUrl, parseOutletFile } from './ingest/outlets.js';
export type { OutletEntry } from './ingest/outlets.js';
export { parseJsonlLine } from './ingest/jsonl.js';
export type { Draft } from './ingest/draft.js';
export type { InputItem, ReadOptions } from './ingest/read.js';

export { clusterStream, OnlineClusterer, StoryTracker, DEFAULT_CLUSTER_PARAMS } from './cluster/online.js';
export type { ClusterParams, Assignment, Moved, ClusterState } from './cluster/online.js';
export { clusterInputOf } from './cluster/features.js';
export type { ClusterInput, Features } from './cluster/features.js';

export { Deduplicator } from './dedup/deduplicator.js';
export { dedupDoc } from './stages/dedup.js';
export type { DedupDoc } from './dedup/detect.js';

export { compareArticles, renderComparison, COMPARISON_VERSION } from './compare/index.js';
export type { Comparison, ComparisonArticle, CompareOptions } from './compare/index.js';
export type { RenderOptions } from './compare/render.js';

export { scoreClustering } from './eval/metrics.js';
export type { ClusterScores } from './eval/metrics.js';

export { ParallaxError, isParallaxError, ERROR_CODES } from './errors.js';
export type { ErrorCode } from './errors.js';

// live sources: the repository beside the store, and the poller `parallax watch` runs
export { Poller, addSources, parseFeedDocument, discoverFeeds, parseOpml, toOpml } from './sources/index.js';
export type { Source, SourceRepository, PollReport, FeedFormat, FollowMode } from './sources/index.js';
