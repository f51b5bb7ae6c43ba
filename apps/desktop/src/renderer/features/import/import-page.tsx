import { Button, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportField, RouterInputs } from '../../app/api-types.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { ConsentStep, EMPTY_CONSENT, consentReady, type ConsentChoice } from './consent-step.js';
import { customerEvidence } from './customer-evidence-fields.js';
import { FileStep, type ChosenImportFile } from './file-step.js';
import { PreviewStep, previewReady, type EncodingChoice, type Overrides } from './preview-step.js';
import { ResultStep } from './result-step.js';
import { RunStep, type ImportJob } from './run-step.js';
import { useImportFinished, useImportPreview, useStartImport } from './queries.js';

/** The import wizard: file, preview and mapping, consent and evidence, progress, result. */
export function ImportPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [chosen, setChosen] = useState<ChosenImportFile | null>(null);
  const [overrides, setOverrides] = useState<Overrides>({});
  const [encoding, setEncoding] = useState<EncodingChoice | null>(null);
  const [rowMethodFromEvidence, setRowMethodFromEvidence] = useState(false);
  const [consent, setConsent] = useState<ConsentChoice>(EMPTY_CONSENT);
  const [jobId, setJobId] = useState<string | null>(null);
  const [ended, setEnded] = useState<ImportJob | null>(null);
  const preview = useImportPreview(chosen === null ? null : { file: chosen.file, overrides });
  const run = useStartImport((started) => {
    setJobId(started.jobId);
    setStep(3);
  });
  const finished = useImportFinished();
  const onEnded = useCallback(
    (job: ImportJob) => {
      setEnded(job);
      setStep(4);
      finished();
    },
    [finished],
  );
  // A method column, or the per-row method the owner confirmed in the preview, answers the method question.
  const methodColumn =
    (preview.data?.mapping.columns.some((column) => column.field === 'method') ?? false) ||
    rowMethodFromEvidence;

  const reset = () => {
    setStep(0);
    setChosen(null);
    setOverrides({});
    setEncoding(null);
    setRowMethodFromEvidence(false);
    setConsent(EMPTY_CONSENT);
    setJobId(null);
    setEnded(null);
    run.reset();
  };

  const start = () => {
    if (!chosen || !consent.senderEntityId) return;
    const evidence: NonNullable<RouterInputs['imports']['run']['evidence']> =
      consent.method === 'CUSTOMER' ? customerEvidence(consent.customer) : {};
    // The day as entered, at noon UTC as every date-only value is stored (not local noon, which is the day
    // before in UTC east of +12 and shows as another day in Amsterdam).
    if (consent.signupDate) evidence.signupAt = `${consent.signupDate}T12:00:00.000Z`;
    if (consent.source.trim()) evidence.source = consent.source.trim();
    if (consent.phoneAgent.trim()) evidence.phoneAgent = consent.phoneAgent.trim();
    if (consent.paperScanRef.trim()) evidence.paperScanRef = consent.paperScanRef.trim();
    if (consent.consentTextVersionId) evidence.consentTextVersionId = consent.consentTextVersionId;
    run.mutate({
      file: chosen.file,
      overrides,
      senderEntityId: consent.senderEntityId,
      recipientKind: consent.recipientKind,
      evidence,
      dryRun: consent.dryRun,
      ...(encoding ? { encoding } : {}),
      ...(rowMethodFromEvidence ? { rowMethodFromEvidence: true } : {}),
      ...(consent.listId ? { listId: consent.listId } : {}),
      ...(consent.method ? { method: consent.method } : {}),
      ...(consent.method === 'IMPORTED_UNKNOWN'
        ? {
            attestation: {
              signerName: consent.signerName.trim(),
              claimedBasis: consent.claimedBasis.trim(),
              signedAt: new Date().toISOString(),
            },
          }
        : {}),
    });
  };

  return (
    <Stack>
      <Title order={1}>{t('import.title')}</Title>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('import.steps.file')} description={t('import.steps.fileHint')}>
          <FileStep
            onChosen={(file) => {
              setChosen(file);
              setOverrides({});
              setEncoding(null);
              setRowMethodFromEvidence(false);
              setStep(1);
            }}
          />
        </Stepper.Step>
        <Stepper.Step label={t('import.steps.preview')} description={t('import.steps.previewHint')}>
          {chosen && (
            <Stack>
              <Text size="sm">
                {t('import.file.chosen')}: <strong>{chosen.name}</strong>
              </Text>
              <PreviewStep
                chosen={chosen}
                overrides={overrides}
                onOverride={(key: string, field: ImportField) =>
                  setOverrides((previous) => ({ ...previous, [key]: field }))
                }
                encoding={encoding}
                onEncoding={setEncoding}
                rowMethodFromEvidence={rowMethodFromEvidence}
                onRowMethodFromEvidence={setRowMethodFromEvidence}
              />
              <Group>
                <Button variant="default" onClick={reset}>
                  {t('import.back')}
                </Button>
                <Button onClick={() => setStep(2)} disabled={!previewReady(preview.data, encoding)}>
                  {t('import.next')}
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label={t('import.steps.consent')} description={t('import.steps.consentHint')}>
          <Stack>
            <ConsentStep choice={consent} onChange={setConsent} methodColumn={methodColumn} />
            {run.isError && <ErrorNotice error={run.error} />}
            <Group>
              <Button variant="default" onClick={() => setStep(1)}>
                {t('import.back')}
              </Button>
              <Button onClick={start} disabled={!consentReady(consent, methodColumn)} loading={run.isPending}>
                {consent.dryRun ? t('import.run.check') : t('import.run.start')}
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t('import.steps.run')} description={t('import.steps.runHint')}>
          {jobId && <RunStep jobId={jobId} onEnded={onEnded} />}
        </Stepper.Step>
        <Stepper.Step label={t('import.steps.result')} description={t('import.steps.resultHint')}>
          {ended && <ResultStep job={ended} fileName={chosen?.name ?? ''} onAnother={reset} />}
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
