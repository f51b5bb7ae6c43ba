import { Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../app/api-types.js';
import { DateOnlyInput, storedDay } from '../../components/date-only-input.js';
import { CustomerQuestions } from './customer-questions.js';
import { customerEvidence, type CustomerEvidenceChoice } from '../import/customer-evidence-fields.js';
import { DialogFooter } from './contact-dialog.js';
import { useCorrectEvidence } from './queries.js';

type Consent = RouterOutputs['contacts']['get']['consents'][number];
type CustomerCorrection = NonNullable<RouterInputs['contacts']['correctEvidence']['customer']>;

/** The stored JSON list of product groups, as the tags the owner typed. */
function storedCategories(json: string | null): string[] {
  if (json === null) return [];
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** What the form holds: the shared customer questions, and the order number and dates of this customer. */
interface CustomerForm {
  choice: CustomerEvidenceChoice;
  orderRef: string;
  orderDate: string;
  lastPurchaseDate: string;
}

function storedForm(consent: Consent): CustomerForm {
  return {
    choice: {
      // Without a stored relationship the policy reads the payment as one (docs/policy-rules.md): show that.
      relationship:
        consent.customer_relationship ??
        (consent.order_paid === 1 ? 'PAID_ORDER' : consent.order_paid === 0 ? 'FREE_ONLY' : null),
      optOut: consent.opt_out_offered_at_collection,
      collectionTextVersionId: consent.collection_text_version_id,
      purchaseCategories: storedCategories(consent.purchase_categories),
    },
    orderRef: consent.order_ref ?? '',
    orderDate: storedDay(consent.order_at),
    lastPurchaseDate: storedDay(consent.last_purchase_at),
  };
}

/**
 * The correction `contacts.correctEvidence` takes: only what differs from what the form opened with. An
 * answer the owner empties is sent as `null`, so the stored one is cleared (the policy then reads it as not
 * known) instead of silently kept. The payment follows the relationship; the checkout text counts only where
 * the opt-out was offered (the form asks for it only then), so it is cleared with any other answer.
 */
function changedEvidence(before: CustomerForm, after: CustomerForm): CustomerCorrection {
  const was = customerEvidence(before.choice);
  const now = customerEvidence(after.choice);
  const differs = (next: unknown, stored: unknown) => JSON.stringify(next) !== JSON.stringify(stored);
  const textOf = (evidence: typeof now) =>
    evidence.optOutOfferedAtCollection === 'YES' ? evidence.collectionTextVersionId : undefined;
  const nowText = textOf(now);
  const correction: CustomerCorrection = {};
  if (differs(now.customerRelationship, was.customerRelationship))
    correction.relationship = now.customerRelationship ?? null;
  if (now.orderPaid !== was.orderPaid) correction.orderPaid = now.orderPaid ?? null;
  if (differs(now.optOutOfferedAtCollection, was.optOutOfferedAtCollection))
    correction.optOutOffered = now.optOutOfferedAtCollection ?? null;
  if (differs(nowText, textOf(was))) correction.optOutTextVersionId = nowText ?? null;
  if (differs(now.purchaseCategories, was.purchaseCategories))
    correction.productCategories = now.purchaseCategories ?? null;
  if (after.orderRef.trim() !== before.orderRef.trim()) correction.orderRef = after.orderRef.trim() || null;
  if (after.orderDate !== before.orderDate) correction.orderDate = after.orderDate || null;
  if (after.lastPurchaseDate !== before.lastPurchaseDate)
    correction.lastPurchaseDate = after.lastPurchaseDate || null;
  return correction;
}

/** What the dialog hands either correction form (customer, or phone and paper). */
export interface CorrectionFormProps {
  email: string;
  consent: Consent;
  onSaved: (result: RouterOutputs['contacts']['correctEvidence']) => void;
  onCancel: () => void;
  title: string;
}

/**
 * Corrects an existing customer's evidence: the add-contact form's customer questions, filled in with what
 * is stored. Only what the owner changes is sent; the method, lists and any unsubscribe stay as they are.
 */
export function CorrectCustomerForm({ email, consent, onSaved, onCancel, title }: CorrectionFormProps) {
  const { t } = useTranslation();
  const [before] = useState(() => storedForm(consent));
  const [form, setForm] = useState(before);
  const set = <K extends keyof CustomerForm>(key: K, value: CustomerForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const save = useCorrectEvidence(onSaved);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ email, senderEntityId: consent.sender_entity_id, customer: changedEvidence(before, form) });
  };
  return (
    <form onSubmit={submit} aria-label={title}>
      <Stack>
        <Text size="sm">{t('contacts.correct.intro')}</Text>
        <CustomerQuestions
          choice={form.choice}
          onChoice={(choice) => set('choice', choice)}
          orderRef={form.orderRef}
          onOrderRef={(value) => set('orderRef', value)}
          orderDate={form.orderDate}
          onOrderDate={(value) => set('orderDate', value)}
          autoFocus
        >
          {/* An imported customer may carry the last purchase of the shop's export as well. */}
          {before.lastPurchaseDate !== '' && (
            <DateOnlyInput
              label={t('import.fields.lastPurchaseAt')}
              value={form.lastPurchaseDate}
              onChange={(value) => set('lastPurchaseDate', value)}
            />
          )}
        </CustomerQuestions>
        <DialogFooter error={save.error} pending={save.isPending} onCancel={onCancel}>
          {t('contacts.correct.save')}
        </DialogFooter>
      </Stack>
    </form>
  );
}
