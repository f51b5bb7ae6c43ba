/** The languages the product speaks. */
export const LANGS = ['nl', 'en'] as const;
export type Lang = (typeof LANGS)[number];
