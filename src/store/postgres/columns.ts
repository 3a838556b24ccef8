/** The columns of an article summary (rows.ts SummaryRow), over `articles a`, with its story. */
export const SUMMARY_COLUMNS = `a.id, a.version, a.title, a.url, a.external_id, a.outlet, a.published, a.language, a.fetched_at, a.source,
  (SELECT sm.story_id FROM story_members sm WHERE sm.article_id = a.id) AS story_id,
  json_array_length(a.sentences::json) / 2 AS sentence_count`;
