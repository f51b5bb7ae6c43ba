import type { RouterInputs, RouterOutputs } from '@consent-mailer/api';

export type { RouterInputs, RouterOutputs };

/** A contact file as the imports procedures take it: a path (dialog, upload) or its content. */
export type ImportFile = RouterInputs['imports']['preview']['file'];
export type ConsentMethod = NonNullable<RouterInputs['imports']['run']['method']>;
export type RecipientKind = NonNullable<RouterInputs['imports']['run']['recipientKind']>;
export type ImportField = RouterOutputs['imports']['preview']['mapping']['columns'][number]['field'];
