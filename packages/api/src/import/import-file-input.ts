import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ContactFileInput } from '@consent-mailer/importer';
import { UserError } from '@consent-mailer/policy';
import { z } from 'zod';

/** Uploads above this size should come as a path (desktop, CLI): base64 over IPC/HTTP doubles memory. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** A contact file: a path on the machine that runs the api (desktop, CLI) or uploaded content (browser host). */
export const ImportFileInput = z.union([
  z.object({ path: z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path') }),
  z.object({
    fileName: z.string().min(1).max(255),
    contentBase64: z.string().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4),
  }),
]);
export type ImportFileInput = z.infer<typeof ImportFileInput>;

/**
 * Turns the api's file input into the importer's.
 *
 * @example
 * toContactFileInput({ path: '/home/jan/klanten.csv' }); // { path: '/home/jan/klanten.csv' }
 */
export function toContactFileInput(file: ImportFileInput): ContactFileInput {
  if ('path' in file) return { path: file.path };
  const content = Buffer.from(file.contentBase64, 'base64');
  if (content.length === 0 && file.contentBase64.length > 0) {
    throw new UserError('IMPORT_BAD_UPLOAD', {
      en: 'The uploaded file could not be read. Choose the file again.',
      nl: 'Het geüploade bestand kon niet gelezen worden. Kies het bestand opnieuw.',
    });
  }
  return { content, fileName: file.fileName };
}

/**
 * The sha256 (hex) of a contact file, recorded with the batch so anyone can check which file was imported.
 *
 * @example
 * await fileSha256({ path: '/tmp/klanten.csv' }); // 'e3b0c442…'
 */
export async function fileSha256(input: ContactFileInput): Promise<string> {
  const hash = createHash('sha256');
  if ('content' in input) return hash.update(input.content).digest('hex');
  for await (const chunk of createReadStream(input.path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}
