import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  DRAFT: 'gray',
  ASSESSED: 'blue',
  QUEUED: 'cyan',
  SENDING: 'cyan',
  PAUSED: 'yellow',
  SENT: 'teal',
  CANCELLED: 'gray',
  FAILED: 'red',
};
const KNOWN = ['DRAFT', 'ASSESSED', 'QUEUED', 'SENDING', 'PAUSED', 'SENT', 'CANCELLED', 'FAILED'] as const;

/** A mailing's status as a coloured label in the user's language (unknown states shown as they are). */
export function MailingStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = KNOWN.find((candidate) => candidate === status);
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light">
      {known ? t(`mailings.statuses.${known}`) : status}
    </Badge>
  );
}
