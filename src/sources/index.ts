export type { Source, NewSource, SourceKind, FeedFormat, FollowMode, PollRecord, SeenItem, SeenStatus } from './types.js';
export type { SourceRepository } from '../store/sources.js';
export { Poller, type PollReport, type PollerOptions } from './poller.js';
export { addSources, resolveSource, type AddResult, type ResolvedSource } from './add.js';
export { parseFeedDocument, discoverFeeds, type ParsedFeed, type FeedEntry } from './parse.js';
export { parseOpml, toOpml } from './opml.js';
export { parseInterval, formatInterval } from './schedule.js';
