import { CONSENT_METHODS, RECIPIENT_KINDS } from '@consent-mailer/policy/vocabulary';
import { Alert, Checkbox, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsentMethod, RecipientKind } from '../../app/api-types.js';
import { DateOnlyInput } from '../../components/date-only-input.js';
import { useConsentTexts, useEntities, useLists } from '../settings/queries.js';
import {
  CustomerEvidenceFields,
  EMPTY_CUSTOMER_EVIDENCE,
  type CustomerEvidenceChoice,
} from './customer-evidence-fields.js';

/** What the user says about how the file's contacts consented; sent with `imports.run`. */
export interface ConsentChoice {
  senderEntityId: string | null;
  listId: string | null;
  consentTextVersionId: string | null;
  method: ConsentMethod | null;
  recipientKind: RecipientKind;
  signupDate: string;
  source: string;
  phoneAgent: string;
  paperScanRef: string;
  signerName: string;
  claimedBasis: string;
  attested: boolean;
  /** For existing customers: what holds for every customer in the file. */
  customer: CustomerEvidenceChoice;
  dryRun: boolean;
}

export const EMPTY_CONSENT: ConsentChoice = {
  senderEntityId: null,
  listId: null,
  consentTextVersionId: null,
  method: null,
  recipientKind: 'UNKNOWN',
  signupDate: '',
  source: '',
  phoneAgent: '',
  paperScanRef: '',
  signerName: '',
  claimedBasis: '',
  attested: false,
  customer: EMPTY_CUSTOMER_EVIDENCE,
  dryRun: false,
};

/** True when the choice is complete enough to start (the api checks the rest and says what is missing). */
export function consentReady(choice: ConsentChoice, methodColumn: boolean): boolean {
  if (!choice.senderEntityId) return false;
  if (!choice.method && !methodColumn) return false;
  if (choice.method === 'IMPORTED_UNKNOWN')
    return choice.attested && choice.signerName.trim().length >= 2 && choice.claimedBasis.trim().length >= 3;
  return true;
}

/** The sender entity, the consent method with the evidence that holds for the whole file, and the attestation for unknown origin. */
export function ConsentStep({
  choice,
  onChange,
  methodColumn,
}: {
  choice: ConsentChoice;
  onChange: (next: ConsentChoice) => void;
  methodColumn: boolean;
}) {
  const { t } = useTranslation();
  const entities = useEntities();
  const lists = useLists();
  const texts = useConsentTexts();
  const set = <K extends keyof ConsentChoice>(key: K, value: ConsentChoice[K]) =>
    onChange({ ...choice, [key]: value });
  const entityOptions = (entities.data ?? []).map((entity) => ({
    value: entity.id,
    label: entity.tradeName ?? entity.legalName,
  }));
  // With one sender there is nothing to choose: it is filled in (issue 14), and can still be seen.
  const onlyEntity = entities.data?.length === 1 ? entities.data[0]?.id : undefined;
  useEffect(() => {
    if (onlyEntity !== undefined && choice.senderEntityId === null)
      onChange({ ...choice, senderEntityId: onlyEntity });
  }, [onlyEntity, choice, onChange]);
  return (
    <Stack maw={720}>
      {entities.data && entities.data.length === 0 && (
        <Alert color="orange" role="alert">
          {t('import.consent.noEntities')}
        </Alert>
      )}
      <Select
        label={t('import.consent.entity')}
        description={t('import.consent.entityHint')}
        data={entityOptions}
        value={choice.senderEntityId}
        onChange={(value) => set('senderEntityId', value)}
        required
        allowDeselect={false}
      />
      <Select
        label={t('import.consent.list')}
        description={t('import.consent.listHint')}
        data={(lists.data ?? []).map((list) => ({ value: list.id, label: list.name }))}
        value={choice.listId}
        onChange={(value) => set('listId', value)}
        clearable
      />
      <Select
        label={t('import.consent.method')}
        data={CONSENT_METHODS.map((method) => ({ value: method, label: t(`vocabulary.methods.${method}`) }))}
        value={choice.method}
        onChange={(value) => set('method', value)}
        placeholder={methodColumn ? t('import.consent.methodPerRow') : undefined}
        clearable={methodColumn}
        required={!methodColumn}
      />
      <Select
        label={t('import.consent.recipientKind')}
        data={RECIPIENT_KINDS.map((kind) => ({ value: kind, label: t(`vocabulary.kinds.${kind}`) }))}
        value={choice.recipientKind}
        onChange={(value) => value && set('recipientKind', value)}
        allowDeselect={false}
      />
      {choice.method &&
        choice.method !== 'IMPORTED_UNKNOWN' &&
        choice.method !== 'CUSTOMER' &&
        choice.method !== 'B2B_PUBLISHED' && (
          <>
            <DateOnlyInput
              label={t('import.consent.signupAt')}
              value={choice.signupDate}
              onChange={(value) => set('signupDate', value)}
            />
            <TextInput
              label={t('import.consent.source')}
              value={choice.source}
              onChange={(event) => set('source', event.currentTarget.value)}
            />
            <Select
              label={t('import.consent.consentText')}
              placeholder={t('import.consent.noConsentText')}
              data={(texts.data ?? [])
                .filter((text) => text.kind === 'CONSENT' || text.kind === 'PHONE_SCRIPT')
                .map((text) => ({ value: text.id, label: `${text.label} (${text.language})` }))}
              value={choice.consentTextVersionId}
              onChange={(value) => set('consentTextVersionId', value)}
              clearable
            />
          </>
        )}
      {choice.method === 'PHONE' && (
        <TextInput
          label={t('import.consent.phoneAgent')}
          value={choice.phoneAgent}
          onChange={(event) => set('phoneAgent', event.currentTarget.value)}
        />
      )}
      {choice.method === 'PAPER' && (
        <TextInput
          label={t('import.consent.paperScanRef')}
          value={choice.paperScanRef}
          onChange={(event) => set('paperScanRef', event.currentTarget.value)}
        />
      )}
      {choice.method === 'CUSTOMER' && (
        <CustomerEvidenceFields choice={choice.customer} onChange={(customer) => set('customer', customer)} />
      )}
      {choice.method === 'IMPORTED_UNKNOWN' && (
        <Stack gap="xs" p="md" style={{ border: '1px solid var(--mantine-color-orange-4)', borderRadius: 8 }}>
          <Title order={3} size="h5">
            {t('import.consent.attestationTitle')}
          </Title>
          <Text size="sm">{t('import.consent.attestationText')}</Text>
          <TextInput
            label={t('import.consent.signerName')}
            value={choice.signerName}
            onChange={(event) => set('signerName', event.currentTarget.value)}
            required
          />
          <Textarea
            label={t('import.consent.claimedBasis')}
            value={choice.claimedBasis}
            onChange={(event) => set('claimedBasis', event.currentTarget.value)}
            autosize
            minRows={2}
            required
          />
          <Checkbox
            label={t('import.consent.attest')}
            checked={choice.attested}
            onChange={(event) => set('attested', event.currentTarget.checked)}
          />
        </Stack>
      )}
      <Checkbox
        label={t('import.consent.dryRun')}
        checked={choice.dryRun}
        onChange={(event) => set('dryRun', event.currentTarget.checked)}
      />
    </Stack>
  );
}
