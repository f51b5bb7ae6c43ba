import { acknowledgementsMessages } from '../features/acknowledgements/acknowledgements.messages.js';
import { mailingsMessages } from '../features/mailings/mailings.messages.js';
import type { Messages } from './nl.js';

/** English texts: same keys as nl.ts (the type enforces it). */
export const en: Messages = {
  app: {
    name: 'Consent Mailer',
    loading: 'Loading…',
    retry: 'Try again',
    error: 'Something went wrong',
    skipToContent: 'Skip to content',
  },
  nav: {
    label: 'Main menu',
    dashboard: 'Overview',
    contacts: 'Contacts',
    import: 'Import',
    mailings: 'Mailings',
    acknowledgements: 'Acknowledgements',
    settings: 'Settings',
  },
  status: {
    database: 'Database',
    ok: 'Database healthy',
    path: 'File',
    host: 'Running as',
    hostElectron: 'Desktop app',
    hostBrowser: 'Browser (local)',
  },
  startup: {
    title: 'The database could not be opened',
    whatToDo: 'What can you do?',
    details: 'Technical details',
    file: 'Database file',
  },
  language: {
    label: 'Language',
    nl: 'Nederlands',
    en: 'English',
  },
  mailings: mailingsMessages.en,
  acknowledgements: acknowledgementsMessages.en,
};
