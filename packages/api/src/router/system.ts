import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '@consent-mailer/policy';
import {
  backupStore,
  countRecords,
  previewRestore,
  restoreStore,
  schemaStatus,
  verifyChain,
  type BackupInfo,
  type ChainVerification,
  type RestorePreview,
  type RestoreResult,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { allowedPath } from '../files/file-access.js';
import { publicProcedure } from '../trpc.js';

/** What `system.status` (and `system.init`) report about the open database. */
export interface SystemStatus {
  path: string;
  schemaVersion: string | null;
  migrationsApplied: number;
  migrations: string[];
  pendingMigrations: string[];
  counts: { contacts: number; consents: number; mailings: number; events: number; suppressions: number };
  chain: ChainVerification;
  /** `[]` when SQLite's integrity check passed at open (null when the host skipped the checks). */
  integrity: string[] | null;
}

/**
 * Builds the status report of the context's store: schema, counts and a fresh walk of the event chain.
 *
 * @example
 * const status = await readSystemStatus(ctx);
 */
export async function readSystemStatus(ctx: ApiContext): Promise<SystemStatus> {
  const schema = await schemaStatus(ctx.store.db);
  return {
    path: ctx.store.path,
    schemaVersion: schema.version,
    migrationsApplied: schema.applied.length,
    migrations: schema.applied,
    pendingMigrations: schema.pending,
    counts: await countRecords(ctx.store.db),
    // The check at open already walked the chain (or found the file the store signed at close, see the
    // store's verified-checkpoint.ts); changes since were the store's own. `audit verify` walks it again.
    chain: ctx.store.health?.chain ?? (await verifyChain(ctx.store.db)),
    integrity: ctx.store.health?.integrity ?? null,
  };
}

function restoreNotConfirmed(preview: RestorePreview): UserError {
  const events = preview.eventsAfterBackup.count;
  const kept = preview.suppressionsAfterBackup.length;
  const erased = preview.erasuresAfterBackup.length;
  return new UserError('RESTORE_NOT_CONFIRMED', {
    en: `Nothing was restored yet. Restoring ${preview.backup.path} drops the ${events} events recorded after it (head ${preview.backup.events} → ${preview.currentHead?.seq ?? 0}); the ${kept} opt-outs and ${erased} erasures made since are carried forward. Confirm to go ahead (--yes on the command line).`,
    nl: `Er is nog niets teruggezet. Het terugzetten van ${preview.backup.path} laat de ${events} gebeurtenissen van erna vallen (kop ${preview.backup.events} → ${preview.currentHead?.seq ?? 0}); de ${kept} afmeldingen en ${erased} wissingen van sindsdien blijven behouden. Bevestig om door te gaan (--yes op de opdrachtregel).`,
  });
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

export const systemRouter = {
  /**
   * Creates and migrates the database (the host opened it with `openStore`, which runs the migrations)
   * and reports its status.
   */
  init: publicProcedure.mutation(async ({ ctx }) => readSystemStatus(ctx)),

  /** Path, schema version, migrations, counts and whether the event chain verifies. */
  status: publicProcedure.query(async ({ ctx }) => readSystemStatus(ctx)),

  /** Copies the database to a file while the app keeps running (default: backups/ in the data folder). */
  backup: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096).optional() }).default({}))
    .mutation(async ({ ctx, input }): Promise<BackupInfo> => {
      // Relative paths are inside the data folder; others only when chosen in a save dialog.
      const target = allowedPath(
        ctx,
        input.path ?? join('backups', `consent-mailer-${stamp(ctx.clock())}.sqlite`),
        'write',
      );
      mkdirSync(dirname(target), { recursive: true });
      return backupStore(ctx.store, target);
    }),

  /**
   * What restoring a backup would lose (events after the backup's head) and carry forward (suppressions
   * and erasures made since): show it before `restore`. Changes nothing.
   */
  restorePreview: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096) }))
    .query(async ({ ctx, input }): Promise<RestorePreview> =>
      previewRestore(ctx.store, allowedPath(ctx, input.path, 'read')),
    ),

  /**
   * Replaces the database with a checked backup, once the caller confirmed what `restorePreview` showed
   * (`confirm: true`; without it nothing happens and the error says what would be lost). The current state
   * is first saved as a backup of its own (`safetyBackup`), so a restore can itself be undone; every
   * suppression and erasure made after the backup is carried forward.
   */
  restore: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096), confirm: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }): Promise<{ restored: RestoreResult; safetyBackup: BackupInfo }> => {
      const source = allowedPath(ctx, input.path, 'read');
      // Check the backup before anything else happens, so a bad file costs nothing.
      const preview = await previewRestore(ctx.store, source);
      if (!input.confirm) throw restoreNotConfirmed(preview);
      const safetyPath = join(ctx.dataDir, 'backups', `before-restore-${stamp(ctx.clock())}.sqlite`);
      mkdirSync(dirname(safetyPath), { recursive: true });
      const safetyBackup = await backupStore(ctx.store, safetyPath);
      const restored = await restoreStore(ctx.store, source, { at: ctx.clock().toISOString() });
      return { restored, safetyBackup };
    }),
} satisfies TRPCRouterRecord;
