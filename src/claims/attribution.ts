/**
 * Who a sentence attributes its content to: the speaker of `..., X said`, `X said that
 * ...`, `according to X`. Speakers are noun phrases ("the Gaza health ministry", "a
 * source", "health ministry spokesman Ashraf Al-Qidra", "Two Palestinian officials").
 */
const SAY =
  '(?:said|says|say|told|tells|stated|added|adds|announced|reported|reports|confirmed|warned|claimed|insisted|noted|explained|declared|wrote|tweeted|argued|asked|replied|responded|recalled|admitted|acknowledged|stressed|testified|posted|joked|quipped|continued|agreed|suggested|conceded|cautioned)';
const NP = "((?:[A-Z][\\w'.-]*|the|a|an|two|three|four|several|many|some|its|his|her|their|one|[a-z][\\w'-]*)(?:[ ,-](?:[A-Z][\\w'.-]*|of|the|for|and|in|[a-z][\\w'-]*)){0,8}?)";
const TIME = '(?:\\s+(?:on\\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|earlier|later|yesterday|today|last week|on Friday|in a statement|in a press release))?';

// what may follow "X said" at the end of a sentence: a time, a setting ("in a statement",
// "after a prosecutor objected"), or who was told ("the magazine exclusively", "E!")
const TAIL = `(?:${TIME.slice(0, -1)}|\\s+(?:in|to|on|at|during|after|before|while|from|with|via|for|adding|citing|as)\\b[^"]{0,100}?|\\s+(?:the|a|an|his|her|their|reporters|journalists|[A-Z][\\w!'.-]*)(?:\\s+[^\\s,"]+){0,6}?)?`;

// ", the Gaza health ministry said Friday." / ", said the Hamas official." at the end
// (detokenised text puts a space before the closing quote: `decision, "a friend said`)
const TRAILING = new RegExp(`,\\s?["']?\\s*(?:${NP}\\s+${SAY}${TAIL}|${SAY}\\s+${NP}${TIME}(?:,\\s[^,"]{0,80})?)\\s*[.!]?["']?$`);
// "When asked ..., the Taradise star said, "I've done ..." : a speaker introducing a quote mid-sentence
const BEFORE_QUOTE = new RegExp(`(?:^|[,;]\\s+)${NP}\\s+${SAY}(?:\\s+[a-z]+){0,3}?[,:]\\s*["']`);
// "The Gaza health ministry said earlier that ..." at the start
const LEADING = new RegExp(`^${NP}\\s+${SAY}${TIME}(?:\\s+that)?\\s+(?=[a-z0-9"'A-Z])`);
const ACCORDING = /according to ((?:the |a )?[\w' .-]{2,80}?)(?=[,.;]|$)/i;

const VAGUE_HEADS = /^(it|this|that|he|she|they|we|i|you|there)$/i;

function clean(np: string): string | null {
  const s = np
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[,;:.]+$/, '');
  if (s === '' || VAGUE_HEADS.test(s) || s.split(' ').length > 9) return null;
  // "The Gaza health ministry said" at a sentence start is "the Gaza health ministry"
  return s.replace(/^(The|A|An)\b/, (w) => w.toLowerCase());
}

export interface Attribution {
  readonly speaker: string;
  /** where in the sentence the attribution clause starts */
  readonly at: number;
  readonly form: 'trailing' | 'leading' | 'according';
  /** the speaker is a personal pronoun (he, she, they), to be resolved from context */
  readonly pronoun?: boolean;
}

const PERSONAL = /^(he|she|they)$/i;

/**
 * The longest sentence the claim readers look at. Their patterns (noun phrases, optional
 * tails) backtrack more than linearly on runs of initials or numbers ("A. A. A. ..." that the
 * splitter keeps as one sentence took seconds at 40,000 characters); a news sentence is far
 * shorter, and a longer one is a table, a list or noise, not a claim. Bounding the input
 * bounds the time.
 */
export const MAX_CLAIM_SENTENCE = 1000;

export function findAttribution(sentence: string): Attribution | null {
  if (sentence.length > MAX_CLAIM_SENTENCE) return null;
  const t = TRAILING.exec(sentence);
  if (t) {
    const raw = (t[1] ?? t[2] ?? '').trim();
    if (PERSONAL.test(raw)) return { speaker: raw.toLowerCase(), at: t.index, form: 'trailing', pronoun: true };
    const speaker = clean(raw);
    if (speaker) return { speaker, at: t.index, form: 'trailing' };
  }
  const l = LEADING.exec(sentence);
  if (l) {
    const speaker = clean(l[1] ?? '');
    if (speaker && !/^(?:but|and|so|if|when|as)\b/i.test(speaker)) return { speaker, at: 0, form: 'leading' };
  }
  // the unanchored pattern is costly: only where a quote opens after "said," or "said:"
  const q = /[,:]\s*["']/.test(sentence) ? BEFORE_QUOTE.exec(sentence) : null;
  if (q) {
    const raw = (q[1] ?? '').trim();
    if (PERSONAL.test(raw)) return { speaker: raw.toLowerCase(), at: q.index, form: 'leading', pronoun: true };
    const speaker = clean(raw);
    if (speaker && !/^(?:but|and|so|if|when|as)\b/i.test(speaker)) return { speaker, at: q.index, form: 'leading' };
  }
  const a = ACCORDING.exec(sentence);
  if (a) {
    const speaker = clean(a[1] ?? '');
    if (speaker) return { speaker, at: a.index, form: 'according' };
  }
  return null;
}

/** A speaker key for matching across sources: lower case, no article or title words. */
export function speakerKey(speaker: string): string {
  return speaker
    .toLowerCase()
    .replace(/^(the|a|an)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
