import { defineMessages } from '../../i18n/define-messages.js';

export const dashboardMessages = defineMessages(
  {
    title: 'Overzicht',
    counts: {
      label: 'Je gegevens in cijfers',
      contacts: 'Contacten',
      consents: 'Toestemmingen',
      suppressions: 'Op de blokkeerlijst',
      mailings: 'Mailings',
      events: 'Gebeurtenissen in het logboek',
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
      suppressions: 'On the suppression list',
      mailings: 'Mailings',
      events: 'Events in the log',
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
    },
    start: {
      title: 'Getting started',
      entity: 'Add your business as a sender',
      smtp: 'Set up your mail server',
      import: 'Import your contacts',
    },
  },
);
