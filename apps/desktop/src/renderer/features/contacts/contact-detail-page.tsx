import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import type { importMessages } from '../import/import.messages.js';
import { ADD_WAYS, AddContactDialog, type AddWay } from './add-contact-form.js';
import { ContactActions } from './contact-actions.js';
import { CorrectEvidenceDialog } from './correct-evidence-form.js';
import { contactsMessages } from './contacts.messages.js';
import { useContact } from './queries.js';
import { useConsentTexts, useEntities, useLists } from '../settings/queries.js';

type KnownEvent = keyof typeof contactsMessages.nl.detail.events;
/**
 * Event types have dots ("import.started"), which i18next reads as nesting: the text keys use "_". A
 * correction of the evidence is a `consent.updated` naming the corrected columns, and is titled as one.
 */
function eventKey(type: string, data: unknown): KnownEvent | undefined {
  const corrected = typeof data === 'object' && data !== null && 'corrected' in data;
  const key = type === 'consent.updated' && corrected ? 'consent_corrected' : type.replace(/\./g, '_');
  return key in contactsMessages.nl.detail.events ? (key as KnownEvent) : undefined;
}
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}T12:00:00\.000Z$/;

/** The stored JSON list of product groups as the owner typed them: "brood, gebak". */
function categoriesOf(json: string): string {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.map(String).join(', ') : json;
  } catch {
    return json;
  }
}

// The consents whose evidence the owner may correct (the store's contact-correction takes these methods).
const CORRECTABLE: readonly string[] = ['PHONE', 'PAPER', 'CUSTOMER'];

const isAddWay = (value: string): value is AddWay => (ADD_WAYS as readonly string[]).includes(value);

type ContactDetail = RouterOutputs['contacts']['get'];
type Consent = ContactDetail['consents'][number];

// The evidence columns of a consent, shown with the import wizard's field names (same meaning).
const EVIDENCE: {
  column: keyof Consent;
  field: keyof typeof importMessages.nl.fields;
}[] = [
  { column: 'signup_at', field: 'signupAt' },
  { column: 'signup_ip', field: 'signupIp' },
  { column: 'signup_user_agent', field: 'signupUserAgent' },
  { column: 'source', field: 'source' },
  { column: 'consent_text_version_id', field: 'consentTextVersionId' },
  { column: 'confirm_mail_sent_at', field: 'confirmMailSentAt' },
  { column: 'confirmed_at', field: 'confirmedAt' },
  { column: 'confirm_ip', field: 'confirmIp' },
  { column: 'confirm_user_agent', field: 'confirmUserAgent' },
  { column: 'phone_agent', field: 'phoneAgent' },
  { column: 'phone_recording_ref', field: 'phoneRecordingRef' },
  { column: 'paper_scan_ref', field: 'paperScanRef' },
  { column: 'order_ref', field: 'orderRef' },
  { column: 'order_at', field: 'orderAt' },
  { column: 'last_purchase_at', field: 'lastPurchaseAt' },
  { column: 'purchase_categories', field: 'purchaseCategories' },
  { column: 'customer_relationship', field: 'customerRelationship' },
  { column: 'opt_out_offered_at_collection', field: 'optOutOfferedAtCollection' },
  { column: 'collection_text_version_id', field: 'collectionTextVersionId' },
  { column: 'published_url', field: 'publishedUrl' },
  { column: 'published_captured_at', field: 'publishedCapturedAt' },
  { column: 'published_purpose', field: 'publishedPurpose' },
  { column: 'unsubscribed_at', field: 'unsubscribedAt' },
  { column: 'hard_bounce_at', field: 'hardBounceAt' },
];

/** The policy's class of a consent for a newsletter, in words (none before the sender's record exists). */
function NewsletterClass({
  classification,
}: {
  classification: ContactDetail['newsletterClasses'][number]['classification'] | undefined;
}) {
  const { t } = useTranslation();
  if (classification === undefined) return null;
  return (
    <Text size="sm" fw={500}>
      {t('contacts.detail.newsletterClass', { classification: t(`vocabulary.classes.${classification}`) })}
    </Text>
  );
}

