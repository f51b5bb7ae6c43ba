import type { SmtpTestServer } from '@consent-mailer/mailer/testing';
import { startOptinTestService, type OptinTestService } from '@consent-mailer/optin/testing';

/**
 * The opt-in service of the seeded shop (support/mailings-seed.ts): Bakkerij de Vries, one form whose list
 * `nieuwsbrief` is the seeded desktop list, mailing through `smtp`.
 *
 * @example
 * const service = await startShopOptinService(serviceSmtp);
 */
export function startShopOptinService(smtp: SmtpTestServer): Promise<OptinTestService> {
  return startOptinTestService({
    smtp,
    config: {
      mailFrom: 'nieuwsbrief@bakkerijdevries.nl',
      controller: {
        legalName: 'Bakkerij de Vries B.V.',
        postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
        contactEmail: 'info@bakkerijdevries.nl',
        kvkNumber: '12345678',
      },
      forms: [
        {
          id: 'newsletter',
          version: '1',
          lists: [{ id: 'nieuwsbrief', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } }],
          consentTexts: [
            {
              version: 'v1',
              text: { nl: 'Ja, stuur mij de nieuwsbrief.', en: 'Yes, send me the newsletter.' },
            },
          ],
        },
      ],
    },
  });
}
