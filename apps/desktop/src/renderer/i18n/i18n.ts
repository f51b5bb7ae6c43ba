import type { Lang } from '@consent-mailer/policy/vocabulary';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { nl } from './nl.js';
const STORAGE_KEY = 'consent-mailer.language';

/**
 * The language to start in: the user's saved choice, else Dutch on a Dutch (or Flemish) system, else English.
 *
 * @example
 * initialLanguage(['nl-NL', 'en-US'], null); // 'nl'
 */
export function initialLanguage(systemLanguages: readonly string[], saved: string | null): Lang {
  if (saved === 'nl' || saved === 'en') return saved;
  return systemLanguages.some((language) => language.toLowerCase().startsWith('nl')) ? 'nl' : 'en';
}

/** Starts i18next with both languages bundled (no network: the CSP allows none and the app is offline). */
export function initI18n(): void {
  void i18next.use(initReactI18next).init({
    resources: { nl: { translation: nl }, en: { translation: en } },
    lng: initialLanguage(navigator.languages, window.localStorage.getItem(STORAGE_KEY)),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
  });
  document.documentElement.lang = i18next.language;
}

/** Switches the language and remembers it for the next start. */
export function changeLanguage(language: Lang): void {
  window.localStorage.setItem(STORAGE_KEY, language);
  void i18next.changeLanguage(language);
}
