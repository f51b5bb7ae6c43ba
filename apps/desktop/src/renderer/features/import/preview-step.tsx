import { Alert, Badge, Group, Loader, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ImportField, RouterOutputs } from '../../app/api-types.js';
import { useTRPC } from '../../app/trpc.js';
import { ErrorNotice } from '../../components/error-notice.js';
import type { ChosenImportFile } from './file-step.js';
import { delimiterKey, IMPORT_FIELDS } from './import-options.js';

export type Overrides = Record<string, ImportField>;
export type ImportPreview = RouterOutputs['imports']['preview'];

/** The key an override uses for a column: its header, or `#n` when the file has no header row. */
export function columnKey(column: { header: string; index: number }): string {
  return column.header.trim() === '' ? `#${column.index + 1}` : column.header;
}

/** What the importer detected (format, encoding, delimiter, tool) and the first rows under a field select per column. */
export function PreviewStep({
  chosen,
  overrides,
  onOverride,
}: {
  chosen: ChosenImportFile;
  overrides: Overrides;
  onOverride: (key: string, field: ImportField) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const preview = useQuery({
    ...trpc.imports.preview.queryOptions({ file: chosen.file, overrides, rows: 10 }),
    placeholderData: (previous) => previous,
  });
  if (preview.isPending) return <Loader aria-label={t('app.loading')} />;
  if (preview.isError) return <ErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />;
  const data = preview.data;
  const delimiter = delimiterKey(data.delimiter);
  const fieldOptions = IMPORT_FIELDS.map((field) => ({ value: field, label: t(`import.fields.${field}`) }));
  const hasEmail = data.mapping.columns.some((column) => column.field === 'email');
  return (
    <Stack>
      <Group gap="lg" aria-label={t('import.steps.preview')}>
        <Detected label={t('import.preview.format')} value={data.format.toUpperCase()} />
        <Detected
          label={t('import.preview.encoding')}
          value={
            data.encoding
              ? `${data.encoding}${data.bom ? ` (${t('import.preview.bom')})` : ''}`
              : t('import.preview.none')
          }
        />
        <Detected
          label={t('import.preview.delimiter')}
          value={delimiter ? t(`import.preview.delimiters.${delimiter}`) : t('import.preview.none')}
        />
        <Detected label={t('import.preview.tool')} value={t(`import.preview.tools.${data.tool}`)} />
      </Group>
      <Text size="sm">{t('import.preview.mappingHelp')}</Text>
      {!hasEmail && (
        <Alert color="orange" role="alert">
          {t('import.preview.noEmail')}
        </Alert>
      )}
      <ScrollArea type="auto" offsetScrollbars>
        <Table striped withTableBorder withColumnBorders miw={data.mapping.columns.length * 180}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60}>{t('import.preview.row')}</Table.Th>
              {data.mapping.columns.map((column) => (
                <Table.Th key={column.index} miw={170}>
                  <Stack gap={4}>
                    <Text size="xs" c="dimmed" truncate>
                      {column.header || `#${column.index + 1}`}
                    </Text>
                    <Select
                      size="xs"
                      aria-label={t('import.preview.columnField', {
                        column: column.header || `#${column.index + 1}`,
                      })}
                      data={fieldOptions}
                      value={column.field}
                      allowDeselect={false}
                      searchable
                      onChange={(value) => value && onOverride(columnKey(column), value)}
                    />
                  </Stack>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.rows.map((row) => (
              <Table.Tr key={row.rowNumber}>
                <Table.Td>{row.rowNumber}</Table.Td>
                {data.mapping.columns.map((column) => (
                  <Table.Td key={column.index} c={column.field === 'ignore' ? 'dimmed' : undefined}>
                    <Text size="sm" truncate maw={260}>
                      {row.cells[column.index] ?? ''}
                    </Text>
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}

function Detected({ label, value }: { label: string; value: string }) {
  return (
    <Group gap={6}>
      <Text size="sm" c="dimmed">
        {label}:
      </Text>
      <Badge variant="light" tt="none">
        {value}
      </Badge>
    </Group>
  );
}

/** True when the current preview maps some column to the e-mail address. */
export function previewHasEmail(preview: ImportPreview | undefined): boolean {
  return preview?.mapping.columns.some((column) => column.field === 'email') ?? false;
}
