import { mulberry32 } from '../../src/dedup/hash.js';

/**
 * Seeded synthetic reprints of real articles, for tests and the quality benchmark: the
 * kinds of copying news sees, each with a known relation to its source.
 */
export type VariantKind = 'exact' | 'boilerplate' | 'edited' | 'truncated' | 'reordered' | 'embedded';

const HEADERS = ['(MENAFN- Example Times) ', 'By Staff Writer\n', 'Updated 2 hours ago\n', 'Share this story\n'];
const FOOTERS = ['\nCopyright 2024 Example Media. All rights reserved.', '\nRead more: more stories at example.com', '\nFollow us on social media for updates.', '\n(With inputs from agencies)'];
const FILLER = ['local', 'officials', 'reported', 'later', 'the', 'region', 'on', 'Monday', 'new', 'statement', 'residents', 'said', 'according', 'sources'];

export function makeVariant(text: string, kind: VariantKind, rng: () => number, options: { editRate?: number; host?: string } = {}): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  switch (kind) {
    case 'exact':
      return text;
    case 'boilerplate':
      return `${pick(HEADERS)}${text}${pick(FOOTERS)}`;
    case 'edited': {
      const rate = options.editRate ?? 0.1;
      const words = text.split(' ');
      for (let i = 0; i < words.length; i++) {
        const r = rng();
        if (r < rate / 3) words[i] = pick(FILLER);
        else if (r < (2 * rate) / 3) words[i] = '';
        else if (r < rate) words[i] = `${words[i]} ${pick(FILLER)}`;
      }
      return words.filter((w) => w !== '').join(' ');
    }
    case 'truncated': {
      const lines = text.split('\n');
      return lines.slice(0, Math.max(1, Math.ceil(lines.length * (0.55 + rng() * 0.3)))).join('\n');
    }
    case 'reordered': {
      const lines = text.split('\n');
      for (let i = lines.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return lines.join('\n');
    }
    case 'embedded': {
      const host = (options.host ?? '').split('\n');
      const at = Math.floor(rng() * (host.length + 1));
      return [...host.slice(0, at), text, ...host.slice(at)].join('\n');
    }
  }
}

export { mulberry32 };
