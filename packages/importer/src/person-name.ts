/**
 * Legal forms and words that only organisations carry in their name (Dutch, Belgian, German, English), as
 * whole words, dots allowed ("B.V.", "b.v", "BV"). One precompiled test: it runs for every imported row.
 */
const COMPANY_NAME =
  /(?:^|[^\p{L}])(?:b\.?\s?v\.?\s?b?\.?\s?a?|n\.?\s?v|v\.?\s?o\.?\s?f|c\.?\s?v|gmbh|ag|ltd|llc|inc|plc|holding|stichting|vereniging|co[öo]peratie|u\.?\s?a|maatschap|groep|group|installatietechniek|zn|zonen)\.?(?=$|[^\p{L}])|&/iu;

/**
 * True when a name is an organisation's ("Van den Berg Installatietechniek B.V.", "Stichting De Brug",
 * "Jansen & Zn."), so it is never split into a first and a last name (which would greet "Hallo Van").
 *
 * @example
 * looksLikeCompany('Van den Berg B.V.'); // true
 * looksLikeCompany('Jan van den Berg');  // false
 */
export function looksLikeCompany(name: string): boolean {
  return COMPANY_NAME.test(name);
}
