/**
 * The exact text the api's export writes for an evidence bundle (`layoutCanonicalJson`): keys sorted as
 * RFC 8785 sorts them (by UTF-16 code units, which is what `Array.prototype.sort` compares), indented by two,
 * with a final newline. JSON.stringify already writes numbers and strings the RFC 8785 way, so sorting is
 * the only step. The verifier demands these bytes, and the e2e test verifies a downloaded file with it.
 *
 * @example
 * layoutBundle({ b: 1, a: [2] }); // '{\n  "a": [\n    2\n  ],\n  "b": 1\n}\n'
 */
export function layoutBundle(bundle: unknown): string {
  return `${JSON.stringify(sortKeys(bundle), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

/** Hands a blob to the browser as a download under `fileName`. */
function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Offers text as a file download (the browser host has no save dialog).
 *
 * @example
 * downloadText('ack.json', text, 'application/json');
 */
export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/**
 * Offers binary content that came over the api as base64 (JSON carries no bytes) as a file download.
 *
 * @example
 * downloadBase64('ack.pdf', pdf.base64, 'application/pdf');
 */
export function downloadBase64(fileName: string, base64: string, type: string): void {
  downloadBlob(fileName, new Blob([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], { type }));
}
