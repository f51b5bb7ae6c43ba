import type { Messages } from './nl.js';

// Typed keys: t('nav.contacts') is checked at compile time, so a missing text fails typecheck.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
