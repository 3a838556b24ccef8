export * from './ids.js';
export * from './article.js';
export * from './reuse.js';
