/**
 * The JSON-LD context of the consent record in a proof bundle, shipped with the product (and inside every
 * bundle as `context/dpv-consent-record-v1.jsonld`): the verifier, the hoster and ACM need nothing from the
 * network to expand it. Its IRI is under `.invalid` on purpose, so no processor can fetch something else in
 * its place; a JSON-LD document loader must serve this copy (see `docs/iso27560-mapping.md`).
 *
 * It only names the W3C DPV namespaces (DPV 2, the EU GDPR extension, personal-data and location
 * extensions) and Dublin Core, and declares which DPV properties take IRIs and which take typed literals.
 */
export const DPV_CONTEXT_URL = 'https://consent-mailer.invalid/contexts/dpv-consent-record-v1.jsonld';

/** The file name of the context inside a bundle. */
export const DPV_CONTEXT_FILE = 'context/dpv-consent-record-v1.jsonld';

const iri = (id: string) => ({ '@id': id, '@type': '@id' });
const dateTime = (id: string) => ({ '@id': id, '@type': 'xsd:dateTime' });

export const DPV_CONTEXT = {
  '@context': {
    '@version': 1.1,
    dpv: 'https://w3id.org/dpv#',
    'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
    pd: 'https://w3id.org/dpv/pd#',
    loc: 'https://w3id.org/dpv/loc#',
    dct: 'http://purl.org/dc/terms/',
    xsd: 'http://www.w3.org/2001/XMLSchema#',
    rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
    cm: 'https://consent-mailer.invalid/ns#',
    'dct:conformsTo': iri('dct:conformsTo'),
    'dct:created': dateTime('dct:created'),
    'dct:modified': dateTime('dct:modified'),
    'dpv:hasDataController': iri('dpv:hasDataController'),
    'dpv:hasJurisdiction': iri('dpv:hasJurisdiction'),
    'dpv:hasApplicableLaw': iri('dpv:hasApplicableLaw'),
    'dpv:hasLegalBasis': iri('dpv:hasLegalBasis'),
    'dpv:hasPurpose': iri('dpv:hasPurpose'),
    'dpv:hasPersonalData': iri('dpv:hasPersonalData'),
    'dpv:hasConsentStatus': iri('dpv:hasConsentStatus'),
    'dpv:hasConsentType': iri('dpv:hasConsentType'),
    'dpv:hasIndicationMethod': iri('dpv:hasIndicationMethod'),
    'dpv:isIndicatedBy': iri('dpv:isIndicatedBy'),
    'dpv:hasDataSource': iri('dpv:hasDataSource'),
    'dpv:isIndicatedAtTime': dateTime('dpv:isIndicatedAtTime'),
    'dpv:hasNotice': iri('dpv:hasNotice'),
    'dpv:hasDataSubject': iri('dpv:hasDataSubject'),
    'cm:at': dateTime('cm:at'),
    'cm:sha256': { '@id': 'cm:sha256' },
    'cm:method': { '@id': 'cm:method' },
  },
} as const;
