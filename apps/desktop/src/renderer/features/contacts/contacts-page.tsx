import { ContactDetailPage } from './contact-detail-page.js';
import { ContactListPage } from './contact-list-page.js';

/** `#/contacts` is the list, `#/contacts/<email>` one contact. */
export function ContactsPage({ params }: { params: string[] }) {
  const [email] = params;
  return email ? <ContactDetailPage key={email} email={email} /> : <ContactListPage />;
}
