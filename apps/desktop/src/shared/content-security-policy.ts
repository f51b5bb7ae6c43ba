/**
 * The Content-Security-Policy of the renderer, sent as a header by both hosts (and therefore not
 * weakened by anything the page does). Scripts only from the app itself; styles inline too because
 * Mantine injects its CSS variables in style tags; no plugins, no frames but the mail preview (an
 * about:srcdoc iframe, which inherits this policy, so mail HTML cannot load scripts or remote content).
 *
 * @example
 * response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' about:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
