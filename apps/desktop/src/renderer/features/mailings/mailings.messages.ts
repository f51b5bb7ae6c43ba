import { defineMessages } from '../../i18n/define-messages.js';

/** Texts of the Mailings screen (compose, assessment, acknowledgement, sending, results). */
export const mailingsMessages = defineMessages(
  {
    title: 'Mailings',
  },
  {
    title: 'Mailings',
  },
);
