import { useRoute } from '../../app/routes.js';
import { Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/error-notice.js';
import { MailingCompose } from './mailing-compose.js';
import { MailingDetail } from './mailing-detail.js';
import { MailingList } from './mailing-list.js';
import { useMailingDraft } from './queries.js';

/**
 * Mailings: `#/mailings` is the list, `#/mailings/new` the compose form, `#/mailings/<id>` one mailing with
 * its assessment, acknowledgement, sending and results, `#/mailings/<id>/edit` the form on a draft.
 */
export function MailingsPage() {
  const route = useRoute();
  const [first, second] = route.params;
  if (first === 'new') return <MailingCompose />;
  if (first && second === 'edit') return <MailingEdit key={first} id={first} />;
  if (first) return <MailingDetail key={first} id={first} />;
  return <MailingList />;
}

/** The compose form on an existing draft, once its fields are loaded. */
function MailingEdit({ id }: { id: string }) {
  const { t } = useTranslation();
  const draft = useMailingDraft(id);
  if (draft.isPending) return <Loader aria-label={t('app.loading')} />;
  if (draft.isError) return <ErrorNotice error={draft.error} onRetry={() => void draft.refetch()} />;
  return <MailingCompose draft={draft.data} />;
}
