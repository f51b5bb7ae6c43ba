// `@consent-mailer/store/testing`: a real store in a temp folder and the seeding tests above the store share
// (not published: tests only).
export { AT, addSenderEntity, openTempStore, rawWrite, tempDir } from './temp-store.js';
export {
  consentOf,
  doubleOptInConsent,
  seedList,
  seedMailing,
  type SeedContact,
  type SeedMailing,
} from './seed.js';
