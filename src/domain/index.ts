export * from './ids.js';
export * from './article.js';
