import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countContacts, importContacts, openStore, verifyChain } from '../src/index.js';
import { AT, addSenderEntity, tempDir } from '../src/testing/index.js';

describe('a process killed in the middle of a large transaction', () => {
  it('leaves a database that opens consistent, with the chain verifying and none of the half-written rows', async () => {
    const { dir, cleanup } = tempDir('store-crash-');
    try {
      const path = join(dir, 'crash.sqlite');
      const store = await openStore({ path });
      await addSenderEntity(store);
      await importContacts(
        store.db,
        [
          {
            email: 'before@example.nl',
            recipientKind: 'CONSUMER',
            method: 'WEB_SOI',
            senderEntityId: 'bakkerij',
            scopeLists: 'ALL',
          },
        ],
        { at: AT },
      );
      const eventsBefore = await verifyChain(store.db);
      await store.close();

      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'crash-writer.ts'), path, '400000'],
        {
          cwd: join(import.meta.dirname, '..'),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const killedAfter = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const chunks = output.split('\n').filter((line) => line.startsWith('chunk ')).length;
          // Several chunks written inside the open transaction: kill it now, hard.
          if (chunks >= 8 && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL');
            resolve(output);
          }
          if (output.includes('committed'))
            reject(new Error('the writer finished before it could be killed'));
        });
        child.on('exit', (code, signal) => {
          if (signal !== 'SIGKILL') reject(new Error(`writer exited early (${code}): ${stderr}`));
        });
      });
      await new Promise((resolve) => child.on('close', resolve));
      expect(killedAfter).not.toContain('committed');

      const reopened = await openStore({ path });
      expect(reopened.health?.integrity).toEqual([]);
      expect(reopened.health?.chain).toEqual(eventsBefore);
      expect(await countContacts(reopened.db)).toBe(1);
      // And it keeps working: the next write chains on.
      await importContacts(
        reopened.db,
        [
          {
            email: 'after@example.nl',
            recipientKind: 'CONSUMER',
            method: 'WEB_SOI',
            senderEntityId: 'bakkerij',
            scopeLists: 'ALL',
          },
        ],
        { at: AT },
      );
      expect(await verifyChain(reopened.db)).toMatchObject({ ok: true, events: eventsBefore.events + 1 });
      await reopened.close();
    } finally {
      cleanup();
    }
  }, 120_000);
});
