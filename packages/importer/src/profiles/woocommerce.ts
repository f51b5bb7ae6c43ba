import type { SourceProfile } from './source-profile.js';

/**
 * WooCommerce customers (Analytics > Customers > Download): "Name", "Username", "Last active", "Date
 * registered", "Email", "Orders", "Total spend", "AOV", "Country / Region", "City", "Region", "Postal code";
 * the REST API customer writes first_name, last_name, email, date_created, orders_count, total_spent.
 * Sources: WooCommerce documentation "Analytics > Customers" (the report's columns) and the WooCommerce REST
 * API reference (Customers). "Last active" is also set by a log-in, so it is not taken as a purchase date.
 */
export const woocommerce: SourceProfile = {
  id: 'woocommerce',
  name: 'WooCommerce',
  files: ['Analytics > Customers > Download (CSV)', 'REST API customers'],
  sources: [
    'https://woocommerce.com/document/woocommerce-analytics/customers-report/',
    'https://woocommerce.github.io/woocommerce-rest-api-docs/#customers',
  ],
  party: 'person',
  signatures: [
    { all: ['email', 'totalspend'], any: ['aov', 'dateregistered', 'username'] },
    { all: ['email', 'orderscount', 'totalspent'] },
  ],
  columns: {
    name: 'fullName',
    firstname: 'firstName',
    lastname: 'lastName',
    email: 'email',
    dateregistered: 'signupAt',
    datecreated: 'signupAt',
    orders: 'ordersCount',
    orderscount: 'ordersCount',
    totalspend: 'totalSpent',
    totalspent: 'totalSpent',
    id: 'customerId',
    username: 'ignore',
    lastactive: 'ignore',
    aov: 'ignore',
  },
  suggestedMethod: 'CUSTOMER',
  timeZone: 'Europe/Amsterdam',
};