/** One contact: consent with its evidence, suppressions, lists, the event history, and the actions. */
export function ContactDetailPage({ email }: { email: string }) {
  const { t, i18n } = useTranslation();
  const detail = useContact(email);
  const [editing, setEditing] = useState(false);
  // The consent whose evidence is being corrected.
  const [correcting, setCorrecting] = useState<number | null>(null);
  const allLists = useLists({ includeArchived: true });
  // The sender by its name, not its internal id (issue 14).
  const entities = useEntities();
  const entityName = (id: string) => {
    const entity = entities.data?.find((candidate) => candidate.id === id);
    return entity ? (entity.tradeName ?? entity.legalName) : id;
  };
  const listName = (id: string) => allLists.data?.find((list) => list.id === id)?.name ?? id;
  // A date entered without a time (an added contact's call or form date) is kept at noon UTC: shown as
  // that date alone, the same in every time zone.
  const formatDate = (value: string) =>
    DATE_ONLY.test(value)
      ? new Date(value).toLocaleDateString(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' })
      : // In the business's own zone, named: an imported time without a zone was read as Amsterdam time, and
        // a machine in another zone must not move it to the day before.
        new Date(value).toLocaleString(i18n.language, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: 'Europe/Amsterdam',
        }) + ' (Amsterdam)';
  // The consent text by its label, and the way an added contact consented in words (not the stored code).
  const texts = useConsentTexts();
  const showValue = (column: keyof Consent, value: Consent[keyof Consent]) => {
    if (column === 'purchase_categories' && typeof value === 'string') return categoriesOf(value);
    if (typeof value !== 'string') return String(value);
    if (ISO_TIME.test(value)) return formatDate(value);
    if (column === 'source' && isAddWay(value)) return t(`contacts.add.ways.${value}`);
    if (column === 'consent_text_version_id' || column === 'collection_text_version_id')
      return texts.data?.find((text) => text.id === value)?.label ?? value;
    // The customer's answers in the wizard's words, not the stored code.
    if (column === 'customer_relationship')
      return t(`import.customer.relationships.${value as NonNullable<Consent['customer_relationship']>}`);
    if (column === 'opt_out_offered_at_collection')
      return t(`import.customer.optOuts.${value as NonNullable<Consent['opt_out_offered_at_collection']>}`);
    return value;
  };
  const eventTitle = (type: string, data: unknown) => {
    const key = eventKey(type, data);
    return key ? t(`contacts.detail.events.${key}`) : type;
  };
  if (detail.isPending) return <Loader aria-label={t('app.loading')} />;
  if (detail.isError) return <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />;
  const { contact, consents, suppressions, lists, history, newsletterClasses } = detail.data;
  // The policy's class (from the api) of the consent given to this sender, for a newsletter.
  const newsletterClass = (senderEntityId: string) =>
    newsletterClasses.find((entry) => entry.senderEntityId === senderEntityId)?.classification;
  const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ');
  return (
    <Stack>
      <Anchor href={routeHref('contacts')} size="sm">
        ← {t('contacts.detail.back')}
      </Anchor>
      <AddContactDialog
        opened={editing}
        onClose={() => setEditing(false)}
        person={{ email: contact.email, firstName: contact.first_name, lastName: contact.last_name }}
      />
      <Group justify="space-between" align="start">
        <Stack gap={0}>
          <Title order={1}>{contact.email}</Title>
          {name && <Text c="dimmed">{name}</Text>}
        </Stack>
        <Group>
          <Button variant="light" onClick={() => setEditing(true)}>
            {t('contacts.add.edit')}
          </Button>
          <ContactActions email={contact.email} />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('contacts.detail.consents')}
          </Title>
          {consents.length === 0 && <Text size="sm">{t('contacts.detail.noConsents')}</Text>}
          <Stack>
            {consents.map((consent) => {
              const evidence = EVIDENCE.filter(
                ({ column }) => consent[column] !== null && consent[column] !== undefined,
              );
              return (
                <Stack key={consent.id} gap="xs">
                  <Group gap="xs">
                    <Badge tt="none">{t(`vocabulary.methods.${consent.method}`)}</Badge>
                    <Badge variant="outline" tt="none">
                      {t('contacts.detail.status')}: {t(`contacts.detail.statuses.${consent.status}`)}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {t('contacts.detail.entity')}: {entityName(consent.sender_entity_id)}
                    </Text>
                    <NewsletterClass classification={newsletterClass(consent.sender_entity_id)} />
                    {CORRECTABLE.includes(consent.method) && (
                      <Button size="xs" variant="subtle" onClick={() => setCorrecting(consent.id)}>
                        {t('contacts.correct.button')}
                      </Button>
                    )}
                  </Group>
                  <CorrectEvidenceDialog
                    email={contact.email}
                    consent={consent}
                    opened={correcting === consent.id}
                    onClose={() => setCorrecting(null)}
                  />
                  {evidence.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('contacts.detail.noEvidence')}
                    </Text>
                  ) : (
                    <Table
                      aria-label={t('contacts.detail.evidence')}
                      withRowBorders={false}
                      verticalSpacing={2}
                    >
                      <Table.Tbody>
                        {evidence.map(({ column, field }) => (
                          <Table.Tr key={column}>
                            <Table.Th w="45%" fw={500} c="dimmed">
                              {t(`import.fields.${field}`)}
                            </Table.Th>
                            <Table.Td>
                              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                                {showValue(column, consent[column])}
                              </Text>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Stack>
              );
            })}
          </Stack>
        </Card>
        <Stack>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('contacts.detail.suppressions')}
            </Title>
            {suppressions.length === 0 ? (
              <Text size="sm">{t('contacts.detail.notSuppressed')}</Text>
            ) : (
              <Stack gap={4}>
                {suppressions.map((suppression) => (
                  <Group key={`${suppression.reason}-${suppression.createdAt}`} gap="xs">
                    <Badge color="red" variant="light" tt="none">
                      {t(`suppressions.reasons.${suppression.reason}`, { defaultValue: suppression.reason })}
                    </Badge>
                    <Text size="sm">
                      {t(`suppressions.sources.${suppression.source}`, {
                        defaultValue: t('suppressions.sources.unknown'),
                      })}{' '}
                      · {t('contacts.detail.since', { date: formatDate(suppression.createdAt) })}
                    </Text>
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('contacts.detail.lists')}
            </Title>
            <Text size="sm">
              {lists.length === 0 ? t('contacts.detail.noLists') : lists.map(listName).join(', ')}
            </Text>
          </Card>
        </Stack>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('contacts.detail.history')}
        </Title>
        {history.length === 0 ? (
          <Text size="sm">{t('contacts.detail.noHistory')}</Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} aria-label={t('contacts.detail.history')}>
            {history.map((entry) => (
              <Timeline.Item key={entry.seq} title={eventTitle(entry.type, entry.data)}>
                <Text size="xs" c="dimmed">
                  {formatDate(entry.at)} · #{entry.seq}
                </Text>
                {entry.data !== null && entry.data !== undefined && (
                  // The raw event stays one click away: it is what an auditor compares with an export.
                  <details>
                    <summary style={{ cursor: 'pointer', fontSize: 'var(--mantine-font-size-xs)' }}>
                      {t('contacts.detail.details')}
                    </summary>
                    <Code block fz="xs" mt={4}>
                      {JSON.stringify(entry.data, null, 1)}
                    </Code>
                  </details>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Card>
    </Stack>
  );
}
