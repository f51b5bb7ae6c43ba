import { acknowledgementsMessages } from '../features/acknowledgements/acknowledgements.messages.js';
import { mailingsMessages } from '../features/mailings/mailings.messages.js';

/** Dutch texts: the reference shape; en.ts must have exactly the same keys (checked by its type). */
export const nl = {
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
  mailings: mailingsMessages.nl,
  acknowledgements: acknowledgementsMessages.nl,
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language file must have. */
export type Messages = Widen<typeof nl>;
