export { Engine } from './engine.js';
export type { EngineOptions, IngestReport, IngestOutcome, IngestFailure, IngestOptions, ProgressEvent } from './engine.js';
export type { Stage, ChangedArticle, PendingBatch } from '../stages/stage.js';
export { Emitter } from './events.js';
export type { EngineEvents } from './events.js';
