type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/**
 * Keeps a feature's Dutch and English texts side by side; English must have exactly the Dutch keys (a
 * missing or extra key fails typecheck).
 *
 * @example
 * export const importMessages = defineMessages({ title: 'Importeren' }, { title: 'Import' });
 */
export function defineMessages<const T extends object>(nl: T, en: Widen<T>): { nl: T; en: Widen<T> } {
  return { nl, en };
}
