import { createHash } from 'node:crypto';
import { isLoopbackHost } from '@consent-mailer/mailer';
import { UserError } from '@consent-mailer/policy';
import {
  findIntakeMessage,
  getIntakeCheckpoint,
  markIntakeMessagesMoved,
  pendingIntakeMoves,
  setIntakeMailboxRun,
  advanceIntakeCheckpoint,
  type Executor,
  type IntakeMailboxRow,
  type IntakeMessageKind,
} from '@consent-mailer/store';
import { ImapFlow } from 'imapflow';
import { classifyIncoming } from './incoming-message.js';
import { recordIncoming } from './intake-recorder.js';

/** How to reach a mailbox: the row's settings plus the password from the secret store. */
export interface ImapConnection {
  host: string;
  port: number;
  security: 'TLS' | 'STARTTLS' | 'NONE';
  username: string;
  password: string;
  /** Accept a self-signed certificate (a test server); never for a real mailbox. */
  allowSelfSigned?: boolean;
  timeoutMs?: number;
}

/** What one run did. */
export interface IntakeRunResult {
  mailboxId: string;
  uidValidity: number;
  read: number;
  /** Already recorded earlier (a restart, a UIDVALIDITY change): not processed again. */
  alreadyRead: number;
  byKind: Record<IntakeMessageKind, number>;
  moved: number;
  lastUid: number;
}

export interface RunIntakeOptions {
  db: Executor;
  mailbox: IntakeMailboxRow;
  connection: ImapConnection;
  clock?: () => Date;
  signal?: AbortSignal;
  /** Messages fetched per round trip; a big mailbox is read in several. Default 100. */
  batchSize?: number;
}

/**
 * Reads a mailbox once: every message after the folder's checkpoint (UIDVALIDITY + UID) is classified and
 * recorded in one transaction with the checkpoint, then moved to the Processed or Unrecognised folder
 * (created if missing). Nothing is ever deleted; ordinary mail stays where it is, unread. After a crash
 * between the commit and the move, the next run finishes the move and reads nothing twice (also after a
 * UIDVALIDITY change: the message's sha256 is remembered).
 *
 * @throws {UserError} INTAKE_IMAP_AUTH_FAILED, INTAKE_IMAP_UNREACHABLE, INTAKE_IMAP_INSECURE
 * @example
 * const result = await runIntake({ db: store.db, mailbox, connection: { ...settings, password } });
 * result.byKind.UNSUBSCRIBE;
 */
