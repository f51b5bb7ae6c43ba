import { Box, Center, Loader, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../app/api-types.js';
import { routeHref } from '../../app/routes.js';
import { ErrorNotice } from '../../components/error-notice.js';
import classes from './contact-table.module.css';
import { useContactPages, type ContactFilters } from './queries.js';

const ROW_HEIGHT = 44;
const COLUMNS = '2.2fr 1.6fr 1fr 1.6fr 1.4fr';

/**
 * The contact list, virtualised: only the rows in view are in the DOM, and pages are fetched with the
 * api's keyset cursor as the user scrolls near the end, so 100,000 contacts scroll like 100.
 */
export function ContactTable({ filters }: { filters: ContactFilters }) {
  const { t, i18n } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const pages = useContactPages(filters);
  // Rebuilt only when a page arrives, not on every scroll frame.
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.items) ?? [], [pages.data]);
  const virtualizer = useVirtualizer({
    count: rows.length + (pages.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  useEffect(() => {
    if (lastIndex >= rows.length - 100 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (pages.isError) return <ErrorNotice error={pages.error} onRetry={() => void pages.refetch()} />;
  if (pages.isPending) {
    return (
      <Center h={200}>
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (rows.length === 0) {
    return (
      <Box p="xl" ta="center">
        <Text fw={600}>{t('contacts.empty')}</Text>
        <Text size="sm" c="dimmed">
          {t('contacts.emptyHint')}
        </Text>
      </Box>
    );
  }
  return (
    <Box style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
      <Box
        role="table"
        aria-label={t('contacts.title')}
        aria-rowcount={pages.hasNextPage ? -1 : rows.length + 1}
      >
        <Box role="rowgroup">
          <Box
            role="row"
            aria-rowindex={1}
            style={{
              display: 'grid',
              gridTemplateColumns: COLUMNS,
              padding: '8px 12px',
              borderBottom: '1px solid var(--mantine-color-gray-3)',
              background: 'var(--mantine-color-gray-0)',
            }}
          >
            {(['email', 'name', 'kind', 'methods', 'classification'] as const).map((column) => (
              <Text key={column} role="columnheader" size="sm" fw={600}>
                {t(`contacts.columns.${column}`)}
              </Text>
            ))}
          </Box>
        </Box>
        <Box
          ref={scrollRef}
          role="rowgroup"
          h="calc(100vh - 330px)"
          mih={300}
          style={{ overflowY: 'auto', position: 'relative' }}
          data-testid="contact-scroll"
        >
          <Box style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const contact = rows[item.index];
              const style = {
                position: 'absolute' as const,
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
              };
              if (!contact) {
                return (
                  <Center key="loader" style={style}>
                    <Loader size="xs" aria-label={t('app.loading')} />
                  </Center>
                );
              }
              return <ContactRow key={contact.id} contact={contact} index={item.index} start={item.start} />;
            })}
          </Box>
        </Box>
      </Box>
      <Text size="xs" c="dimmed" p="xs" aria-live="polite">
        {t(pages.hasNextPage ? 'contacts.loadedMore' : 'contacts.loaded', {
          count: rows.length,
          formatParams: { count: { lng: i18n.language } },
        })}
      </Text>
    </Box>
  );
}

type ContactSummary = RouterOutputs['contacts']['list']['items'][number];

/** One row: plain elements and CSS classes, memoised, so a scroll frame re-renders only rows that moved in. */
const ContactRow = memo(function ContactRow({
  contact,
  index,
  start,
}: {
  contact: ContactSummary;
  index: number;
  start: number;
}) {
  const { t } = useTranslation();
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.organisation || '';
  const classification = contact.lastClassification ?? 'UNASSESSED';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span role="cell" className={classes.cell}>
        {/* The link stays a link (a row cannot be one); its ::after stretches over the row to click anywhere. */}
        <a href={routeHref('contacts', contact.email)} className={classes.rowLink}>
          {contact.email}
        </a>
      </span>
      <span role="cell" className={classes.cell}>
        {name}
      </span>
      <span role="cell" className={`${classes.cell} ${classes.dimmed}`}>
        {t(`vocabulary.kinds.${contact.recipientKind}`)}
      </span>
      <span role="cell" className={classes.cell}>
        {contact.methods.map((method) => (
          <span key={method} className={classes.method} title={t(`vocabulary.methods.${method}`)}>
            {t(`vocabulary.methods.${method}`).split(' (')[0]}
          </span>
        ))}
      </span>
      <span role="cell" className={classes.cell}>
        <span className={`${classes.class} ${classes[classification]}`}>
          {t(`vocabulary.classes.${classification}`)}
        </span>
      </span>
    </div>
  );
});
