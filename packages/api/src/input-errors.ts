import type { LocalizedText, Lang } from '@consent-mailer/policy';
import type { z, ZodError } from 'zod';
import { en as englishLocale, nl as dutchLocale } from 'zod/locales';

/**
 * The Dutch of the api's own validation messages (the schemas say them in English, once). A message missing
 * here is shown in English in both languages: add it when you add a schema message.
 */
const DUTCH_MESSAGES: Readonly<Record<string, string>> = {
  'a KvK number has 8 digits': 'een KvK-nummer heeft 8 cijfers',
  'a VAT number such as NL001234567B01': 'een btw-nummer zoals NL001234567B01',
  'use lower-case letters, digits and dashes': 'gebruik kleine letters, cijfers en streepjes',
  'letters, digits, - and _': 'letters, cijfers, - en _',
  'must be one line': 'moet op één regel',
  'a domain such as gmail.com': 'een domein zoals gmail.com',
  'a sha256 hex digest': 'een sha256-hash (64 hexadecimale tekens)',
  'a sha256 hex digest (64 lower-case hex characters)':
    'een sha256-hash (64 hexadecimale tekens, kleine letters)',
  'a PNG data URL (data:image/png;base64,…)': 'een PNG-afbeelding als data-URL (data:image/png;base64,…)',
  'the data is not a PNG image': 'de gegevens zijn geen PNG-afbeelding',
  'expected SEQ:HASH, e.g. 42:3f1c… (64 hex characters)':
    'verwacht VOLGNUMMER:HASH, bijvoorbeeld 42:3f1c… (64 hexadecimale tekens)',
  'must be an absolute path': 'moet een volledig pad zijn',
  'a key fingerprint: sha256: followed by 64 hexadecimal characters':
    'een sleutelvingerafdruk: sha256: gevolgd door 64 hexadecimale tekens',
  'a date like 2026-11-28': 'een datum zoals 2026-11-28',
};

/** Field names as the forms label them; a field not listed is named by its input name. */
const FIELD_LABELS: Readonly<Record<string, LocalizedText>> = {
  legalName: { en: 'Legal name', nl: 'Statutaire naam' },
  tradeName: { en: 'Trade name', nl: 'Handelsnaam' },
  postalAddress: { en: 'Postal address', nl: 'Postadres' },
  contactEmail: { en: 'Contact e-mail address', nl: 'E-mailadres voor contact' },
  kvkNumber: { en: 'KvK number', nl: 'KvK-nummer' },
  vatNumber: { en: 'VAT number', nl: 'Btw-nummer' },
  website: { en: 'Website', nl: 'Website' },
  unsubscribeUrl: { en: 'Unsubscribe page', nl: 'Afmeldpagina' },
  name: { en: 'Name', nl: 'Naam' },
  host: { en: 'Server', nl: 'Server' },
  port: { en: 'Port', nl: 'Poort' },
  user: { en: 'User name', nl: 'Gebruikersnaam' },
  password: { en: 'Password', nl: 'Wachtwoord' },
  fromAddress: { en: 'From address', nl: 'Afzenderadres' },
  from: { en: 'From address', nl: 'Afzenderadres' },
  replyTo: { en: 'Reply-to address', nl: 'Antwoordadres' },
  email: { en: 'E-mail address', nl: 'E-mailadres' },
  subject: { en: 'Subject', nl: 'Onderwerp' },
  signerName: { en: 'Your name', nl: 'Je naam' },
  signerRole: { en: 'Your role', nl: 'Je functie' },
  firstName: { en: 'First name', nl: 'Voornaam' },
  lastName: { en: 'Last name', nl: 'Achternaam' },
  date: { en: 'Date', nl: 'Datum' },
  staffMember: { en: 'Staff member', nl: 'Medewerker' },
  scanRef: { en: 'Reference to the scan', nl: 'Verwijzing naar de scan' },
  recordingRef: { en: 'Reference to the call recording', nl: 'Verwijzing naar de opname van het gesprek' },
};

const ENGLISH = englishLocale();
const DUTCH = dutchLocale();

function localeText(locale: typeof ENGLISH, issue: z.core.$ZodIssue): string | undefined {
  const said = locale.localeError(issue as never);
  return typeof said === 'string' ? said : said?.message;
}

function issueText(issue: z.core.$ZodIssue, lang: Lang): string {
  if (lang === 'en') return issue.message;
  // A message equal to zod's own English default was not written by us: zod's locale says it in Dutch.
  if (issue.message !== localeText(ENGLISH, issue)) return DUTCH_MESSAGES[issue.message] ?? issue.message;
  return localeText(DUTCH, issue) ?? issue.message;
}

function fieldLabel(path: readonly PropertyKey[], lang: Lang): string | undefined {
  const name = [...path].reverse().find((part): part is string => typeof part === 'string');
  if (name === undefined) return undefined;
  return FIELD_LABELS[name]?.[lang] ?? name;
}

/**
 * A rejected input said the way a user can fix it, in both languages: each field by its label with what is
 * wrong, never a bare list of input names and zod's English (issue 14).
 *
 * @example
 * describeInputError(error).nl; // 'Controleer: KvK-nummer: een KvK-nummer heeft 8 cijfers.'
 */
export function describeInputError(error: ZodError): LocalizedText {
  const text = (lang: Lang) => {
    const lines = error.issues.map((issue) => {
      const label = fieldLabel(issue.path, lang);
      const what = issueText(issue, lang);
      return label === undefined ? what : `${label}: ${what}`;
    });
    const lead = lang === 'nl' ? 'Controleer wat je invulde' : 'Please check what you entered';
    return `${lead}: ${lines.join('; ')}.`;
  };
  return { en: text('en'), nl: text('nl') };
}
