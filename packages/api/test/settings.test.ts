import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
beforeEach(async () => {
  fixture = await openApiFixture('cm-api-settings-');
});
afterEach(async () => {
  await fixture.cleanup();
});

describe('settings.lists', () => {
  it('creates, renames, archives and deletes lists, refusing a duplicate name', async () => {
    const list = await fixture.caller.settings.lists.create({ name: 'Nieuwsbrief' });
    await expect(fixture.caller.settings.lists.create({ name: 'Nieuwsbrief' })).rejects.toMatchObject({
      cause: { code: 'STORE_LIST_NAME_TAKEN' },
    });
    await fixture.caller.settings.lists.update({ id: list.id, name: 'Nieuwsbrief NL' });
    expect(
      (await fixture.caller.settings.lists.list()).map((entry) => [entry.name, entry.memberCount]),
    ).toEqual([['Nieuwsbrief NL', 0]]);
    await fixture.caller.settings.lists.update({ id: list.id, archived: true });
    expect(await fixture.caller.settings.lists.list()).toEqual([]);
    expect(await fixture.caller.settings.lists.list({ includeArchived: true })).toHaveLength(1);
    await fixture.caller.settings.lists.delete({ id: list.id });
    expect(await fixture.caller.settings.lists.list({ includeArchived: true })).toEqual([]);
    await expect(fixture.caller.settings.lists.delete({ id: list.id })).rejects.toMatchObject({
      cause: { code: 'STORE_LIST_NOT_FOUND' },
    });
  });
});

describe('settings.consentTexts', () => {
  it('adds immutable versions addressed by their hash', async () => {
    const body = 'Ja, ik wil de nieuwsbrief ontvangen.';
    const added = await fixture.caller.settings.consentTexts.add({
      kind: 'CONSENT',
      language: 'nl',
      label: 'Website',
      body,
    });
    const again = await fixture.caller.settings.consentTexts.add({
      kind: 'CONSENT',
      language: 'nl',
      label: 'Other',
      body,
    });
    expect(again.id).toBe(added.id);
    expect(again.created).toBe(false);
    await fixture.caller.settings.consentTexts.add({
      kind: 'PHONE_SCRIPT',
      language: 'nl',
      label: 'Belscript',
      body: 'Mogen wij u mailen?',
    });
    expect(await fixture.caller.settings.consentTexts.list({ kind: 'CONSENT' })).toHaveLength(1);
    expect((await fixture.caller.settings.consentTexts.get({ id: added.id })).body).toBe(body);
    await expect(
      fixture.caller.settings.consentTexts.add({ kind: 'CONSENT', language: 'nl', label: '', body }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
