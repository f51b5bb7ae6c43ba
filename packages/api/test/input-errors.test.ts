import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from '../src/root.js';
import { openApiFixture } from './store-fixture.js';

let fx: Awaited<ReturnType<typeof openApiFixture>>;
beforeEach(async () => {
  fx = await openApiFixture('cm-input-errors-');
});
afterEach(async () => {
  await fx.cleanup();
});

/** Calls a mutation the way the renderer does (HTTP), so the error reaches us shaped as clients see it. */
async function post(path: string, input: unknown) {
  const response = await fetchRequestHandler({
    endpoint: '/trpc',
    router: appRouter,
    createContext: () => fx.ctx,
    req: new Request(`http://127.0.0.1/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }),
  });
  return (await response.json()) as {
    error?: { data: { userError: { code: string; text: { en: string; nl: string } } | null } };
  };
}

describe('a rejected form input, as the owner reads it', () => {
  it('names each field by its label and says what is wrong, in Dutch and in English', async () => {
    const answer = await post('entities.add', {
      legalName: 'Bakkerij de Vries B.V.',
      postalAddress: 'Dorpsstraat 1',
      contactEmail: 'geen-adres',
      kvkNumber: '1234',
    });
    const error = answer.error?.data.userError;
    expect(error?.code).toBe('INVALID_INPUT');
    expect(error?.text.nl).toContain('KvK-nummer: een KvK-nummer heeft 8 cijfers');
    expect(error?.text.nl).toContain('E-mailadres voor contact: Ongeldig');
    expect(error?.text.nl).not.toMatch(/kvkNumber|contactEmail|Invalid/);
    expect(error?.text.en).toContain('KvK number: a KvK number has 8 digits');
    expect(await fx.caller.entities.list()).toEqual([]);
  });

  it('completes a website typed without https:// instead of refusing it', async () => {
    const added = await fx.caller.entities.add({
      legalName: 'Bakkerij de Vries B.V.',
      postalAddress: 'Dorpsstraat 1',
      contactEmail: 'info@bakkerij.nl',
      kvkNumber: '12345678',
      website: 'bakkerij.nl',
      unsubscribeUrl: 'bakkerij.nl/afmelden',
    });
    expect(added.website).toBe('https://bakkerij.nl');
    expect(added.unsubscribeUrl).toBe('https://bakkerij.nl/afmelden');
    // A scheme the owner did type is checked as typed: a plain-http unsubscribe page stays refused.
    await expect(
      fx.caller.entities.update({ id: added.id, unsubscribeUrl: 'http://bakkerij.nl/afmelden' }),
    ).rejects.toThrow();
  });
});
