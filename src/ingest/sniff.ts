/** Content types Parallax reads, decided from content first and the name second. */
export type InputKind = 'html' | 'feed' | 'jsonl' | 'text';

/**
 * Decides the kind of a decoded input from its first characters: markup with `<rss`,
 * `<feed` or `<rdf:RDF` is a feed, other markup with html/body/head/doctype is HTML, a
 * first non-empty line that is a JSON object is JSON Lines, everything else is text.
 * The file extension or HTTP content type only breaks ties.
 */
export function sniffKind(text: string, hint?: string | null): InputKind {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('<')) {
    const lower = trimmed.slice(0, 2048).toLowerCase();
    if (/<rss[\s>]|<feed[\s>]|<rdf:rdf[\s>]/.test(lower)) return 'feed';
    if (/<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]|<div[\s>]|<p[\s>]/.test(lower)) return 'html';
    if (lower.startsWith('<?xml')) return 'feed'; // XML but not a recognised feed: the feed reader says why
    return 'html';
  }
  if (trimmed.startsWith('{')) {
    const firstLine = trimmed.split('\n', 1)[0] ?? '';
    try {
      const v: unknown = JSON.parse(firstLine);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return 'jsonl';
    } catch {
      if (hint && /\.jsonl?$|json/i.test(hint)) return 'jsonl';
    }
  }
  if (hint) {
    if (/\.(jsonl|ndjson)$|ndjson|jsonl/i.test(hint)) return 'jsonl';
    if (/\.(rss|atom)$|rss\+xml|atom\+xml/i.test(hint)) return 'feed';
    if (/\.x?html?$|text\/html/i.test(hint)) return 'html';
  }
  return 'text';
}
