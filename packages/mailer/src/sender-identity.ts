/** Who a mailing comes from, as the law wants it shown in every message (docs/policy-rules.md section 5). */
export interface SenderIdentity {
  legalName: string;
  tradeName?: string | undefined;
  postalAddress: string;
  contactEmail: string;
  kvkNumber: string;
  vatNumber?: string | undefined;
  website?: string | undefined;
  /**
   * The business's own unsubscribe page (https). When set, every message links to it with the recipient's
   * token and offers RFC 8058 one-click unsubscribe; without it only the mailto form is offered.
   */
  unsubscribeUrl?: string | undefined;
}
