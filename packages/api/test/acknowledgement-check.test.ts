import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStoredAcknowledgement } from '../src/acknowledgement/acknowledgement-check.js';
import { signAcknowledgement } from '../src/acknowledgement/acknowledgement-signing.js';
import { generateSigningKey, SIGNING_KEY_SECRET } from '../src/acknowledgement/signing-key.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  phoneContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';

describe('checking a stored acknowledgement in the app', () => {
  let fixture: AcknowledgementFixture;
  let id: string;
  beforeEach(async () => {
    fixture = await createAcknowledgementFixture();
    ({ id } = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment: assess([phoneContact('piet@example.nl')], fixture.now.value),
      signer: { name: 'Anna de Vries', role: 'directeur' },
      lang: 'en',
      confirmedStatementIds: ALL_STATEMENTS,
    }));
  });
  afterEach(async () => {
    await fixture.close();
  });

  it("passes when nothing was touched, signed with this installation's key", async () => {
    const check = await checkStoredAcknowledgement(fixture.store.db, fixture.secrets, id);
    expect(check).toMatchObject({
      valid: true,
      columns: [],
      chain: { ok: true },
      signedWithInstallationKey: true,
    });
  });

  it('refuses edits through SQL, and names the edited column once the triggers are dropped', () => {
    expect(() =>
      fixture.store.sqlite
        .prepare("UPDATE acknowledgement SET signer_name = 'Someone Else' WHERE id = ?")
        .run(id),
    ).toThrow(/cannot be changed/);
    expect(() => fixture.store.sqlite.prepare('DELETE FROM acknowledgement_recipient').run()).toThrow(
      /cannot be deleted/,
    );
  });

  it("names a column changed behind the triggers' back", async () => {
    fixture.store.sqlite.exec('DROP TRIGGER acknowledgement_refuse_update');
    fixture.store.sqlite
      .prepare("UPDATE acknowledgement SET signer_name = 'Someone Else' WHERE id = ?")
      .run(id);
    const check = await checkStoredAcknowledgement(fixture.store.db, fixture.secrets, id);
    expect(check.valid).toBe(false);
    expect(check.columns.map((problem) => problem.field)).toEqual(['signer_name']);
  });

  it("fails when another key signed it than this installation's (a foreign installation's key)", async () => {
    await fixture.secrets.set(SIGNING_KEY_SECRET, generateSigningKey().secret);
    const check = await checkStoredAcknowledgement(fixture.store.db, fixture.secrets, id);
    expect(check.valid).toBe(false);
    expect(check.signedWithInstallationKey).toBe(false);
    expect(check.bundle.problems.map((problem) => problem.field)).toContain('publicKey');
    expect(check.trust.map((problem) => problem.field)).toContain('public_key');
  });

  it('fails when no installation key is set here to check it against', async () => {
    await fixture.secrets.delete(SIGNING_KEY_SECRET);
    const check = await checkStoredAcknowledgement(fixture.store.db, fixture.secrets, id);
    expect(check.valid).toBe(false);
    expect(check.signedWithInstallationKey).toBeNull();
  });
});
