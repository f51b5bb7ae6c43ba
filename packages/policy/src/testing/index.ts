// `@consent-mailer/policy/testing`: test data for the rules, for this package's tests and for every package
// that builds contact records or mailing facts (not published: tests only).
export { b2b, customer, doi, imported, paper, phone, soi, thirdParty } from './contact-records.js';
export { MAILING, NOW, codes, goodFacts } from './mailing-fixtures.js';
