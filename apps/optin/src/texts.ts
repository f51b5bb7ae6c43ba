import type { Language } from './config.js';

/** Every sentence a subscriber sees, in Dutch and English. */
export const TEXTS = {
  signupTitle: { nl: 'Aanmelden', en: 'Sign up' },
  emailLabel: { nl: 'E-mailadres', en: 'E-mail address' },
  signupButton: { nl: 'Aanmelden', en: 'Sign up' },
  checkMailTitle: { nl: 'Kijk in je mailbox', en: 'Check your mailbox' },
  checkMail: {
    nl: 'Als dit adres nog niet is aangemeld, sturen we een mail met een bevestigingslink. Pas na bevestiging ben je aangemeld.',
    en: 'If this address is not signed up yet, we are sending a mail with a confirmation link. You are only signed up once you confirm.',
  },
  tooMany: {
    nl: 'Te veel aanmeldingen vanaf dit adres. Probeer het over een uur opnieuw.',
    en: 'Too many sign-ups from this address. Try again in an hour.',
  },
  altchaNoScript: {
    nl: 'Dit formulier laat je browser eerst een korte rekentaak doen tegen spam. Zet JavaScript aan om je aan te melden.',
    en: 'This form has your browser do a short calculation against spam first. Turn on JavaScript to sign up.',
  },
  altchaMissing: {
    nl: 'De controle tegen spam is niet afgerond, dus we hebben niets opgeslagen en niets gemaild. Zet JavaScript aan, open het formulier opnieuw, wacht tot er "Geverifieerd" staat en verstuur het dan.',
    en: 'The check against spam was not finished, so we stored nothing and mailed nothing. Turn on JavaScript, open the form again, wait until it says "Verified" and then send it.',
  },
  altchaInvalid: {
    nl: 'De controle tegen spam klopt niet, dus we hebben niets opgeslagen en niets gemaild. Open het formulier opnieuw en verstuur het nog een keer.',
    en: 'The check against spam did not pass, so we stored nothing and mailed nothing. Open the form again and send it once more.',
  },
  altchaExpired: {
    nl: 'De controle tegen spam is verlopen, dus we hebben niets opgeslagen en niets gemaild. Open het formulier opnieuw en verstuur het binnen {minutes} minuten.',
    en: 'The check against spam has expired, so we stored nothing and mailed nothing. Open the form again and send it within {minutes} minutes.',
  },
  altchaReplayed: {
    nl: 'Deze controle tegen spam is al eens gebruikt, dus we hebben niets opgeslagen en niets gemaild. Open het formulier opnieuw en verstuur het nog een keer.',
    en: 'This check against spam was already used once, so we stored nothing and mailed nothing. Open the form again and send it once more.',
  },
  invalidEmail: { nl: 'Vul een geldig e-mailadres in.', en: 'Enter a valid e-mail address.' },
  confirmTitle: { nl: 'Aanmelding bevestigen', en: 'Confirm your sign-up' },
  confirmIntro: {
    nl: 'Klik op de knop om je aanmelding te bevestigen.',
    en: 'Press the button to confirm your sign-up.',
  },
  confirmButton: { nl: 'Ja, ik bevestig mijn aanmelding', en: 'Yes, I confirm my sign-up' },
  confirmedTitle: { nl: 'Bevestigd', en: 'Confirmed' },
  confirmed: {
    nl: 'Dank je wel, je aanmelding is bevestigd. We sturen je een bevestiging van wat je hebt afgesproken.',
    en: 'Thank you, your sign-up is confirmed. We are sending you a receipt of what you agreed to.',
  },
  linkInvalidTitle: { nl: 'Link werkt niet', en: 'Link does not work' },
  linkInvalid: {
    nl: 'Deze link is verlopen of ongeldig. Meld je opnieuw aan om een nieuwe link te krijgen.',
    en: 'This link has expired or is not valid. Sign up again to get a new link.',
  },
  nonceInvalid: {
    nl: 'Deze pagina is verlopen. Open de link uit de mail opnieuw en druk op de knop.',
    en: 'This page has expired. Open the link from the mail again and press the button.',
  },
  unsubscribeTitle: { nl: 'Afmelden', en: 'Unsubscribe' },
  unsubscribeIntro: {
    nl: 'Druk op de knop om je af te melden voor alle mail van ons.',
    en: 'Press the button to unsubscribe from all our mail.',
  },
  unsubscribeButton: { nl: 'Afmelden', en: 'Unsubscribe' },
  unsubscribedTitle: { nl: 'Afgemeld', en: 'Unsubscribed' },
  unsubscribed: {
    nl: 'Je bent afgemeld. Je krijgt geen mail meer van ons.',
    en: 'You are unsubscribed. You will get no more mail from us.',
  },
  preferencesLink: { nl: 'Of kies welke lijsten je wilt houden', en: 'Or choose which lists to keep' },
  preferencesTitle: { nl: 'Voorkeuren', en: 'Preferences' },
  preferencesIntro: {
    nl: 'Kies welke mail je wilt blijven ontvangen. Niets aangevinkt betekent: afmelden voor alles.',
    en: 'Choose which mail you want to keep getting. Nothing ticked means: unsubscribe from everything.',
  },
  preferencesSave: { nl: 'Opslaan', en: 'Save' },
  preferencesSaved: { nl: 'Je voorkeuren zijn opgeslagen.', en: 'Your preferences are saved.' },
  confirmMailSubject: { nl: 'Bevestig je aanmelding', en: 'Confirm your sign-up' },
  confirmMailBody: {
    nl: 'Iemand (waarschijnlijk jij) heeft dit adres aangemeld bij {controller}. Bevestig met deze link:\n\n{link}\n\nDe link werkt 30 dagen. Heb je je niet aangemeld? Doe dan niets: zonder bevestiging krijg je geen mail van ons.',
    en: 'Someone (probably you) signed this address up with {controller}. Confirm with this link:\n\n{link}\n\nThe link works for 30 days. Did you not sign up? Then do nothing: without confirmation you get no mail from us.',
  },
  receiptSubject: { nl: 'Je aanmelding is bevestigd', en: 'Your sign-up is confirmed' },
  receiptBody: {
    nl: 'Je hebt op {confirmedAt} bevestigd dat {controller} ({postalAddress}, KvK {kvk}) je mail mag sturen voor: {lists}.\n\nDe tekst die je zag (versie {textVersion}):\n"{text}"\n\nAfmelden kan altijd, gratis en met één klik: {unsubscribe}\nVragen: {contactEmail}',
    en: 'On {confirmedAt} you confirmed that {controller} ({postalAddress}, KvK {kvk}) may mail you about: {lists}.\n\nThe text you saw (version {textVersion}):\n"{text}"\n\nYou can unsubscribe at any time, free, with one click: {unsubscribe}\nQuestions: {contactEmail}',
  },
} as const satisfies Record<string, Record<Language, string>>;

/** The name of one text in the table. */
export type TextKey = keyof typeof TEXTS;

export function t(key: TextKey, language: Language, values: Record<string, string> = {}): string {
  return TEXTS[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
