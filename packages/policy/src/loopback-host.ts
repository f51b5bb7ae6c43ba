/**
 * True for a host name or address that stays on this machine: where plain SMTP (no TLS) and plain http (a
 * local opt-in service) are allowed. Pure, so the api can judge a URL without loading the mail stack.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('smtp.example.nl'); // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
