// The zod schemas of the enums in enums.ts, for parsing input; each schema shares its type's name.
import { z } from 'zod';
import {
  CLASSIFICATIONS,
  RECIPIENT_KINDS,
  ADDRESS_KINDS,
  CONSENT_METHODS,
  MAILING_CONTENTS,
  OPT_OUT_AT_COLLECTION,
  CUSTOMER_RELATIONSHIPS,
  COMPLAINT_SOURCES,
  type Classification as ClassificationValue,
  type RecipientKind as RecipientKindValue,
  type AddressKind as AddressKindValue,
  type ConsentMethod as ConsentMethodValue,
  type MailingContent as MailingContentValue,
  type OptOutAtCollection as OptOutAtCollectionValue,
  type CustomerRelationship as CustomerRelationshipValue,
  type ComplaintSource as ComplaintSourceValue,
} from './enums.js';

export * from './enums.js';

export const Classification = z.enum(CLASSIFICATIONS);
export type Classification = ClassificationValue;
export const RecipientKind = z.enum(RECIPIENT_KINDS);
export type RecipientKind = RecipientKindValue;
export const AddressKind = z.enum(ADDRESS_KINDS);
export type AddressKind = AddressKindValue;
export const ConsentMethod = z.enum(CONSENT_METHODS);
export type ConsentMethod = ConsentMethodValue;
export const MailingContent = z.enum(MAILING_CONTENTS);
export type MailingContent = MailingContentValue;
export const OptOutAtCollection = z.enum(OPT_OUT_AT_COLLECTION);
export type OptOutAtCollection = OptOutAtCollectionValue;
export const CustomerRelationship = z.enum(CUSTOMER_RELATIONSHIPS);
export type CustomerRelationship = CustomerRelationshipValue;
export const ComplaintSource = z.enum(COMPLAINT_SOURCES);
export type ComplaintSource = ComplaintSourceValue;
