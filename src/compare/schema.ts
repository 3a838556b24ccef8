// The Comparison document is part of the API contract; compare/ produces it.
export { comparisonSchema, comparisonJsonSchema, COMPARISON_VERSION } from '../contract/comparison.js';
export type { Comparison, ComparisonArticle } from '../contract/comparison.js';
