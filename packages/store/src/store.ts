// Opening a store: the connection, migrations, row seals, integrity checks and the anchor, in a fixed
// order. Over 400 lines because that order is the guarantee (a damaged file must still open for audit).
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { UserError } from '@consent-mailer/policy';
import {
  ANCHOR_KEY_EVENT,
  anchorPathFor,
  chainHead,
  checkAnchor,
  describeAnchorProblem,
  makeAnchor,
  pinnedAnchorKey,
  readAnchorFile,
  writeAnchorFile,
  type AnchorCheck,
  type AnchorSigner,
  type ChainAnchor,
} from './chain-anchor.js';
import type { Database } from './database.js';
import {
  appendEventSync,
  onEventAppended,
  registerConnection,
  verifyChain,
  type ChainVerification,
} from './event-log.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { restoreImportIndexes } from './import-indexes.js';
import { verifyRows } from './ledger-verification.js';
import { installRowTracking, resetRowTracking, sealedTableShapes } from './row-seal.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startBackgroundCheckpoint } from './background-checkpoint.js';
import { cachingDatabase } from './statement-cache.js';
import { matchingCheckpoint, writeVerifiedCheckpoint } from './verified-checkpoint.js';
import { migrateToLatest, schemaStatus, type SchemaStatus } from './migrations/migrate.js';

/** What the checks on open found. */
export interface StoreHealth {
  /** `[]`, or the first problems `PRAGMA quick_check` reported at open; null when checks were skipped. */
  integrity: string[] | null;
  /** The chain walk, with the row and trigger checks; null when checks were skipped. */
  chain: ChainVerification | null;
  /** The signed anchor beside the file against the chain; null when checks were skipped. */
  anchor: AnchorCheck | null;
  schema: SchemaStatus;
}

/** An open store: the kysely handle the repositories take, and the raw connection for backups. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly sqlite: BetterSqlite3.Database;
  /** The database file (":memory:" for an in-memory store). */
  readonly path: string;
  /** Set by `openStore`: schema state and what the open-time checks found. */
  health: StoreHealth | null;
  /** The native addon the connection was opened with (reused to open backups), if any. */
  readonly nativeBinding?: string;
  /** Signs anchors (the installation's key, injected by the host); absent: anchors are unsigned. */
  readonly anchorSigner?: AnchorSigner;
  /**
   * Takes the installation's key for anchors from now on (the host made the key while the store was open,
   * or the user adopts an unsigned head with `audit anchor --adopt`): writes the signed anchor of the current
   * head at once and returns it. Refused (STORE_ANCHOR_KEY_CHANGE) when the store already signs with
   * another key.
   */
  adoptAnchorSigner(signer: AnchorSigner): ChainAnchor | null;
  /**
   * Writes the signed anchor of the current head beside the database now (also done by itself shortly
   * after every change and on close). Returns it; null for an in-memory store.
   */
  writeAnchor(): ChainAnchor | null;
  /** The anchor of the current head, signed, without writing it (for `audit anchor`, exports, backups). */
  currentAnchor(): ChainAnchor;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The SQLite database file; created when missing. */
  path: string;
  /**
   * Path to a better-sqlite3 native addon built for the running runtime. Electron needs its own build
   * (its ABI differs from Node's), so the desktop app passes it; Node callers leave it out.
   */
  nativeBinding?: string;
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** Integrity check and chain verification on open (default true). */
  check?: boolean;
  /**
   * Open even when the integrity check or the chain fails, to repair or export; the findings are in
   * `store.health`. Without it such a database is refused with a UserError.
   */
  openDamaged?: boolean;
  /**
   * Signs and checks the chain anchor with the installation's key (the host owns the key; the store
   * never sees it). Without it anchors are written unsigned and only their head is checked.
   */
  anchorSigner?: AnchorSigner;
}

