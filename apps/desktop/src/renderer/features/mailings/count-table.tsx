import { SimpleGrid, Table } from '@mantine/core';
import { useMethodLabel } from './assessment-panel.js';
import { useUiLanguage } from '../../components/ui-language.js';

/**
 * A two-column table of counts per code (consent method, rule id), as the acknowledgement shows them:
 * in the signing dialog and in the accountant's detail view.
 */
export function CountTable({
  title,
  counts,
  label,
}: {
  title: string;
  counts: Record<string, number>;
  label: (code: string) => string;
}) {
  const lang = useUiLanguage();
  return (
    <Table withTableBorder aria-label={title}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th colSpan={2}>{title}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {Object.entries(counts).map(([code, count]) => (
          <Table.Tr key={code}>
            <Table.Td>{label(code)}</Table.Td>
            <Table.Td ta="right">{count.toLocaleString(lang)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The covered recipients by consent method and by rule, side by side: what an acknowledgement covers. */
export function CoverageCounts({
  titles,
  byMethod,
  byReason,
}: {
  titles: { byMethod: string; byReason: string };
  byMethod: Record<string, number>;
  byReason: Record<string, number>;
}) {
  const methodLabel = useMethodLabel();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <CountTable title={titles.byMethod} counts={byMethod} label={methodLabel} />
      <CountTable title={titles.byReason} counts={byReason} label={(code) => code} />
    </SimpleGrid>
  );
}
