/** Legal forms and words that only organisations carry in their name (Dutch, Belgian, German, English). */
const COMPANY_WORDS = new Set([
  'bv',
  'nv',
  'vof',
  'cv',
  'bvba',
  'bvbvba',
  'srl',
  'sprl',
  'gmbh',
  'ag',
  'ltd',
  'llc',
  'inc',
  'plc',
  'holding',
  'stichting',
  'vereniging',
  'cooperatie',
  'ua',
  'maatschap',
  'groep',
  'group',
  'bedrijf',
  'installatietechniek',
  'zn',
  'zonen',
]);

/**
 * True when a name is an organisation's ("Van den Berg Installatietechniek B.V.", "Stichting De Brug",
 * "Jansen & Zn."), so it is never split into a first and a last name (which would greet "Hallo Van").
 *
 * @example
 * looksLikeCompany('Van den Berg B.V.'); // true
 * looksLikeCompany('Jan van den Berg');  // false
 */
export function looksLikeCompany(name: string): boolean {
  if (name.includes('&')) return true;
  for (const token of name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/\s+/)) {
    const word = token.replace(/[^a-z]/g, '');
    if (word !== '' && COMPANY_WORDS.has(word)) return true;
  }
  return false;
}
