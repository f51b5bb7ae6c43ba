import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ErrorNotice } from './error-notice.js';

// The shape every settings screen shares (senders, lists, consent texts, SMTP profiles, mailboxes): what is
// recorded, as a table, then a form to add (or change) one. One place, so they read and behave alike.

/** A change's error, or null/undefined when its last try went well (as TanStack Query's `error`). */
type MaybeError = unknown;

const shown = (error: MaybeError) => error !== null && error !== undefined;

/**
 * A settings section: title, intro, the records (with retry when reading failed, a sentence when there are
 * none), the errors of the section's row actions, and the form below.
 *
 * @example
 * <RecordsSection title={t('settings.lists.title')} intro={…} empty={…} records={lists}
 *   columns={[t('settings.lists.name'), null]} row={(list) => <Table.Tr key={list.id}>…</Table.Tr>}>
 *   <FormCard …/>
 * </RecordsSection>
 */
export function RecordsSection<Item>({
  title,
  intro,
  empty,
  records,
  errors = [],
  columns,
  row,
  children,
}: {
  title: string;
  intro: string;
  empty: string;
  records: { data: readonly Item[] | undefined; error: MaybeError; refetch: () => unknown };
  /** The errors of the row actions (delete, archive), shown above the table they concern. */
  errors?: MaybeError[];
  /** The column headings; null for a column without one (the row's buttons). */
  columns: (string | null)[];
  row: (item: Item) => ReactNode;
  children?: ReactNode;
}) {
  return (
    <Stack>
      <Title order={2} size="h3">
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {intro}
      </Text>
      {shown(records.error) && <ErrorNotice error={records.error} onRetry={() => void records.refetch()} />}
      {errors.filter(shown).map((error, index) => (
        <ErrorNotice key={index} error={error} />
      ))}
      {records.data?.length === 0 && <Text>{empty}</Text>}
      {records.data && records.data.length > 0 && (
        <RecordsTable label={title} columns={columns} items={records.data} row={row} />
      )}
      {children}
    </Stack>
  );
}

/**
 * A table of records under one row of column headings, labelled for screen readers by what it lists.
 * `highlight` marks the row under the pointer where a row is a link.
 */
export function RecordsTable<Item>({
  label,
  columns,
  items,
  row,
  highlight = false,
}: {
  label: string;
  /** The column headings; null for a column without one (the row's buttons). */
  columns: (string | null)[];
  items: readonly Item[];
  row: (item: Item) => ReactNode;
  highlight?: boolean;
}) {
  return (
    <Table withTableBorder highlightOnHover={highlight} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column, index) => (
            <Table.Th key={index}>{column}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{items.map(row)}</Table.Tbody>
    </Table>
  );
}

/**
 * The add (or change) form of a settings section: its title, the fields, what went wrong, and save; with
 * `onCancel`, a button that leaves editing.
 */
export function FormCard({
  title,
  onSubmit,
  maw,
  errors,
  pending,
  submitLabel,
  cancel,
  children,
}: {
  title: string;
  onSubmit: (event: FormEvent) => void;
  maw?: number;
  errors: MaybeError[];
  pending: boolean;
  submitLabel: string;
  cancel?: { label: string; onCancel: () => void } | undefined;
  children: ReactNode;
}) {
  return (
    <Card withBorder component="form" onSubmit={onSubmit} aria-label={title} {...(maw ? { maw } : {})}>
      <Stack>
        <Title order={3} size="h5">
          {title}
        </Title>
        {children}
        {errors.filter(shown).map((error, index) => (
          <ErrorNotice key={index} error={error} />
        ))}
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
          {cancel && (
            <Button variant="default" onClick={cancel.onCancel}>
              {cancel.label}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** What a row's action (a connection test, a run) answered, in the row until the next one. */
export function StatusLine({
  ok,
  size = 'xs',
  children,
}: {
  ok: boolean;
  size?: 'xs' | 'sm';
  children: ReactNode;
}) {
  return (
    <Text size={size} c={ok ? 'teal' : 'red'} role="status">
      {children}
    </Text>
  );
}

// A row's own buttons: an edit in the theme colour, a quiet archive, a delete in dark red (readable contrast,
// WCAG AA, and not as loud as a filled red button for something the store may still refuse).
const TONES = {
  edit: {},
  quiet: { color: 'gray' },
  delete: { color: 'gray', c: 'red.9' },
} as const;

/** A small button in a record's row; `label` names the record for screen readers ("Delete: Bakkerij"). */
export function RowButton({
  tone,
  label,
  onClick,
  children,
}: {
  tone: keyof typeof TONES;
  label: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button size="xs" variant="subtle" {...TONES[tone]} aria-label={label} onClick={onClick}>
      {children}
    </Button>
  );
}
