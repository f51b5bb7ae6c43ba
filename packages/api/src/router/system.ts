import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import {
  backupStore,
  countRecords,
  inspectBackup,
  restoreStore,
  schemaStatus,
  verifyChain,
  type BackupInfo,
  type ChainVerification,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
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
    chain: await verifyChain(ctx.store.db),
    integrity: ctx.store.health?.integrity ?? null,
  };
}

/** A file path from the user: absolute as given, relative ones inside the data folder. */
function inDataDir(ctx: ApiContext, path: string): string {
  return isAbsolute(path) ? path : join(ctx.dataDir, path);
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
      const target = inDataDir(
        ctx,
        input.path ?? join('backups', `consent-mailer-${stamp(ctx.clock())}.sqlite`),
      );
      mkdirSync(dirname(target), { recursive: true });
      return backupStore(ctx.store, target);
    }),

  /**
   * Replaces the database with a checked backup. The current state is first saved as a backup of its
   * own (`safetyBackup`), so a restore can itself be undone.
   */
  restore: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096) }))
    .mutation(async ({ ctx, input }): Promise<{ restored: BackupInfo; safetyBackup: BackupInfo }> => {
      const source = inDataDir(ctx, input.path);
      // Check the backup before anything else happens, so a bad file costs nothing.
      await inspectBackup(
        source,
        ctx.store.nativeBinding === undefined ? {} : { nativeBinding: ctx.store.nativeBinding },
      );
      const safetyPath = join(ctx.dataDir, 'backups', `before-restore-${stamp(ctx.clock())}.sqlite`);
      mkdirSync(dirname(safetyPath), { recursive: true });
      const safetyBackup = await backupStore(ctx.store, safetyPath);
      const restored = await restoreStore(ctx.store, source, { at: ctx.clock().toISOString() });
      return { restored, safetyBackup };
    }),
} satisfies TRPCRouterRecord;