/**
 * Opens (and creates) a store on a SQLite file: pragmas, pending migrations, then a quick integrity check and
 * a walk of the event chain. A damaged file or a broken chain is refused with a UserError that says what
 * to do, unless `openDamaged` is set.
 *
 * @example
 * const store = await openStore({ path: '/tmp/consent-mailer.sqlite' });
 * console.log(store.health?.chain?.ok); // true
 * await store.close();
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(
      options.path,
      options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
    );
  } catch (error) {
    throw cannotOpen(options.path, error);
  }
  let store: Store;
  try {
    // A file that is not a database fails on the first read: the pragmas in createStore.
    store = createStore(sqlite, options.path, options.nativeBinding, {
      ...(options.anchorSigner === undefined ? {} : { anchorSigner: options.anchorSigner }),
      tracking: false,
      anchoring: false,
    });
  } catch (error) {
    sqlite.close();
    throw cannotOpen(options.path, error);
  }
  try {
    const checking = options.check !== false;
    // A file byte for byte the one this installation closed and signed needs no walk (every byte is in
    // the signed digest); any other file is checked in full.
    const checkpoint =
      checking && options.anchorSigner !== undefined
        ? matchingCheckpoint(options.path, options.anchorSigner)
        : undefined;
    const head = checkpoint === undefined ? undefined : chainHead(sqlite);
    const unchanged =
      checkpoint !== undefined && head?.seq === checkpoint.seq && head.hash === checkpoint.hash;
    // The checks run on the file as found, before any migration: neither a migration nor the reseal
    // after one may bless a change made behind the store's back.
    const integrity = checking ? (unchanged ? [] : integrityProblems(sqlite)) : null;
    const hasEvents = tableExists(sqlite, 'event');
    // A file whose schema already had the row seal (migration 0160, released with anchors) was written
    // by a store that anchors it: its anchor must be there. Only a file from before that (its first open
    // by this version) is taken as it is and gets its first anchor below (docs/trust-model.md).
    const anchorRequired = tableExists(sqlite, 'event_row');
    const chain: ChainVerification | null =
      checking && hasEvents
        ? unchanged
          ? { ok: true, events: checkpoint.seq, headHash: checkpoint.hash, checkpointAt: checkpoint.at }
          : await verifyChain(store.db, { sqlite })
        : null;
    const anchor =
      checking && hasEvents
        ? checkAnchor(sqlite, readAnchorFile(anchorPathFor(options.path)), options.anchorSigner, {
            required: anchorRequired,
          })
        : null;
    const clean =
      checking && (integrity?.length ?? 0) === 0 && chain?.ok !== false && anchor?.status !== 'INVALID';
    if (options.openDamaged !== true) {
      if (integrity !== null && integrity.length > 0) throw damaged(options.path, integrity);
      if (chain !== null && !chain.ok) throw chainBroken(options.path, chain);
      if (anchor !== null && anchor.status === 'INVALID') throw anchorInvalid(options.path, anchor);
    }
    const pendingBefore = options.migrate === false ? [] : (await schemaStatus(store.db)).pending;
    const schema = options.migrate === false ? null : await migrateToLatest(store.db);
    if (tableExists(sqlite, 'event_row')) {
      resetRowTracking(sqlite);
      // A migration that added a column with a default (or the baseline of a file from before rows were
      // sealed) changes row digests: commit the migrated state, but only over a file that checked clean.
      if (pendingBefore.length > 0 && clean) resealAfterMigration(sqlite, pendingBefore);
      installRowTracking(sqlite);
    }
    // An import that set an index aside and never ended (the process died) left it missing: put it back.
    if (schema !== null) await restoreImportIndexes(store.db);
    store.health = {
      integrity,
      chain,
      anchor,
      schema: schema ?? { version: null, applied: [], pending: [] },
    };
    // A clean file gets the anchor of its head now and after every change; a damaged one (opened to
    // audit or export) keeps the anchor that shows the damage.
    if (clean || !checking) {
      anchoringSwitches.get(store)?.();
      // Only a file checked clean is vouched for at close; one the checkpoint matched and this connection
      // leaves untouched keeps its checkpoint.
      if (clean) checkpointSwitches.get(store)?.(unchanged);
      store.writeAnchor();
    }
    return store;
  } catch (error) {
    await store.close();
    if (error instanceof Error && error.name === 'UserError') throw error;
    throw cannotOpen(options.path, error);
  }
}

function tableExists(sqlite: BetterSqlite3.Database, name: string): boolean {
  return (
    sqlite.prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?`).get(name) !==
    undefined
  );
}

/**
 * Rows written through this connection without an event of their own (a direct insert by a host or a
 * test, a repository that forgot its event) are committed to the chain before the connection closes, with
 * a `ledger.sealed` event, so they are recorded rather than reported as tampering at the next open.
 */
export function sealUnsealedRows(sqlite: BetterSqlite3.Database): void {
  const exists =
    sqlite
      .prepare(`SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = 'ledger_row_change'`)
      .get() !== undefined;
  if (!exists || sqlite.prepare('SELECT 1 FROM temp.ledger_row_change LIMIT 1').get() === undefined) return;
  appendEventSync(sqlite, {
    type: 'ledger.sealed',
    entity: 'store',
    at: new Date().toISOString(),
    data: { reason: 'rows written without an event of their own' },
  });
}

