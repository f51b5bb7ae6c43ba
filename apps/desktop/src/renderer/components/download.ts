// Downloads in the browser host, which has no save dialog: text or base64 bytes the api sent, as a file.

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
