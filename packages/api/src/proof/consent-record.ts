import type { ConsentRow, ContactRow, SenderEntityRow } from '@consent-mailer/store';
import { DPV_CONTEXT_URL } from './dpv-context.js';
import { isConsentBased, legalBasisFor } from './legal-basis.js';

/** The version of the product-to-27560 mapping (docs/iso27560-mapping.md); written into every record. */
export const ISO27560_MAPPING_VERSION = '1.0.0';

/** The DPV profile of ISO/IEC TS 27560 the record follows: a consent record kept as GDPR requires. */
export const DPV_27560_PROFILE = 'https://w3id.org/dpv/schema/dpv-27560#record-GDPR';

/** A text the person saw, as it sits in the bundle. */
export interface NoticeFile {
  versionId: string;
  kind: string;
  language: string;
  label: string;
  /** Path inside the bundle. */
  file: string;
  sha256: string;
}

/**
 * One consent as an ISO/IEC TS 27560 consent record in the W3C DPV JSON-LD profile (`record-GDPR`). Every
 * field that comes from the product is named in docs/iso27560-mapping.md; product facts DPV has no term for
 * (the method code, the order reference) are under the `cm:` namespace so a DPV processor keeps them.
 *
 * @example
 * const record = consentRecord({ contact, consent, entity, notices, generatedAt });
 */
export function consentRecord(input: {
  contact: ContactRow;
  consent: ConsentRow;
  entity: SenderEntityRow | undefined;
  notices: readonly NoticeFile[];
  generatedAt: string;
}): Record<string, unknown> {
  const { contact, consent, entity, notices } = input;
  const method = consent.method;
  const consentBased = isConsentBased(method);
  const withdrawnAt = consent.objected_at ?? consent.unsubscribed_at ?? consent.complaint_at ?? null;
  const givenAt = consent.confirmed_at ?? consent.signup_at ?? consent.order_at ?? consent.created_at;
  const history: Record<string, unknown>[] = [];
  const step = (status: string, at: string | null, what: string) => {
    if (at !== null)
      history.push({
        '@type': 'cm:StatusChange',
        'dpv:hasConsentStatus': status,
        'cm:at': at,
        'cm:what': what,
      });
  };
  if (consentBased) {
    step('dpv:ConsentRequested', consent.signup_at, 'signup');
    step('dpv:ConsentRequested', consent.confirm_mail_sent_at, 'confirmation mail sent');
    step(
      'dpv:ConsentGiven',
      consent.confirmed_at ?? (method === 'WEB_DOI' ? null : consent.signup_at),
      'consent given',
    );
    step('dpv:ConsentWithdrawn', consent.unsubscribed_at, 'unsubscribed');
    step('dpv:ConsentWithdrawn', consent.objected_at, 'objected');
    step(
      'dpv:ConsentWithdrawn',
      consent.complaint_at,
      `complaint (${consent.complaint_source ?? 'unknown source'})`,
    );
  } else {
    step('cm:Objected', consent.unsubscribed_at, 'unsubscribed');
    step('cm:Objected', consent.objected_at, 'objected');
    step('cm:Objected', consent.complaint_at, `complaint (${consent.complaint_source ?? 'unknown source'})`);
  }
  history.sort((a, b) => String(a['cm:at']).localeCompare(String(b['cm:at'])));
  const status =
    withdrawnAt !== null ? 'dpv:ConsentWithdrawn' : consentBased ? 'dpv:ConsentGiven' : undefined;
  const id = `urn:consent-mailer:consent-record:${contact.address_hash}:${consent.id}`;
  return {
    '@context': DPV_CONTEXT_URL,
    '@id': id,
    '@type': 'dpv:ConsentRecord',
    'dct:identifier': `${contact.address_hash}:${consent.id}`,
    'dct:conformsTo': DPV_27560_PROFILE,
    'cm:mappingVersion': ISO27560_MAPPING_VERSION,
    'dct:created': consent.created_at,
    'dct:modified': consent.updated_at,
    'dpv:hasDataSubject': {
      '@id': `urn:consent-mailer:subject:${contact.address_hash}`,
      '@type': contact.recipient_kind === 'LEGAL_PERSON' ? 'dpv:DataSubject' : 'dpv:Consumer',
      'dpv:hasPersonalData': {
        '@type': 'pd:EmailAddress',
        'rdf:value': contact.email,
        'cm:sha256': contact.address_hash,
      },
    },
    'dpv:hasDataController': {
      '@id': `urn:consent-mailer:sender-entity:${consent.sender_entity_id}`,
      '@type': 'dpv:DataController',
      'dct:title': entity?.legal_name ?? consent.sender_entity_id,
      ...(entity?.kvk_number ? { 'cm:kvkNumber': entity.kvk_number } : {}),
    },
    'dpv:hasJurisdiction': 'loc:NL',
    'dpv:hasApplicableLaw': 'eu-gdpr:GDPR',
    'dpv:hasLegalBasis': legalBasisFor(method),
    'dpv:hasPurpose': 'dpv:DirectMarketing',
    'dpv:hasPersonalData': 'pd:EmailAddress',
    ...(consentBased
      ? {
          'dpv:hasConsentType': 'dpv:ExpressedConsent',
          ...(status === undefined ? {} : { 'dpv:hasConsentStatus': status }),
          'dpv:isIndicatedAtTime': givenAt,
          'dpv:isIndicatedBy': 'dpv:DataSubject',
        }
      : withdrawnAt !== null
        ? { 'cm:objectedAt': withdrawnAt }
        : {}),
    'cm:method': method,
    'cm:scopeLists': JSON.parse(consent.scope_lists) as unknown,
    ...(consent.source === null ? {} : { 'cm:signupForm': consent.source }),
    ...(consent.order_ref === null ? {} : { 'cm:orderRef': consent.order_ref }),
    ...(consent.customer_relationship === null
      ? {}
      : { 'cm:customerRelationship': consent.customer_relationship }),
    ...(consent.tracking_consent_at === null ? {} : { 'cm:trackingConsentAt': consent.tracking_consent_at }),
    'dpv:hasNotice': notices.map((notice) => ({
      '@id': `urn:consent-mailer:text:${notice.versionId}`,
      '@type': notice.kind === 'CONSENT' ? 'dpv:ConsentNotice' : 'dpv:PrivacyNotice',
      'dct:language': notice.language,
      'dct:title': notice.label,
      'cm:file': notice.file,
      'cm:sha256': notice.sha256,
    })),
    'cm:statusHistory': history,
    'cm:generatedAt': input.generatedAt,
  };
}
