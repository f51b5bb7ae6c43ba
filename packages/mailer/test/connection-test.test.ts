import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testSmtpConnection, type SmtpSettings } from '../src/index.js';
import { startSmtpTestServer, type SmtpTestServer } from '../src/testing/index.js';

const tls = {
  key: readFileSync(join(import.meta.dirname, 'fixtures', 'selfsigned-key.pem')),
  cert: readFileSync(join(import.meta.dirname, 'fixtures', 'selfsigned-cert.pem')),
};
const fast = { connectionTimeoutMs: 2000, greetingTimeoutMs: 1500, socketTimeoutMs: 3000 };

let server: SmtpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function settings(overrides: Partial<SmtpSettings>): SmtpSettings {
  return { host: '127.0.0.1', port: server?.port ?? 1, security: 'NONE', connections: 1, ...overrides };
}

describe('testSmtpConnection', () => {
  it('succeeds with the right user and password', async () => {
    server = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist' } });
    await expect(testSmtpConnection(settings({ user: 'nieuws' }), 'juist', fast)).resolves.toMatchObject({
      ok: true,
      authenticated: true,
    });
  });

  it('says the password is wrong on 535', async () => {
    server = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist' } });
    const error = await testSmtpConnection(settings({ user: 'nieuws' }), 'fout', fast).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'SMTP_AUTH_FAILED' });
    expect((error as Error).message).toContain('password');
  });

  it('says the security setting does not match when implicit TLS meets a plain server', async () => {
    server = await startSmtpTestServer();
    await expect(testSmtpConnection(settings({ security: 'TLS' }), undefined, fast)).rejects.toMatchObject({
      code: 'SMTP_TLS_MISMATCH',
    });
  });

  it('says the security setting does not match when STARTTLS is required but not offered', async () => {
    server = await startSmtpTestServer();
    await expect(
      testSmtpConnection(settings({ security: 'STARTTLS' }), undefined, fast),
    ).rejects.toMatchObject({ code: 'SMTP_TLS_MISMATCH' });
  });

  it('says the security setting does not match when plain text meets an implicit-TLS server', async () => {
    server = await startSmtpTestServer({ tls });
    await expect(testSmtpConnection(settings({ security: 'NONE' }), undefined, fast)).rejects.toMatchObject({
      code: 'SMTP_TLS_MISMATCH',
    });
  });

  it('names a bad certificate', async () => {
    server = await startSmtpTestServer({ tls });
    const error = await testSmtpConnection(settings({ security: 'TLS' }), undefined, fast).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'SMTP_BAD_CERTIFICATE' });
  });

  it('names a bad certificate offered through STARTTLS', async () => {
    server = await startSmtpTestServer({ starttls: tls });
    await expect(
      testSmtpConnection(settings({ security: 'STARTTLS' }), undefined, fast),
    ).rejects.toMatchObject({ code: 'SMTP_BAD_CERTIFICATE' });
  });

  it('says the host cannot be reached when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    await expect(testSmtpConnection(settings({ port }), undefined, fast)).rejects.toMatchObject({
      code: 'SMTP_UNREACHABLE',
    });
  });

  it('refuses plain text to a host that is not this computer', async () => {
    await expect(
      testSmtpConnection(
        { host: 'smtp.example.nl', port: 25, security: 'NONE', connections: 1 },
        undefined,
        fast,
      ),
    ).rejects.toMatchObject({ code: 'SMTP_PLAIN_NOT_LOOPBACK' });
  });

  it('asks for the password when none is stored', async () => {
    await expect(
      testSmtpConnection(settings({ user: 'nieuws', port: 2525 }), undefined, fast),
    ).rejects.toMatchObject({ code: 'SMTP_PASSWORD_MISSING' });
  });
});
