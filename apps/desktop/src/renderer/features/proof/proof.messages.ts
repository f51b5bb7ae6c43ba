import { defineMessages } from '../../i18n/define-messages.js';

export const proofMessages = defineMessages(
  {
    download: 'Bewijs downloaden',
    downloading: 'Bewijs wordt gemaakt…',
    downloaded: 'Bewijsbundel {{file}} gedownload.',
    check: {
      title: 'Zo controleert een ander de bundel',
      intro:
        'Wie de bundel krijgt (je boekhouder, de hoster, de ACM) controleert hem zonder deze app met dit commando:',
      key: 'Geef de vingerafdruk van je sleutel apart door, bijvoorbeeld telefonisch: zo weet de ontvanger dat de bundel van jou komt en dat er niets aan veranderd is.',
      copy: 'Commando kopiëren',
      copied: 'Gekopieerd',
    },
    dossier: {
      title: 'Klachtdossier maken',
      intro:
        'Kreeg je een klacht via spamklacht.nl of de ACM, je hostingbedrijf of een ontvanger? Zet het gemelde bericht (.eml, ook doorgestuurd) hier neer. Je krijgt een ZIP met het bewijs van toestemming en een korte antwoordbrief; het adres wordt meteen geblokkeerd.',
      source: 'Van wie komt de klacht?',
      drop: 'Sleep het gemelde bericht hierheen of klik om het te kiezen',
      dropLabel: 'Gemeld bericht (.eml) voor het klachtdossier',
      reading: 'Dossier wordt gemaakt…',
      rejected: 'Alleen .eml-bestanden: bewaar het bericht met “Opslaan als” in je mailprogramma.',
      result: 'Uitkomst',
      recorded: '{{email}}: klacht vastgelegd ({{found}}), staat nu op de lijst.',
      rate: 'Klachtgraad van die mailing nu {{rate}}.',
      found: {
        VERP_TOKEN: 'gevonden via de code in het afzenderadres',
        HEADER_TOKEN: 'gevonden via de code in het bericht',
        LIST_UNSUBSCRIBE_TOKEN: 'gevonden via de afmeldlink',
        MESSAGE_ID: 'gevonden via het berichtnummer',
        ADDRESS: 'gevonden via het e-mailadres',
        NONE: 'geen verzending gevonden',
      },
      save: 'Dossier downloaden',
      failed: '{{message}}',
    },
  },
  {
    download: 'Download proof',
    downloading: 'Making the proof…',
    downloaded: 'Proof bundle {{file}} downloaded.',
    check: {
      title: 'How someone else checks the bundle',
      intro:
        'Whoever receives the bundle (your accountant, the hosting company, the ACM) checks it without this app with this command:',
      key: 'Pass the fingerprint of your key on separately, by phone for example: then the recipient knows the bundle comes from you and that nothing in it was changed.',
      copy: 'Copy command',
      copied: 'Copied',
    },
    dossier: {
      title: 'Make a complaint dossier',
      intro:
        'Got a complaint through spamklacht.nl or the ACM, your hosting company or a recipient? Drop the complained message (.eml, forwarded too) here. You get a ZIP with the proof of consent and a short answer letter; the address is blocked at once.',
      source: 'Who sent the complaint?',
      drop: 'Drag the complained message here or click to choose it',
      dropLabel: 'Complained message (.eml) for the complaint dossier',
      reading: 'Making the dossier…',
      rejected: 'Only .eml files: save the message with “Save as” in your mail program.',
      result: 'Outcome',
      recorded: '{{email}}: complaint recorded ({{found}}), now on the list.',
      rate: 'Complaint rate of that mailing now {{rate}}.',
      found: {
        VERP_TOKEN: "found by the code in the sender's address",
        HEADER_TOKEN: 'found by the code in the message',
        LIST_UNSUBSCRIBE_TOKEN: 'found by the unsubscribe link',
        MESSAGE_ID: 'found by the message number',
        ADDRESS: 'found by the e-mail address',
        NONE: 'no delivery found',
      },
      save: 'Download dossier',
      failed: '{{message}}',
    },
  },
);
