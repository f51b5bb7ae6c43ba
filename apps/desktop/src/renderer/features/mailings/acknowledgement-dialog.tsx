import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Loader,
  Modal,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterInputs, RouterOutputs } from '../../app/api-types.js';
import { usePrepareAcknowledgement, useSignAcknowledgement } from '../acknowledgements/queries.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { CoverageCounts } from './count-table.js';
import { SignaturePad } from './signature-pad.js';
import { useUiLanguage } from '../../components/ui-language.js';

export type SignedAcknowledgement = RouterOutputs['acknowledgements']['sign'];
type StatementId = RouterInputs['acknowledgements']['sign']['confirmedStatementIds'][number];

/**
 * The risk-transfer acknowledgement: the signer's name and role, then the text in the user's language, each
 * statement with its own checkbox, whom it covers (counts and the recipient-set hash), an optional drawn
 * signature. Signing is refused by the api if the recipients changed since the text was shown.
 */
export function AcknowledgementDialog({
  mailingId,
  opened,
  onClose,
  onSigned,
}: {
  mailingId: string;
  opened: boolean;
  onClose: () => void;
  onSigned: (signed: SignedAcknowledgement) => void;
}) {
  const { t } = useTranslation();
  const lang = useUiLanguage();
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [confirmed, setConfirmed] = useState<Set<string>>(new Set());
  const [signature, setSignature] = useState<string | null>(null);
  // The text does not depend on the name, but prepare checks it: wait until typing pauses.
  const [signer] = useDebouncedValue({ name: name.trim(), role: role.trim() }, 400);
  const ready = signer.name !== '' && signer.role !== '';
  const prepare = usePrepareAcknowledgement(
    { mailingId, name: signer.name || '-', role: signer.role || '-', lang },
    opened && ready,
  );
  const sign = useSignAcknowledgement(onSigned);
  const preview = prepare.data;
  const allConfirmed =
    preview !== undefined && preview.statements.every((statement) => confirmed.has(statement.id));
  const toggle = (id: string, checked: boolean) =>
    setConfirmed((previous) => {
      const next = new Set(previous);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!preview || !allConfirmed) return;
    sign.mutate({
      mailingId,
      name: name.trim(),
      role: role.trim(),
      lang,
      // The ids come from `prepare`, so they are the api's statement ids; the api validates them again.
      confirmedStatementIds: preview.statements
        .map((statement) => statement.id as StatementId)
        .filter((id) => confirmed.has(id)),
      expectedRecipientSetHash: preview.recipientSetHash,
      ...(signature ? { signatureImage: signature } : {}),
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('mailings.ack.title')} size="xl" centered={false}>
      <form onSubmit={submit} aria-label={t('mailings.ack.title')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('mailings.ack.name')}
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-autofocus
            />
            <TextInput
              label={t('mailings.ack.role')}
              placeholder={t('mailings.ack.rolePlaceholder')}
              required
              value={role}
              onChange={(event) => setRole(event.currentTarget.value)}
            />
          </SimpleGrid>
          {!ready && (
            <Text size="sm" c="dimmed">
              {t('mailings.ack.loadSigner')}
            </Text>
          )}
          {ready && prepare.isFetching && !preview && <Loader size="sm" aria-label={t('app.loading')} />}
          {prepare.isError && <ErrorNotice error={prepare.error} onRetry={() => void prepare.refetch()} />}
          {preview && (
            <>
              <Alert color="orange" variant="light">
                {t('mailings.ack.intro', { count: preview.recipients.count })}
              </Alert>
              <ScrollArea.Autosize mah={260} type="auto" offsetScrollbars>
                <Text
                  size="sm"
                  style={{ whiteSpace: 'pre-wrap' }}
                  data-testid="acknowledgement-text"
                  tabIndex={0}
                  aria-label={t('mailings.ack.title')}
                >
                  {preview.text}
                </Text>
              </ScrollArea.Autosize>
              <Text size="xs" c="dimmed">
                {t('mailings.ack.textVersion', { version: preview.textVersionId })}
              </Text>
              <Checkbox.Group
                label={t('mailings.ack.statements')}
                description={t('mailings.ack.statementsLabel')}
                value={[...confirmed]}
              >
                <Stack gap={6} mt={6}>
                  {preview.statements.map((statement) => (
                    <Checkbox
                      key={statement.id}
                      value={statement.id}
                      label={statement.text}
                      checked={confirmed.has(statement.id)}
                      onChange={(event) => toggle(statement.id, event.currentTarget.checked)}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
              <CoverageCounts
                titles={{ byMethod: t('mailings.ack.byMethod'), byReason: t('mailings.ack.byReason') }}
                byMethod={preview.recipients.byMethod}
                byReason={preview.recipients.byReason}
              />
              <Text size="xs">
                {t('mailings.ack.covers', { count: preview.recipients.count })}{' '}
                <Code fz="xs">{preview.recipientSetHash}</Code>
              </Text>
              <SignaturePad onChange={setSignature} />
              {!allConfirmed && (
                <Text size="sm" c="dimmed">
                  {t('mailings.ack.allRequired')}
                </Text>
              )}
            </>
          )}
          {sign.isError && <ErrorNotice error={sign.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('mailings.ack.cancel')}
            </Button>
            <Button
              type="submit"
              color="orange"
              disabled={!allConfirmed || prepare.isFetching}
              loading={sign.isPending}
            >
              {t('mailings.ack.sign')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
