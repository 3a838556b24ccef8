import { z } from 'zod';

/**
 * The Comparison document: what `parallax compare --json`, `parallax story --json` and
 * GET /api/v1/stories/:id/comparison return. This zod schema is the single definition;
 * docs/comparison-schema.json is generated from it (bench/_compare-schema.ts) and a test
 * checks that the two agree and that real output validates.
 */
export const COMPARISON_VERSION = 1;

const articleId = z.string().describe('article id (a + 16 hex digits)');
const sentenceIndex = z.number().int().nonnegative().describe('sentence index within its article');
const ref = z.object({ article: articleId, index: sentenceIndex });

export const comparisonSchema = z
  .object({
    version: z.literal(COMPARISON_VERSION),
    articles: z.array(
      z.object({
        id: articleId,
        articleId: articleId.describe('the same article id, under the name every command uses beside inputId'),
        inputId: z.string().describe('the id the user gave the article: its JSON Lines or API id, else its URL, else where it was read from (file, file:line)'),
        title: z.string().nullable(),
        outlet: z.string().nullable(),
        published: z.string().nullable().describe('ISO 8601 date or date-time'),
        credits: z.array(z.string()).describe('wire agencies credited (Reuters, AFP)'),
        source: z.string().describe('where the article was read from'),
        language: z.string().describe('ISO 639-1 code or und'),
        label: z.string().describe('short name used as a source tag in reports'),
      }),
    ),
    sentences: z.array(ref.extend({ text: z.string() })).describe('every sentence of every article'),
    facts: z
      .array(
        z.object({
          sentences: z.array(ref).min(2).describe('aligned sentences, ordered by article then index; an article may appear twice when its sentence is split'),
          relation: z.enum(['identical', 'paraphrase', 'partial']),
          score: z.number().min(0).max(1),
          articles: z.number().int().min(1).describe('number of distinct articles reporting the fact'),
        }),
      )
      .describe('groups of sentences that report the same content'),
    unique: z.record(articleId, z.array(sentenceIndex)).describe('for each article, sentences no other source reports'),
    quotes: z.array(
      z.object({
        text: z.string(),
        speaker: z.string().nullable(),
        occurrences: z.array(ref.extend({ marked: z.boolean().describe('written in quote marks'), speaker: z.string().nullable() })).min(1),
      }),
    ),
    figures: z.array(
      ref.extend({
        value: z.union([z.number(), z.string()]).describe('a number, or a date as YYYY-MM-DD (???? when the year is not given)'),
        unit: z.string().nullable(),
        kind: z.enum(['count', 'money', 'percent', 'date']),
        measure: z.string().describe('what is counted, with its time scope'),
        qualifier: z.string().nullable().describe('at least, more than, nearly...'),
        attribution: z.string().nullable().describe('who the article attributes the figure to'),
        text: z.string(),
      }),
    ),
    conflicts: z.array(
      z.object({
        measure: z.string(),
        unit: z.string().nullable(),
        values: z.array(ref.extend({ value: z.union([z.number(), z.string()]), qualifier: z.string().nullable(), attribution: z.string().nullable() })).min(2),
      }),
    ),
    brief: z
      .array(ref.extend({ text: z.string(), sources: z.array(articleId).min(1) }))
      .max(8)
      .describe('sentences taken from the most widely reported facts, in story order'),
    warnings: z.array(z.string()),
  })
  .describe('Parallax comparison of the articles of one story');

export type Comparison = z.infer<typeof comparisonSchema>;
export type ComparisonArticle = Comparison['articles'][number];

/** The JSON Schema (draft 2020-12) of the Comparison document, as published in docs/comparison-schema.json. */
export function comparisonJsonSchema(): Record<string, unknown> {
  return { $id: 'https://parallax.invalid/schemas/comparison-v1.json', title: 'Parallax comparison', ...z.toJSONSchema(comparisonSchema) };
}
