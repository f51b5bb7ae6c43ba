import { SimpleGrid, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DateOnlyInput } from '../../components/date-only-input.js';
import { CustomerEvidenceFields, type CustomerEvidenceChoice } from '../import/customer-evidence-fields.js';

/**
 * What the contact forms ask about an existing customer: the order number and date, then the import wizard's
 * customer questions. One component for adding and for correcting, so both ask in the same words.
 */
export function CustomerQuestions({
  choice,
  onChoice,
  orderRef,
  onOrderRef,
  orderDate,
  onOrderDate,
  autoFocus = false,
  children,
}: {
  choice: CustomerEvidenceChoice;
  onChoice: (next: CustomerEvidenceChoice) => void;
  orderRef: string;
  onOrderRef: (value: string) => void;
  orderDate: string;
  onOrderDate: (value: string) => void;
  /** The dialog opens on the order number (a correction, where these are the only questions). */
  autoFocus?: boolean;
  /** Asked after the order (a correction's last purchase date from an import). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <CustomerEvidenceFields
      choice={choice}
      onChange={onChoice}
      title={t('contacts.add.customer.title')}
      intro={t('contacts.add.customer.intro')}
    >
      <SimpleGrid cols={2}>
        <TextInput
          label={t('contacts.add.customer.orderRef')}
          description={t('contacts.add.optional')}
          value={orderRef}
          onChange={(event) => onOrderRef(event.currentTarget.value)}
          data-autofocus={autoFocus || undefined}
        />
        <DateOnlyInput
          label={t('contacts.add.dates.CUSTOMER')}
          description={t('contacts.add.customer.orderDateHint')}
          value={orderDate}
          onChange={onOrderDate}
        />
      </SimpleGrid>
      {children}
    </CustomerEvidenceFields>
  );
}
