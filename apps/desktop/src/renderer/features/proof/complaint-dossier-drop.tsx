import { COMPLAINT_SOURCES } from '@consent-mailer/policy/vocabulary';
import { Button, Group, List, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../app/api-types.js';
import { describeError } from '../../components/describe-error.js';
import { EmlDropzone } from '../../components/eml-dropzone.js';
import { downloadBase64 } from '../../components/download.js';
import { proofMessages } from './proof.messages.js';
import { useComplaintDossier } from './queries.js';
import { useUiLanguage } from '../../components/ui-language.js';

type Source = RouterInputs['proof']['complaintDossier']['source'];
type Dossier = RouterOutputs['proof']['complaintDossier'];
type Found = keyof typeof proofMessages.nl.dossier.found;

const SOURCES = COMPLAINT_SOURCES satisfies readonly Source[];
const isFound = (tier: string): tier is Found => tier in proofMessages.nl.dossier.found;

type Outcome = { key: string; name: string } & ({ dossier: Dossier } | { failed: string });

/** Drop a complained message: the complaint is recorded and the dossier (proof + answer letter) offered. */
export function ComplaintDossierDrop() {
  const { t } = useTranslation();
  const language = useUiLanguage();
  const make = useComplaintDossier();
  const [source, setSource] = useState<Source>('SPAMKLACHT');
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);

  const read = async (files: File[]) => {
    for (const file of files) {
      const key = `${Date.now()}-${file.name}`;
      try {
        const dossier = await make.mutateAsync({ eml: await file.text(), source });
        setOutcomes((previous) => [{ key, name: file.name, dossier }, ...previous]);
      } catch (error) {
        setOutcomes((previous) => [
          { key, name: file.name, failed: describeError(error, language).message },
          ...previous,
        ]);
      }
    }
  };

  return (
    <Stack>
      <Title order={2} size="h3">
        {t('proof.dossier.title')}
      </Title>
      <Text size="sm">{t('proof.dossier.intro')}</Text>
      <Select
        label={t('proof.dossier.source')}
        data={SOURCES.map((value) => ({ value, label: t(`vocabulary.complaintSources.${value}`) }))}
        value={source}
        onChange={(value) => value && setSource(value)}
        allowDeselect={false}
        maw={360}
      />
      <EmlDropzone
        name="complaint-dossier-files"
        texts={{
          drop: t('proof.dossier.drop'),
          dropLabel: t('proof.dossier.dropLabel'),
          reading: t('proof.dossier.reading'),
          rejected: t('proof.dossier.rejected'),
        }}
        busy={make.isPending}
        minHeight={90}
        onFiles={(files) => void read(files)}
      />
      {outcomes.length > 0 && (
        <List spacing="sm" aria-label={t('proof.dossier.result')}>
          {outcomes.map((outcome) => (
            <List.Item key={outcome.key}>
              <Text size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
                {outcome.name}
              </Text>
              {'failed' in outcome ? (
                <Text size="sm" c="red.8">
                  {t('proof.dossier.failed', { message: outcome.failed })}
                </Text>
              ) : (
                <Group gap="sm" align="center">
                  <Text size="sm">
                    {t('proof.dossier.recorded', {
                      email: outcome.dossier.email,
                      found: isFound(outcome.dossier.tier)
                        ? t(`proof.dossier.found.${outcome.dossier.tier}`)
                        : t('proof.dossier.found.NONE'),
                    })}{' '}
                    {outcome.dossier.mailingId !== null &&
                      t('proof.dossier.rate', {
                        rate: new Intl.NumberFormat(language, {
                          style: 'percent',
                          maximumFractionDigits: 2,
                        }).format(outcome.dossier.complaintRate),
                      })}
                  </Text>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => {
                      const { base64, fileName } = outcome.dossier;
                      if (base64 !== null) downloadBase64(fileName, base64, 'application/zip');
                    }}
                  >
                    {t('proof.dossier.save')}
                  </Button>
                </Group>
              )}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