/** After migrations: commits the current state of every sealed table whose rows no longer match. */
function resealAfterMigration(sqlite: BetterSqlite3.Database, migrations: readonly string[]): void {
  if (verifyRows(sqlite).ok) return;
  const tables = sealedTableShapes(sqlite).map((shape) => shape.table);
  appendEventSync(
    sqlite,
    {
      type: 'ledger.resealed',
      entity: 'store',
      at: new Date().toISOString(),
      data: { migrations: [...migrations], tables },
    },
    { snapshot: tables },
  );
}

/** The pragmas every connection of the store runs with. */
function configure(sqlite: BetterSqlite3.Database): void {
  // WAL lets backups and readers run beside the writer; the busy timeout rides out a backup's lock.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // NORMAL in WAL mode never corrupts; at worst the last transactions before a power cut are lost whole.
  sqlite.pragma('synchronous = NORMAL');
  // 8 MiB of page cache (default 2 MiB) for everyday work; a bulk write takes 64 MiB for its duration
  // (withBulkWriteCache). A big cache here would fill with the pages every full read touches and stay full.
  sqlite.pragma('cache_size = -8192');
  // Checkpoint the WAL into the database every 64 MiB instead of every 4 MiB (1,000 pages): an import commits
  // one transaction per chunk, and a checkpoint (with its fsync) after each of them was a fifth of the time.
  // A store on a file hands its checkpoints to a worker thread instead (background-checkpoint.ts); this is
  // what is left when that cannot run.
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  // After a checkpoint the WAL file is cut back to this size rather than left at its largest.
  sqlite.pragma('journal_size_limit = 67108864');
  // Erased personal data must not linger in free pages of the file (GDPR art. 17).
  sqlite.pragma('secure_delete = ON');
}

/**
 * The check at open is SQLite's quick_check: every page, record and constraint, but not whether each index
 * matches its table (the part of integrity_check that grows fastest: ~0.13 s instead of ~0.8 s at 100,000
 * contacts, and seconds at a million, paid by every CLI command). `audit verify` runs the full check
 * ({@link fullIntegrityProblems}).
 */
