import type { SourceProfile } from './source-profile.js';

/**
 * Shopify customers export (Customers > Export, CSV for Excel or plain CSV): "Customer ID", "First Name",
 * "Last Name", "Email", "Accepts Email Marketing" (yes/no), "Default Address Company", "Default Address
 * Address1" …, "Phone", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note", "Tax Exempt",
 * "Tags"; older exports wrote "Company", "Address1" … and "Accepts Marketing". Source: Shopify Help Center
 * "Customer CSV file format" and the public sample customer CSV linked from it; column lists also in the
 * Matrixify/Excelify customer documentation.
 *
 * "Accepts Email Marketing = no" is what Shopify shows both for a customer who did not tick the box at
 * checkout and for one who unsubscribed: either way the person declined marketing at collection, so it is
 * an objection (never mailable). Total Orders and Total Spent above zero are a paid sale; the export has no
 * order number, so the customer id is the reference under which the orders can be shown.
 */
export const shopify: SourceProfile = {
  id: 'shopify',
  name: 'Shopify',
  files: ['customers_export.csv'],
  sources: ['https://help.shopify.com/en/manual/customers/import-export-customers'],
  party: 'person',
  signatures: [
    { all: ['email'], any: ['acceptsemailmarketing', 'acceptsmarketing'] },
    { all: ['email', 'totalspent', 'totalorders'] },
  ],
  columns: {
    customerid: 'customerId',
    firstname: 'firstName',
    lastname: 'lastName',
    email: 'email',
    acceptsemailmarketing: 'marketingConsent',
    acceptsmarketing: 'marketingConsent',
    defaultaddresscompany: 'companyName',
    company: 'companyName',
    totalspent: 'totalSpent',
    totalorders: 'ordersCount',
    acceptssmsmarketing: 'ignore',
    note: 'ignore',
    taxexempt: 'ignore',
    tags: 'ignore',
    phone: 'ignore',
  },
  suggestedMethod: 'CUSTOMER',
  timeZone: 'UTC',
};
