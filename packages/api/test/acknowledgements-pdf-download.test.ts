import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import { appRouter } from '../src/root.js';
import { createCallerFactory } from '../src/trpc.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  phoneContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';

describe('acknowledgements.pdf (the browser download)', () => {
  let fixture: AcknowledgementFixture;
  let id: string;

  beforeAll(async () => {
    fixture = await createAcknowledgementFixture();
    const signed = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment: assess([phoneContact('piet@example.nl')], fixture.now.value, {
        mailingId: fixture.mailingId,
      }),
      signer: { name: 'Anna de Vries', role: 'directeur' },
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS,
    });
    id = signed.id;
  }, 60_000);
  afterAll(async () => {
    await fixture.close();
  });

  it('returns the same PDF the export writes, named as the export names it', async () => {
    const caller = createCallerFactory(appRouter)(fixture.ctx);
    const download = await caller.acknowledgements.pdf({ id });
    const bytes = Buffer.from(download.base64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const exported = await caller.acknowledgements.export({ id, dir: join(fixture.dir, 'out') });
    expect(download.fileName).toBe(exported.pdf.slice(exported.pdf.lastIndexOf('/') + 1));
    expect(download.sha256).toBe(exported.pdfSha256);
    expect(bytes.equals(readFileSync(exported.pdf))).toBe(true);
  }, 60_000);

  it('refuses an unknown acknowledgement with a clear error', async () => {
    const caller = createCallerFactory(appRouter)(fixture.ctx);
    await expect(caller.acknowledgements.pdf({ id: 'no-such-id' })).rejects.toMatchObject({
      cause: { code: 'ACK_NOT_FOUND' },
    });
  });
});
