import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The text of a PDF as poppler's pdftotext reads it (Debian poppler-utils; .ci/run installs it). */
export function pdfText(pdf: string | Uint8Array): string {
  if (typeof pdf === 'string') return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'pdf-text-'));
  try {
    const path = join(dir, 'file.pdf');
    writeFileSync(path, pdf);
    return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
