export { compareArticles } from './compare.js';
export type { CompareOptions } from './compare.js';
export type { PreparedArticle } from './prepared.js';
export { selectBrief } from './brief.js';
export type { BriefItem } from './brief.js';
export { comparisonSchema, comparisonJsonSchema, COMPARISON_VERSION } from '../contract/comparison.js';
export type { Comparison, ComparisonArticle } from '../contract/comparison.js';
export { renderComparison } from './render.js';
