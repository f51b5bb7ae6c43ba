import type { Lang } from '@consent-mailer/policy/vocabulary';
import { useTranslation } from 'react-i18next';

/**
 * The user's language as the api takes it (`lang`), so assessments and acknowledgements come back in it.
 *
 * @example
 * const lang = useUiLanguage(); // 'nl'
 */
export function useUiLanguage(): Lang {
  const { i18n } = useTranslation();
  return i18n.language.startsWith('nl') ? 'nl' : 'en';
}

/**
 * A date and time in the user's language, or a dash when there is none.
 *
 * @example
 * formatDateTime('2026-11-28T10:00:00Z', 'nl'); // '28 nov 2026, 11:00'
 */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}