function integrityProblems(sqlite: BetterSqlite3.Database): string[] {
  const rows = sqlite.pragma('quick_check(20)') as { quick_check: string }[];
  const messages = rows.map((row) => row.quick_check);
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

/**
 * SQLite's full integrity_check (indexes against their tables too): `[]` when the file is sound, else the
 * first problems.
 *
 * @example
 * const problems = fullIntegrityProblems(store); // [] when sound
 */
export function fullIntegrityProblems(store: Pick<Store, 'sqlite'>): string[] {
  const rows = store.sqlite.pragma('integrity_check(20)') as { integrity_check: string }[];
  const messages = rows.map((row) => row.integrity_check);
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

/**
 * Wraps an already open better-sqlite3 connection (the handle is passed in, never a singleton) with the
 * store's pragmas (WAL, foreign keys, busy timeout, secure delete). Runs no migrations and no checks: use `openStore` for that.
 *
 * @example
 * const store = createStore(new BetterSqlite3(':memory:'), ':memory:');
 */
export function createStore(
  sqlite: BetterSqlite3.Database,
  path: string,
  nativeBinding?: string,
  options: { anchorSigner?: AnchorSigner; tracking?: boolean; anchoring?: boolean } = {},
): Store {
  configure(sqlite);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: cachingDatabase(sqlite) }),
  });
  // openStore installs the row tracking after its migrations; a wrapped connection gets it now.
  if (options.tracking !== false && tableExists(sqlite, 'event_row')) installRowTracking(sqlite);
  let anchorSigner = options.anchorSigner;
  const anchorPath = path === ':memory:' || path === '' ? null : anchorPathFor(path);
  let anchoredSeq = -1;
  let keyPinned = false;
  let anchoring = options.anchoring !== false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Set by openStore for a file it checked clean: close signs the file's digest (verified-checkpoint.ts).
  let checkpointing = false;
  let checkpointKept = false;
  const currentAnchor = (): ChainAnchor =>
    makeAnchor(chainHead(sqlite), anchorSigner, new Date().toISOString());
  const writeAnchor = (): ChainAnchor | null => {
    if (anchorPath === null || !sqlite.open || !anchoring) return null;
    // Inside a transaction the head may still roll back: anchor it once it is committed.
    if (sqlite.inTransaction) {
      scheduleAnchor();
      return null;
    }
    if (!tableExists(sqlite, 'event')) return null;
    let head = chainHead(sqlite);
    if (anchorSigner !== undefined && !keyPinned) {
      // The first signed anchor of a chain with events pins the key in the chain (see ANCHOR_KEY_EVENT).
      if (head.seq > 0 && pinnedAnchorKey(sqlite) !== anchorSigner.fingerprint) {
        appendEventSync(sqlite, {
          type: ANCHOR_KEY_EVENT,
          entity: 'store',
          at: new Date().toISOString(),
          data: { keyFingerprint: anchorSigner.fingerprint },
        });
        head = chainHead(sqlite);
      }
      if (head.seq > 0) keyPinned = true;
    }
    if (anchorSigner === undefined) {
      // Without the key an unsigned anchor must not replace a signed one (that still holds).
      const existing = readAnchorFile(anchorPath);
      if (existing?.signature !== null && existing !== undefined) return existing;
    }
    const anchor = makeAnchor(head, anchorSigner, new Date().toISOString());
    writeAnchorFile(anchorPath, anchor);
    anchoredSeq = head.seq;
    return anchor;
  };
  const scheduleAnchor = () => {
    if (anchorPath === null || closed || !anchoring || timer !== undefined) return;
    // One anchor per burst of changes (an import's chunks, a send's batches), not one per event.
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed && chainHead(sqlite).seq !== anchoredSeq) writeAnchor();
    }, 250);
    timer.unref();
  };
  // A file (not :memory:) has its WAL checkpointed by a worker thread, so no commit of this connection
  // stalls on one (see background-checkpoint.ts).
  const checkpoint =
    path === ':memory:' || path === ''
      ? undefined
      : startBackgroundCheckpoint(sqlite, path, { nativeBinding });
  onEventAppended(sqlite, () => {
    scheduleAnchor();
    checkpoint?.afterWrite();
  });
  const unregister = registerConnection(sqlite);
  const store: Store = {
    db,
    sqlite,
    path,
    health: null,
    ...(nativeBinding === undefined ? {} : { nativeBinding }),
    get anchorSigner() {
      return anchorSigner;
    },
    adoptAnchorSigner: (signer) => {
      if (anchorSigner !== undefined && anchorSigner.fingerprint !== signer.fingerprint) {
        throw new UserError('STORE_ANCHOR_KEY_CHANGE', {
          en: `This database is anchored with the key ${anchorSigner.fingerprint}; it cannot switch to ${signer.fingerprint} while open. Restart the app or command with the installation's own key.`,
          nl: `Deze database is verankerd met de sleutel ${anchorSigner.fingerprint}; hij kan niet overstappen op ${signer.fingerprint} terwijl hij open is. Start de app of het commando opnieuw met de eigen sleutel van de installatie.`,
        });
      }
      anchorSigner = signer;
      keyPinned = false;
      anchoring = true;
      anchoredSeq = -1;
      return writeAnchor();
    },
    writeAnchor,
    currentAnchor,
    close: async () => {
      if (closed) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      try {
        if (sqlite.open && !sqlite.inTransaction) sealUnsealedRows(sqlite);
      } catch {
        // Nothing to seal, or the file is read-only: the next open reports what it finds.
      }
      try {
        if (
          anchoring &&
          sqlite.open &&
          !sqlite.inTransaction &&
          tableExists(sqlite, 'event') &&
          chainHead(sqlite).seq !== anchoredSeq
        ) {
          writeAnchor();
        }
      } catch {
        // Closing must not fail on the anchor (a read-only folder): the next open reports what it finds.
      }
      const changes = sqlite.open ? totalChanges(sqlite) : 0;
      const head = checkpointing && sqlite.open && tableExists(sqlite, 'event') ? chainHead(sqlite) : null;
      closed = true;
      unregister();
      // The worker's connection closes first: the store's own connection is then the last one, which
      // checkpoints everything and removes the WAL.
      await checkpoint?.close();
      // Kysely's SqliteDriver closes the better-sqlite3 connection on destroy.
      await db.destroy();
      // Closed, the file holds every change (the last connection checkpoints and removes the WAL).
      if (
        head !== null &&
        anchorSigner !== undefined &&
        anchorPath !== null &&
        !(checkpointKept && changes === 0)
      ) {
        try {
          writeVerifiedCheckpoint(path, head, anchorSigner, new Date().toISOString());
        } catch {
          // A read-only folder: the next open walks the chain in full.
        }
      }
    },
  };
  checkpointSwitches.set(store, (kept) => {
    checkpointing = true;
    checkpointKept = kept;
  });
  anchoringSwitches.set(store, () => {
    anchoring = true;
  });
  return store;
}

/** Turns anchoring on for a store that openStore found clean (kept off the public Store interface). */
const anchoringSwitches = new WeakMap<Store, () => void>();

