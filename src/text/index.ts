export { normaliseText, normaliseInline } from './normalise.js';
export { splitSentences } from './sentences.js';
export { tokenize, tokenNorm, stem, isStopword, FLAG_NUMBER, FLAG_CAPITALISED, FLAG_STOPWORD, FLAG_SENTENCE_START } from './tokens.js';
export type { TokenTable, Token } from './tokens.js';
export { analyse } from './analyse.js';
export type { Analysis } from './analyse.js';
export { detectLanguage } from './language.js';
export { STOPWORDS } from './stopwords.js';
