import type { Lang } from '@consent-mailer/policy/vocabulary';
import { Alert, Badge, Checkbox, Group, Loader, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportField, RouterOutputs } from '../../app/api-types.js';
import { ErrorNotice } from '../../components/error-notice.js';
import type { ChosenImportFile } from './file-step.js';
import { delimiterKey, IMPORT_FIELDS } from './import-options.js';
import { useImportPreview } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

export type Overrides = Record<string, ImportField>;
export type ImportPreview = RouterOutputs['imports']['preview'];
/** How a file whose rows mix encodings is read (only asked for such a file). */
export type EncodingChoice = 'per-line' | 'utf-8' | 'windows-1252';

/** The key an override uses for a column: its header, or `#n` when the file has no header row. */
export function columnKey(column: { header: string; index: number }): string {
  return column.header.trim() === '' ? `#${column.index + 1}` : column.header;
}

/** What the importer detected (format, encoding, delimiter, tool) and the first rows under a field select per column. */
export function PreviewStep({
  chosen,
  overrides,
  onOverride,
  encoding,
  onEncoding,
  rowMethodFromEvidence,
  onRowMethodFromEvidence,
}: {
  chosen: ChosenImportFile;
  overrides: Overrides;
  onOverride: (key: string, field: ImportField) => void;
  encoding: EncodingChoice | null;
  onEncoding: (encoding: EncodingChoice) => void;
  rowMethodFromEvidence: boolean;
  onRowMethodFromEvidence: (value: boolean) => void;
}) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const preview = useImportPreview({ file: chosen.file, overrides }, { keepPrevious: true });
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
      <ImportReportPanel
        data={data}
        lang={lang}
        rowMethodFromEvidence={rowMethodFromEvidence}
        onRowMethodFromEvidence={onRowMethodFromEvidence}
      />
      {data.encodingConflict && (
        <Alert color="orange" role="alert" title={t('import.preview.encodingConflict.title')}>
          <Stack gap="xs">
            <Text size="sm">
              {t('import.preview.encodingConflict.body', {
                utf8Line: data.encodingConflict.utf8Line,
                windows1252Line: data.encodingConflict.windows1252Line,
                more: data.encodingConflict.windows1252Lines - 1,
              })}
            </Text>
            <Select
              label={t('import.preview.encodingConflict.choice')}
              data={(data.encodingChoices ?? []).map((choice) => ({
                value: choice,
                label: t(`import.preview.encodingConflict.choices.${choice}`),
              }))}
              value={encoding}
              allowDeselect={false}
              onChange={(value) => value && onEncoding(value)}
              maw={320}
            />
          </Stack>
        </Alert>
      )}
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

/** The detected profile: what is dropped, what the first rows become, and the per-row method to confirm. */
function ImportReportPanel({
  data,
  lang,
  rowMethodFromEvidence,
  onRowMethodFromEvidence,
}: {
  data: ImportPreview;
  lang: Lang;
  rowMethodFromEvidence: boolean;
  onRowMethodFromEvidence: (value: boolean) => void;
}) {
  const { t } = useTranslation();
  const { report } = data;
  const blocked = report.sample.suppressed + report.sample.objected + report.sample.unconsented;
  const rule = report.rowMethods[0];
  return (
    <Stack gap="xs">
      <Text size="sm">
        {t('import.preview.report.dropped')}:{' '}
        {report.dropped.length > 0 ? report.dropped.join(', ') : t('import.preview.report.noneDropped')}
      </Text>
      {blocked > 0 && (
        <Alert color="blue">
          {t('import.preview.report.sample', {
            rows: report.sample.rows,
            suppressed: report.sample.suppressed,
            objected: report.sample.objected,
            unconsented: report.sample.unconsented,
          })}
        </Alert>
      )}
      {rule && report.profile && (
        <Checkbox
          checked={rowMethodFromEvidence}
          onChange={(event) => onRowMethodFromEvidence(event.currentTarget.checked)}
          label={t('import.preview.report.rowMethod', { tool: report.profile.name })}
          description={t('import.preview.report.rowMethodHint', {
            rule: rule.text[lang],
            count: report.sample.methodFromEvidence,
          })}
        />
      )}
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

/** True when the file can go on: an address column, and an encoding chosen for a file that mixes them. */
export function previewReady(preview: ImportPreview | undefined, encoding: EncodingChoice | null): boolean {
  return previewHasEmail(preview) && (!preview?.encodingConflict || encoding !== null);
}