/** Lets close sign the checkpoint of a store openStore found clean (`kept`: the checkpoint matched). */
const checkpointSwitches = new WeakMap<Store, (kept: boolean) => void>();

/** Rows this connection inserted, updated or deleted since it was opened. */
function totalChanges(sqlite: BetterSqlite3.Database): number {
  return sqlite.prepare('SELECT total_changes()').pluck().get() as number;
}

function cannotOpen(path: string, error: unknown): UserError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(
    'STORE_CANNOT_OPEN',
    {
      en: `The database ${path} cannot be opened: ${reason}. Check that the path is right and the file is a Consent Mailer database, or restore a backup.`,
      nl: `De database ${path} kan niet worden geopend: ${reason}. Controleer of het pad klopt en het bestand een Consent Mailer-database is, of zet een back-up terug.`,
    },
    { cause: error },
  );
}

function damaged(path: string, problems: string[]): UserError {
  return new UserError('STORE_INTEGRITY_FAILED', {
    en: `The database ${path} is damaged (${problems.slice(0, 3).join('; ')}). Restore a backup with "consent-mailer restore FILE", or open it with --open-damaged to export what is left.`,
    nl: `De database ${path} is beschadigd (${problems.slice(0, 3).join('; ')}). Zet een back-up terug met "consent-mailer restore BESTAND", of open hem met --open-damaged om te exporteren wat er nog is.`,
  });
}

function anchorInvalid(path: string, anchor: Extract<AnchorCheck, { status: 'INVALID' }>): UserError {
  const what = describeAnchorProblem(anchor.problem, anchor.anchor);
  const adopt =
    anchor.problem === 'UNSIGNED'
      ? {
          en: ' If this database was only used before this installation had its key, open it with --open-damaged and run "consent-mailer audit anchor --adopt" to sign its current head.',
          nl: ' Is deze database alleen gebruikt voordat deze installatie haar sleutel had, open hem dan met --open-damaged en voer "consent-mailer audit anchor --adopt" uit om de huidige kop te ondertekenen.',
        }
      : { en: '', nl: '' };
  return new UserError('STORE_ANCHOR_INVALID', {
    en: `The signed anchor beside ${path} ${what.en} (${anchor.problem}). Run "consent-mailer audit verify" for details and restore a backup with its anchor, or open it with --open-damaged to export.${adopt.en}`,
    nl: `Het ondertekende anker naast ${path} ${what.nl} (${anchor.problem}). Voer "consent-mailer audit verify" uit voor details en zet een back-up met zijn anker terug, of open hem met --open-damaged om te exporteren.${adopt.nl}`,
  });
}

function chainBroken(path: string, chain: Extract<ChainVerification, { ok: false }>): UserError {
  if (chain.reason.startsWith('ROW_') || chain.reason === 'TRIGGER_MISSING') {
    const what =
      chain.reason === 'TRIGGER_MISSING'
        ? {
            en: `the append-only trigger ${chain.expected} was dropped`,
            nl: `de trigger ${chain.expected} die het logboek onveranderbaar houdt is verwijderd`,
          }
        : {
            en: `${chain.table ?? '?'} row ${chain.rowKey ?? ''} does not match the event log (${chain.reason}; last recorded by event ${chain.brokenAt})`,
            nl: `rij ${chain.rowKey ?? ''} van ${chain.table ?? '?'} klopt niet met het logboek (${chain.reason}; laatst vastgelegd door gebeurtenis ${chain.brokenAt})`,
          };
    return new UserError('STORE_CHAIN_BROKEN', {
      en: `The database ${path} was changed outside Consent Mailer: ${what.en}. Run "consent-mailer audit verify" for details and restore a backup from before the change, or open it with --open-damaged to export.`,
      nl: `De database ${path} is buiten Consent Mailer gewijzigd: ${what.nl}. Voer "consent-mailer audit verify" uit voor details en zet een back-up van vóór de wijziging terug, of open hem met --open-damaged om te exporteren.`,
    });
  }
  return new UserError('STORE_CHAIN_BROKEN', {
    en: `The event log of ${path} has been altered: event ${chain.brokenAt} fails its check (${chain.reason}). Run "consent-mailer audit verify" for details and restore a backup from before the change, or open it with --open-damaged to export.`,
    nl: `Het gebeurtenissenlogboek van ${path} is gewijzigd: gebeurtenis ${chain.brokenAt} faalt de controle (${chain.reason}). Voer "consent-mailer audit verify" uit voor details en zet een back-up van vóór de wijziging terug, of open hem met --open-damaged om te exporteren.`,
  });
}
