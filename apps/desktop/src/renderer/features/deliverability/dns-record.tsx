import { Code, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** What the deliverability section needs of an SMTP profile. */
export interface DeliverabilityProfile {
  name: string;
  fromAddress: string;
  dkim: { domain: string; selector: string } | null;
}

/** A DNS record to publish, as a hoster's DNS panel asks for it. */
export function DnsRecord({ record }: { record: { name: string; type: string; value: string } }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} aria-label={t('deliverability.auth.publish')} role="group">
      <Text size="xs" fw={600}>
        {t('deliverability.auth.publish')}
      </Text>
      <Text size="xs">
        {t('deliverability.auth.recordName')}: <Code>{record.name}</Code> ·{' '}
        {t('deliverability.auth.recordType')}: <Code>{record.type}</Code>
      </Text>
      <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {record.value}
      </Code>
    </Stack>
  );
}