export async function runIntake(options: RunIntakeOptions): Promise<IntakeRunResult> {
  const { db, mailbox } = options;
  const clock = options.clock ?? (() => new Date());
  const now = () => clock().toISOString();
  const client = openClient(options.connection);
  const result: IntakeRunResult = {
    mailboxId: mailbox.id,
    uidValidity: 0,
    read: 0,
    alreadyRead: 0,
    byKind: { DSN: 0, COMPLAINT: 0, UNSUBSCRIBE: 0, STOP_REPLY: 0, AUTO_REPLY: 0, OTHER: 0, UNRECOGNISED: 0 },
    moved: 0,
    lastUid: 0,
  };
  try {
    await connect(client);
    await ensureFolders(client, [mailbox.processed_folder, mailbox.unrecognised_folder]);
    const lock = await client.getMailboxLock(mailbox.folder);
    try {
      const opened = client.mailbox;
      if (!opened) throw new Error(`folder ${mailbox.folder} did not open`);
      const uidValidity = Number(opened.uidValidity);
      result.uidValidity = uidValidity;
      const checkpoint = await getIntakeCheckpoint(db, mailbox.id, mailbox.folder);
      let lastUid = checkpoint?.uidValidity === uidValidity ? checkpoint.lastUid : 0;

      // First finish moves a crash left undone (recorded, committed, not yet moved).
      result.moved += await movePending(client, db, mailbox, uidValidity, now());

      const batchSize = options.batchSize ?? 100;
      for (;;) {
        if (options.signal?.aborted) break;
        // "n:*" returns the last message even when its UID is below n (RFC 3501): filter on the UID.
        const fetched = (
          await client.fetchAll(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })
        ).filter((message) => message.uid > lastUid);
        if (fetched.length === 0) break;
        fetched.sort((a, b) => a.uid - b.uid);
        const batch = fetched.slice(0, batchSize);
        const flag: number[] = [];
        for (const message of batch) {
          const source = message.source ?? Buffer.alloc(0);
          const sourceSha256 = createHash('sha256').update(source).digest('hex');
          const place = { mailboxId: mailbox.id, folder: mailbox.folder, uidValidity, uid: message.uid };
          const seen = await findIntakeMessage(db, { ...place, sourceSha256 });
          if (seen) {
            result.alreadyRead++;
            await advanceIntakeCheckpoint(db, { ...place, at: now() });
          } else {
            const { mail, incoming } = await classifyIncoming(source);
            const row = await recordIncoming(
              db,
              {
                ...place,
                sourceSha256,
                receivedAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
                processedFolder: mailbox.processed_folder,
                unrecognisedFolder: mailbox.unrecognised_folder,
              },
              incoming,
              now(),
            );
            result.read++;
            result.byKind[row.kind]++;
            if (row.needs_review === 1) flag.push(message.uid);
          }
          lastUid = message.uid;
        }
        // Flag what the owner must look at, then move what was handled; the moves are recorded after.
        if (flag.length > 0) await client.messageFlagsAdd(flag.join(','), ['\\Flagged'], { uid: true });
        result.moved += await movePending(client, db, mailbox, uidValidity, now());
      }
      result.lastUid = lastUid;
    } finally {
      lock.release();
    }
    await setIntakeMailboxRun(db, mailbox.id, { at: now(), error: null });
    return result;
  } catch (error) {
    const described = describeImapError(error);
    await setIntakeMailboxRun(db, mailbox.id, { at: now(), error: described.message });
    throw described;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * "Test connection" for a mailbox: log in, open the folder, log out.
 *
 * @example
 * await testImapConnection({ host, port, security: 'TLS', username, password }, 'INBOX'); // { messages: 12 }
 */
export async function testImapConnection(
  connection: ImapConnection,
  folder: string,
): Promise<{ messages: number; uidValidity: number }> {
  const client = openClient(connection);
  try {
    await connect(client);
    const status = await client.status(folder, { messages: true, uidValidity: true });
    if (status === false) {
      throw new UserError('INTAKE_IMAP_NO_FOLDER', {
        en: `The mailbox has no folder "${folder}". Check the folder name (usually INBOX).`,
        nl: `De mailbox heeft geen map "${folder}". Controleer de mapnaam (meestal INBOX).`,
      });
    }
    return { messages: status.messages ?? 0, uidValidity: Number(status.uidValidity ?? 0) };
  } catch (error) {
    throw describeImapError(error);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Refuses plain-text IMAP except to this computer (a local test server or a bridge).
 *
 * @throws {UserError} INTAKE_IMAP_INSECURE
 */
export function assertImapSecurity(connection: Pick<ImapConnection, 'host' | 'security'>): void {
  if (connection.security === 'NONE' && !isLoopbackHost(connection.host)) {
    throw new UserError('INTAKE_IMAP_INSECURE', {
      en: 'Without TLS the mailbox password would cross the network readable. Choose TLS (port 993) or STARTTLS (port 143).',
      nl: 'Zonder TLS gaat het wachtwoord van de mailbox leesbaar over het netwerk. Kies TLS (poort 993) of STARTTLS (poort 143).',
    });
  }
}

function openClient(connection: ImapConnection): ImapFlow {
  assertImapSecurity(connection);
  const timeout = connection.timeoutMs ?? 20_000;
  return new ImapFlow({
    host: connection.host,
    port: connection.port,
    secure: connection.security === 'TLS',
    // STARTTLS required, never a silent fallback to plain text.
    ...(connection.security === 'STARTTLS' ? { doSTARTTLS: true } : {}),
    ...(connection.security === 'NONE' ? { doSTARTTLS: false } : {}),
    auth: { user: connection.username, pass: connection.password },
    logger: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 3,
    tls: { rejectUnauthorized: !connection.allowSelfSigned },
    // The intake polls; an IDLE loop of imapflow's own would hold the connection between runs.
    disableAutoIdle: true,
  });
}

async function connect(client: ImapFlow): Promise<void> {
  // imapflow emits 'error' on socket trouble after connect; without a listener that would crash the process.
  client.on('error', () => undefined);
  await client.connect();
}

async function ensureFolders(client: ImapFlow, folders: readonly string[]): Promise<void> {
  const existing = new Set((await client.list()).map((entry) => entry.path));
  for (const folder of folders) if (!existing.has(folder)) await client.mailboxCreate(folder);
}

async function movePending(
  client: ImapFlow,
  db: Executor,
  mailbox: IntakeMailboxRow,
  uidValidity: number,
  at: string,
): Promise<number> {
  const pending = await pendingIntakeMoves(db, mailbox.id, mailbox.folder, uidValidity);
  const byFolder = new Map<string, typeof pending>();
  for (const item of pending) byFolder.set(item.moveTo, [...(byFolder.get(item.moveTo) ?? []), item]);
  let moved = 0;
  for (const [folder, items] of byFolder) {
    // MOVE (RFC 6851), or COPY + \Deleted + UID EXPUNGE of exactly these UIDs: the copy exists first.
    await client.messageMove(items.map((item) => item.uid).join(','), folder, { uid: true });
    await markIntakeMessagesMoved(
      db,
      items.map((item) => item.id),
      at,
    );
    moved += items.length;
  }
  return moved;
}

function describeImapError(error: unknown): Error {
  if (error instanceof UserError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    authenticationFailed?: unknown;
    code?: unknown;
    message?: unknown;
    responseText?: unknown;
  };
  const detail = typeof shape.responseText === 'string' ? shape.responseText : String(shape.message ?? error);
  if (
    shape.authenticationFailed === true ||
    /AUTHENTICATIONFAILED|authentication failed|LOGIN failed/i.test(detail)
  ) {
    return new UserError('INTAKE_IMAP_AUTH_FAILED', {
      en: `The mail server refused the login for this mailbox (${detail}). Check the user name and password.`,
      nl: `De mailserver weigerde de login voor deze mailbox (${detail}). Controleer gebruikersnaam en wachtwoord.`,
    });
  }
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (
    /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|TIMEOUT|NoConnection/i.test(`${code} ${detail}`)
  ) {
    return new UserError('INTAKE_IMAP_UNREACHABLE', {
      en: `The mail server could not be reached (${code || detail}). Check the host name, the port and your internet connection.`,
      nl: `De mailserver is niet bereikbaar (${code || detail}). Controleer de servernaam, de poort en je internetverbinding.`,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
