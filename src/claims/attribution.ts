/**
 * Who a sentence attributes its content to: the speaker of `..., X said`, `X said that
 * ...`, `according to X`. Speakers are noun phrases ("the Gaza health ministry", "a
 * source", "health ministry spokesman Ashraf Al-Qidra", "Two Palestinian officials").
 */
const SAY = '(?:said|says|say|told|stated|added|announced|reported|reports|confirmed|warned|claimed|insisted|noted|explained|declared|wrote|tweeted)';
const NP = "((?:[A-Z][\\w'.-]*|the|a|an|two|three|four|several|many|some|its|his|her|their|one|[a-z][\\w'-]*)(?:[ ,-](?:[A-Z][\\w'.-]*|of|the|for|and|in|[a-z][\\w'-]*)){0,8}?)";
const TIME = '(?:\\s+(?:on\\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|earlier|later|yesterday|today|last week|on Friday|in a statement|in a press release))?';

// ", the Gaza health ministry said Friday." / ", said the Hamas official." at the end
const TRAILING = new RegExp(`,["']?\\s*(?:${NP}\\s+${SAY}|${SAY}\\s+${NP})${TIME}\\s*[.!]?["']?$`);
// "The Gaza health ministry said earlier that ..." at the start
const LEADING = new RegExp(`^${NP}\\s+${SAY}${TIME}(?:\\s+that)?\\s+(?=[a-z0-9"'A-Z])`);
const ACCORDING = /according to ((?:the |a )?[\w' .-]{2,80}?)(?=[,.;]|$)/i;

const VAGUE_HEADS = /^(it|this|that|he|she|they|we|i|you|there)$/i;

function clean(np: string): string | null {
  const s = np.trim().replace(/\s+/g, ' ').replace(/[,;:]$/, '');
  if (s === '' || VAGUE_HEADS.test(s) || s.split(' ').length > 9) return null;
  return s;
}

export interface Attribution {
  readonly speaker: string;
  /** where in the sentence the attribution clause starts */
  readonly at: number;
  readonly form: 'trailing' | 'leading' | 'according';
}

export function findAttribution(sentence: string): Attribution | null {
  const t = TRAILING.exec(sentence);
  if (t) {
    const speaker = clean(t[1] ?? t[2] ?? '');
    if (speaker) return { speaker, at: t.index, form: 'trailing' };
  }
  const l = LEADING.exec(sentence);
  if (l) {
    const speaker = clean(l[1] ?? '');
    if (speaker && !/^(?:but|and|so|if|when|as)\b/i.test(speaker)) return { speaker, at: 0, form: 'leading' };
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
