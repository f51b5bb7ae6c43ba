import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

// PDF's standard fonts only know Western European letters; a signer called Łukasz or Ğül must appear as
// written, so every PDF embeds DejaVu (subset by pdfkit: only the glyphs used are stored).
const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;
let fonts: Record<keyof typeof FONT_FILES, Buffer> | undefined;

/** The font files, read once per process (a year's export renders many PDFs). */
function loadFonts(): Record<keyof typeof FONT_FILES, Buffer> {
  fonts ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
    mono: readFileSync(require.resolve(FONT_FILES.mono)),
  };
  return fonts;
}

/**
 * An A4 document with the product's fonts registered (`regular`, `bold`, `mono`), and `done()`, which ends it
 * and resolves with its bytes. `info` dates are the document's own (the evidence's), so the same evidence
 * renders the same file.
 *
 * @example
 * const { pdf, done } = openPdf({ margin: 50, info: { Title: 'Bewijs', CreationDate: at, ModDate: at } });
 * pdf.font('bold').text('Bewijs');
 * return done();
 */
export function openPdf(options: { margin: number; info: PDFKit.DocumentInfo }): {
  pdf: PDFKit.PDFDocument;
  done: () => Promise<Buffer>;
} {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: options.margin,
    info: { Creator: 'Consent Mailer', ...options.info },
  });
  for (const [name, data] of Object.entries(loadFonts())) pdf.registerFont(name, data);
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  return {
    pdf,
    done: () => {
      pdf.end();
      return ended;
    },
  };
}
