import { useRoute } from '../../app/routes.js';
import { MailingCompose } from './mailing-compose.js';
import { MailingDetail } from './mailing-detail.js';
import { MailingList } from './mailing-list.js';

/**
 * Mailings: `#/mailings` is the list, `#/mailings/new` the compose form, `#/mailings/<id>` one mailing with
 * its assessment, acknowledgement, sending and results.
 */
export function MailingsPage() {
  const route = useRoute();
  const [first] = route.params;
  if (first === 'new') return <MailingCompose />;
  if (first) return <MailingDetail key={first} id={first} />;
  return <MailingList />;
}
