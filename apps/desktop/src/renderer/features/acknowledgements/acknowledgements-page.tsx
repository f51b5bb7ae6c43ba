import { useRoute } from '../../app/routes.js';
import { AcknowledgementDetail } from './acknowledgement-detail.js';
import { AcknowledgementList } from './acknowledgement-list.js';

/** Acknowledgements, the accountant's view: `#/acknowledgements` is the list, `#/acknowledgements/<id>` one of them. */
export function AcknowledgementsPage() {
  const route = useRoute();
  const [id] = route.params;
  return id ? <AcknowledgementDetail key={id} id={id} /> : <AcknowledgementList />;
}
