import { defineMessages } from '../../i18n/define-messages.js';

/** Texts of the Acknowledgements screen (the accountant's view). */
export const acknowledgementsMessages = defineMessages(
  {
    title: 'Verklaringen',
  },
  {
    title: 'Acknowledgements',
  },
);
