import { CUSTOMER_RELATIONSHIPS } from '@consent-mailer/policy/vocabulary';
import { Select, Stack, TagsInput, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs } from '../../app/api-types.js';
import { useConsentTexts } from '../settings/queries.js';

type FileEvidence = NonNullable<RouterInputs['imports']['run']['evidence']>;
export type CustomerRelationshipChoice = NonNullable<FileEvidence['customerRelationship']>;
export type OptOutChoice = NonNullable<FileEvidence['optOutOfferedAtCollection']>;

const RELATIONSHIPS = CUSTOMER_RELATIONSHIPS satisfies readonly CustomerRelationshipChoice[];
// Not the enum's order: the partial answer (only in the terms) stands between yes and no.
const OPT_OUTS = ['YES', 'TERMS_ONLY', 'NO', 'UNKNOWN'] as const satisfies readonly OptOutChoice[];

/** What the owner knows about how every customer in the file came to be one (the soft opt-in's conditions). */
export interface CustomerEvidenceChoice {
  relationship: CustomerRelationshipChoice | null;
  optOut: OptOutChoice | null;
  collectionTextVersionId: string | null;
  purchaseCategories: string[];
}

export const EMPTY_CUSTOMER_EVIDENCE: CustomerEvidenceChoice = {
  relationship: null,
  optOut: null,
  collectionTextVersionId: null,
  purchaseCategories: [],
};

/**
 * The file-wide evidence of an existing-customer import as `imports.run` takes it. `orderPaid` follows from
 * the relationship (a paid order is paid; a free tier or a free account is not), so the owner answers once.
 */
export function customerEvidence(choice: CustomerEvidenceChoice): FileEvidence {
  const evidence: FileEvidence = {};
  if (choice.relationship) {
    evidence.customerRelationship = choice.relationship;
    evidence.orderPaid = choice.relationship === 'PAID_ORDER';
  }
  if (choice.optOut) evidence.optOutOfferedAtCollection = choice.optOut;
  if (choice.collectionTextVersionId) evidence.collectionTextVersionId = choice.collectionTextVersionId;
  // A tag typed as "brood, gebak" and confirmed with Enter arrives whole: split it as the owner meant it.
  const categories = [
    ...new Set(
      choice.purchaseCategories.flatMap((tag) => tag.split(/[,;]/)).map((category) => category.trim()),
    ),
  ].filter(Boolean);
  if (categories.length > 0) evidence.purchaseCategories = categories;
  return evidence;
}

/**
 * The questions the soft opt-in for existing customers turns on (docs/policy-rules.md, C1–C11), asked in
 * the owner's words: did they buy, could they say no when the address was taken (and with which text), and
 * what did they buy. In the import they hold for the whole file (order number and last purchase come from
 * its columns); the contact form asks them of one customer, under its own `title` and `intro`.
 */
export function CustomerEvidenceFields({
  choice,
  onChange,
  title,
  intro,
  children,
}: {
  choice: CustomerEvidenceChoice;
  onChange: (next: CustomerEvidenceChoice) => void;
  title?: string;
  intro?: string;
  /** Facts asked before the shared questions (the contact form's order number and date). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const texts = useConsentTexts();
  const set = <K extends keyof CustomerEvidenceChoice>(key: K, value: CustomerEvidenceChoice[K]) =>
    onChange({ ...choice, [key]: value });
  // Every answer may be emptied (not known after all). Mantine hides a select's clear button from the
  // keyboard and screen readers; here it is a real button that says which answer it clears, at the size
  // WCAG 2.2 asks of a target (24 px; Mantine's is 22).
  const clearing = (label: string) => ({
    clearable: true,
    clearButtonProps: {
      'aria-label': t('app.clearAnswer', { field: label }),
      'aria-hidden': false,
      tabIndex: 0,
      size: 'md',
    },
  });
  return (
    <Stack gap="sm" p="md" style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 8 }}>
      <Title order={3} size="h5">
        {title ?? t('import.customer.title')}
      </Title>
      <Text size="sm">{intro ?? t('import.customer.intro')}</Text>
      {children}
      <Select
        label={t('import.customer.relationship')}
        {...clearing(t('import.customer.relationship'))}
        data={RELATIONSHIPS.map((value) => ({ value, label: t(`import.customer.relationships.${value}`) }))}
        value={choice.relationship}
        onChange={(value) => set('relationship', value)}
      />
      <Select
        label={t('import.customer.optOut')}
        {...clearing(t('import.customer.optOut'))}
        description={t('import.customer.optOutHint')}
        data={OPT_OUTS.map((value) => ({ value, label: t(`import.customer.optOuts.${value}`) }))}
        value={choice.optOut}
        onChange={(value) => set('optOut', value)}
      />
      {choice.optOut === 'YES' && (
        <Select
          label={t('import.customer.collectionText')}
          {...clearing(t('import.customer.collectionText'))}
          description={t('import.customer.collectionTextHint')}
          placeholder={t('import.consent.noConsentText')}
          data={(texts.data ?? [])
            .filter((text) => text.kind === 'COLLECTION' || text.kind === 'CONSENT')
            .map((text) => ({ value: text.id, label: `${text.label} (${text.language})` }))}
          value={choice.collectionTextVersionId}
          onChange={(value) => set('collectionTextVersionId', value)}
        />
      )}
      <TagsInput
        label={t('import.customer.categories')}
        {...clearing(t('import.customer.categories'))}
        description={t('import.customer.categoriesHint')}
        value={choice.purchaseCategories}
        onChange={(value) => set('purchaseCategories', value)}
        splitChars={[',', ';']}
      />
    </Stack>
  );
}
