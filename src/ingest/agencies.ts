/**
 * Wire agencies and syndicators, with the names they appear under. The value we store is
 * the canonical short name. Kept as data so new agencies are one line.
 */
export const AGENCIES: ReadonlyArray<{ name: string; aliases: readonly string[] }> = [
  { name: 'Reuters', aliases: ['Reuters', 'Thomson Reuters'] },
  { name: 'AP', aliases: ['AP', 'Associated Press', 'The Associated Press'] },
  { name: 'AFP', aliases: ['AFP', 'Agence France-Presse', 'Agence France Presse'] },
  { name: 'Bloomberg', aliases: ['Bloomberg'] },
  { name: 'dpa', aliases: ['dpa', 'DPA', 'Deutsche Presse-Agentur'] },
  { name: 'Xinhua', aliases: ['Xinhua'] },
  { name: 'ANI', aliases: ['ANI'] },
  { name: 'PTI', aliases: ['PTI', 'Press Trust of India'] },
  { name: 'IANS', aliases: ['IANS'] },
  { name: 'UPI', aliases: ['UPI', 'United Press International'] },
  { name: 'Kyodo', aliases: ['Kyodo', 'Kyodo News'] },
  { name: 'Yonhap', aliases: ['Yonhap'] },
  { name: 'TASS', aliases: ['TASS'] },
  { name: 'EFE', aliases: ['EFE'] },
  { name: 'ANSA', aliases: ['ANSA'] },
  { name: 'Anadolu', aliases: ['Anadolu', 'Anadolu Agency'] },
  { name: 'WAM', aliases: ['WAM'] },
  { name: 'QNA', aliases: ['QNA'] },
  { name: 'KUNA', aliases: ['KUNA'] },
  { name: 'Bernama', aliases: ['Bernama'] },
  { name: 'CNA', aliases: ['CNA'] },
  { name: 'PA', aliases: ['PA Media', 'Press Association'] },
  { name: 'CP', aliases: ['The Canadian Press', 'Canadian Press'] },
  { name: 'AAP', aliases: ['AAP', 'Australian Associated Press'] },
  { name: 'Agencies', aliases: ['Agencies', 'agencies', 'Wire services', 'wire services', 'News agencies'] },
];

export const SYNDICATORS: readonly string[] = ['MENAFN', 'Yahoo News', 'MSN', 'NewsBreak', 'PR Newswire', 'Business Wire', 'GlobeNewswire', 'Mid-East.Info'];

const aliasToName = new Map<string, string>();
for (const a of AGENCIES) for (const alias of a.aliases) aliasToName.set(alias, a.name);

export function agencyName(alias: string): string | undefined {
  return aliasToName.get(alias.trim());
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Alternation of every alias, longest first so "Associated Press" wins over "AP". */
export const AGENCY_ALTERNATION = [...aliasToName.keys()]
  .sort((a, b) => b.length - a.length)
  .map(escapeRe)
  .join('|');
