import { defineMessages } from './define-messages.js';

/** Texts of the shell itself; each feature keeps its own in features/<name>/<name>.messages.ts. */
export const coreMessages = defineMessages(
  {
  app: {
    name: 'Consent Mailer',
    loading: 'Bezig met laden…',
    retry: 'Opnieuw proberen',
    error: 'Er ging iets mis',
    skipToContent: 'Naar de inhoud',
  },
  nav: {
    label: 'Hoofdmenu',
    dashboard: 'Overzicht',
    contacts: 'Contacten',
    import: 'Importeren',
    mailings: 'Mailings',
    acknowledgements: 'Verklaringen',
    settings: 'Instellingen',
  },
  status: {
    database: 'Database',
    ok: 'Database in orde',
    path: 'Bestand',
    host: 'Omgeving',
    hostElectron: 'Desktop-app',
    hostBrowser: 'Browser (lokaal)',
  },
  startup: {
    title: 'De database kon niet worden geopend',
    whatToDo: 'Wat kun je doen?',
    details: 'Technische details',
    file: 'Databasebestand',
  },
  language: {
    label: 'Taal',
    nl: 'Nederlands',
    en: 'English',
  },
},
  {
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
},
);
