import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { MailingPreview } from './mailing-preview.js';
import { useMailingPreview, useTestSendMailing } from './queries.js';
import { SectionCard } from '../../components/section-card.js';

/**
 * Before sending: the message exactly as one contact will get it (merge fields filled, the footer with the
 * sender's identity and the unsubscribe links, composed by the send's own code), and a signed test copy to
 * the business's own address.
 */
export function MessageCheckPanel({
  mailingId,
  ownAddresses,
}: {
  mailingId: string;
  /** The sender's contact address and the SMTP profile's From: the only places a test may go. */
  ownAddresses: string[];
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [shownFor, setShownFor] = useState<string | undefined>(undefined);
  const preview = useMailingPreview(mailingId, shownFor);
  const testSend = useTestSendMailing();
  const [testTo, setTestTo] = useState<string | null>(ownAddresses[0] ?? null);
  const show = (event: FormEvent) => {
    event.preventDefault();
    setShownFor(typed.trim() === '' ? undefined : typed.trim());
  };
  return (
    <SectionCard id="message-check-title" title={t('mailings.check.title')}>
      <Text size="sm" c="dimmed">
        {t('mailings.check.intro')}
      </Text>
      <form onSubmit={show}>
        <Group align="end">
          <TextInput
            label={t('mailings.check.previewFor')}
            description={t('mailings.check.previewForHint')}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            type="email"
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="default">
            {t('mailings.check.show')}
          </Button>
        </Group>
      </form>
      {preview.isError && <ErrorNotice error={preview.error} />}
      {preview.data && (
        <Stack gap={4}>
          <Text size="sm">
            {t('mailings.check.from')}: {preview.data.from}
          </Text>
          <Text size="sm">
            {t('mailings.check.to')}: {preview.data.recipient ?? t('mailings.check.example')}
          </Text>
          <MailingPreview subject={preview.data.subject} html={preview.data.html} />
        </Stack>
      )}
      <Group align="end">
        <Select
          label={t('mailings.check.testTo')}
          description={t('mailings.check.testToHint')}
          data={ownAddresses}
          value={testTo}
          onChange={setTestTo}
          allowDeselect={false}
          style={{ flex: 1 }}
        />
        <Button
          loading={testSend.isPending}
          disabled={testTo === null}
          onClick={() =>
            testTo &&
            testSend.mutate(
              { id: mailingId, to: testTo },
              {
                onSuccess: (sent) =>
                  notifications.show({
                    color: 'teal',
                    message: t('mailings.check.testSent', { to: sent.to }),
                  }),
              },
            )
          }
        >
          {t('mailings.check.sendTest')}
        </Button>
      </Group>
      {testSend.isError && <ErrorNotice error={testSend.error} />}
    </SectionCard>
  );
}
