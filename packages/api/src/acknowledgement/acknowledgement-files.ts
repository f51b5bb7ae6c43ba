import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@consent-mailer/policy';
import type { Executor } from '@consent-mailer/store';
import { renderAcknowledgementPdf } from './acknowledgement-pdf.js';
import { listAcknowledgementItems, yearRange } from './acknowledgement-review.js';
import { serializeEvidenceBundle } from './evidence-bundle.js';
import { buildEvidenceBundle } from './evidence-export.js';

/** The files written for one acknowledgement. */
export interface ExportedAcknowledgement {
  id: string;
  pdf: string;
  json: string;
  pdfSha256: string;
  jsonSha256: string;
  verificationCode: string;
}

/**
 * Writes the PDF (for people) and the JSON evidence bundle (for machines) of one acknowledgement into
 * `dir`, named by signing date and verification code. Each file is written beside its place and renamed
 * into it, so a crash never leaves half a file under the final name.
 *
 * @example
 * const { pdf, json } = await exportAcknowledgementFiles(store.db, id, '/home/anna/exports');
 */
export async function exportAcknowledgementFiles(
  db: Executor,
  id: string,
  dir: string,
): Promise<ExportedAcknowledgement> {
  const bundle = await buildEvidenceBundle(db, id);
  const json = serializeEvidenceBundle(bundle);
  const pdf = await renderAcknowledgementPdf(bundle);
  await mkdir(dir, { recursive: true });
  const base = `acknowledgement-${bundle.acknowledgement.signedAt.slice(0, 10)}-${bundle.verificationCode}`;
  const paths = { pdf: join(dir, `${base}.pdf`), json: join(dir, `${base}.json`) };
  await writeAtomically(paths.json, json);
  await writeAtomically(paths.pdf, pdf);
  return {
    id,
    pdf: paths.pdf,
    json: paths.json,
    pdfSha256: sha256(pdf),
    jsonSha256: sha256(json),
    verificationCode: bundle.verificationCode,
  };
}

/** The result of a year's export. */
export interface YearExport {
  year: number;
  dir: string;
  count: number;
  index: { csv: string; json: string };
  files: ExportedAcknowledgement[];
}

/**
 * The accountant's year file: every acknowledgement signed in a calendar year (Netherlands time), each as
 * PDF + JSON, with an index (CSV and JSON: date, signer, entity, KvK, mailing, recipients, verification
 * code, lapse, file names and their sha256) and a short README on how to verify. Optionally only one
 * sender entity. The folder is `acknowledgements-<year>` inside `dir`.
 *
 * @throws {UserError} `ACK_EXPORT_EMPTY` when nothing was signed in that year.
 * @example
 * const result = await exportAcknowledgementYear(store.db, { year: 2026, dir: '/home/anna/exports' });
 * console.log(result.index.csv);
 */
export async function exportAcknowledgementYear(
  db: Executor,
  options: { year: number; dir: string; senderEntityId?: string | undefined },
): Promise<YearExport> {
  const items = await listAcknowledgementItems(db, {
    ...yearRange(options.year),
    ...(options.senderEntityId === undefined ? {} : { senderEntityId: options.senderEntityId }),
  });
  if (items.length === 0) {
    throw new UserError('ACK_EXPORT_EMPTY', {
      en: `No acknowledgements were signed in ${options.year}${options.senderEntityId === undefined ? '' : ' for that sender entity'}; nothing was exported.`,
      nl: `In ${options.year} zijn geen verklaringen getekend${options.senderEntityId === undefined ? '' : ' voor die afzender'}; er is niets geëxporteerd.`,
    });
  }
  const dir = join(options.dir, `acknowledgements-${options.year}`);
  await mkdir(dir, { recursive: true });
  const files: ExportedAcknowledgement[] = [];
  for (const item of items) files.push(await exportAcknowledgementFiles(db, item.id, dir));

  const rows = items.map((item, index) => {
    const file = files[index];
    return {
      signedAt: item.signedAt,
      signer: item.signerName,
      role: item.signerRole,
      legalName: item.legalName,
      kvkNumber: item.kvkNumber ?? '',
      mailingId: item.mailingId,
      recipients: item.recipientCount,
      verificationCode: item.verificationCode,
      lapsed: item.lapseReason ?? '',
      pdf: file ? file.pdf.slice(dir.length + 1) : '',
      pdfSha256: file?.pdfSha256 ?? '',
      json: file ? file.json.slice(dir.length + 1) : '',
      jsonSha256: file?.jsonSha256 ?? '',
      id: item.id,
    };
  });
  const header = Object.keys(rows[0] ?? {});
  const csv = [header, ...rows.map((row) => Object.values(row).map(String))]
    .map((cells) => cells.map(csvCell).join(','))
    .join('\r\n');
  const index = { csv: join(dir, 'index.csv'), json: join(dir, 'index.json') };
  await writeAtomically(index.csv, `${csv}\r\n`);
  await writeAtomically(
    index.json,
    `${JSON.stringify({ year: options.year, acknowledgements: rows }, null, 2)}\n`,
  );
  await writeAtomically(join(dir, 'README.txt'), README);
  return { year: options.year, dir, count: files.length, index, files };
}

const README = `Risk-transfer acknowledgements / Verklaringen risico-overdracht

Each acknowledgement is here twice: a PDF to read and a JSON evidence bundle to check.
index.csv and index.json list them with the sha256 of every file.

Check a bundle without the app's database:   consent-mailer verify FILE.json
It checks the Ed25519 signature, the public key, the text hash, the recipient list and counts, the event
chain excerpt, and that no byte of the file was changed. The verification code on the PDF must match.

Elke verklaring staat hier twee keer: een PDF om te lezen en een JSON-bewijsbundel om te controleren.
Controleren zonder de database van de app:   consent-mailer verify BESTAND.json
`;

/** A CSV cell, quoted, with spreadsheet formulas neutralised (a name starting with = must stay text). */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.partial`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
