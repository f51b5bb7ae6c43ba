import { defineMessages } from '../../i18n/define-messages.js';

export const dashboardMessages = defineMessages(
  {
    title: 'Overzicht',
    counts: {
      label: 'Je gegevens in cijfers',
      contacts: 'Contacten',
      consents: 'Toestemmingen',
      suppressions: 'Nooit meer mailen',
      mailings: 'Mailings',
      events: 'Gebeurtenissen in het logboek',
    },
    classes: {
      title: 'Contacten per klasse',
      series: 'Contacten',
      noneAssessed: 'Nog geen contact is beoordeeld: dat gebeurt zodra je een mailing laat beoordelen.',
    },
    recent: {
      title: 'Recente mailings',
      empty: 'Nog geen mailings.',
      sent: '{{sent}} van {{total}} verstuurd',
      failed: '{{count}} mislukt',
    },
    attention: {
      title: 'Aandacht nodig',
      none: 'Niets dat nu aandacht vraagt.',
      complaint: 'Klacht ontvangen ({{source}}) op {{date}}',
      failedSend: 'Mailing “{{name}}”: {{count}} berichten mislukt',
      mailingError: 'Mailing “{{name}}” stopte: {{message}}',
      chainBroken: 'Het logboek is gewijzigd na gebeurtenis {{seq}}: zet een back-up terug.',
      lapsed:
        'Verklaring {{code}} ({{signer}}, {{date}}) is vervallen: {{reason}}. Laat opnieuw tekenen voor je verstuurt.',
    },
    lapseRules: {
      M10: 'te veel klachten op de vorige mailing',
      M13: 'er kwam een misbruikmelding binnen',
      M14: 'je verzendadres of domein staat op een blokkeerlijst',
      other: 'zie de verklaring',
    },
    start: {
      title: 'Aan de slag',
      entity: 'Voeg je bedrijf toe als afzender',
      smtp: 'Stel je mailserver in',
      import: 'Importeer je contacten',
    },
  },
  {
    title: 'Overview',
    counts: {
      label: 'Your data in numbers',
      contacts: 'Contacts',
      consents: 'Consents',
      suppressions: 'Never mail again',
      mailings: 'Mailings',
      events: 'Events in the log',
    },
    classes: {
      title: 'Contacts per class',
      series: 'Contacts',
      noneAssessed: 'No contact has been assessed yet: that happens when you have a mailing assessed.',
    },
    recent: {
      title: 'Recent mailings',
      empty: 'No mailings yet.',
      sent: '{{sent}} of {{total}} sent',
      failed: '{{count}} failed',
    },
    attention: {
      title: 'Needs attention',
      none: 'Nothing needs attention right now.',
      complaint: 'Complaint received ({{source}}) on {{date}}',
      failedSend: 'Mailing “{{name}}”: {{count}} messages failed',
      mailingError: 'Mailing “{{name}}” stopped: {{message}}',
      chainBroken: 'The event log was altered after event {{seq}}: restore a backup.',
      lapsed:
        'Acknowledgement {{code}} ({{signer}}, {{date}}) has lapsed: {{reason}}. Have it signed again before sending.',
    },
    lapseRules: {
      M10: 'too many complaints on the previous mailing',
      M13: 'an abuse notice came in',
      M14: 'your sending address or domain is on a blocklist',
      other: 'see the acknowledgement',
    },
    start: {
      title: 'Getting started',
      entity: 'Add your business as a sender',
      smtp: 'Set up your mail server',
      import: 'Import your contacts',
    },
  },
);
