import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

/** A message the test server accepted (it replied 250 to the end of DATA). */
export interface ReceivedMessage {
  /** RCPT TO addresses of the envelope. */
  to: string[];
  from: string;
  raw: Buffer;
  parsed: ParsedMail;
}

/** An SMTP reply to send instead of accepting. */
export interface FaultReply {
  code: number;
  message: string;
}

/** Faults the server injects, to test the outbox against what real servers do. */
export interface SmtpFaults {
  /** Reply to a new connection's greeting instead of 220 (e.g. 421 busy) while this returns a reply. */
  onConnect?: (connectionNumber: number) => FaultReply | undefined;
  /** Reply to RCPT TO instead of 250 (e.g. 550 5.1.1, 451 4.7.1) while this returns a reply. */
  onRcpt?: (address: string, attempt: number) => FaultReply | undefined;
  /** Drop the connection in the middle of DATA for this recipient and attempt. */
  dropMidData?: (address: string, attempt: number) => boolean;
  /** Hold the greeting of this connection back this long (a server slower than the client's patience). */
  connectDelayMs?: (connectionNumber: number) => number;
  /** Wait this long before answering the end of DATA (a slow server). */
  dataDelayMs?: number;
  /** Wait this long before accepting a message whose recipient matches. */
  dataDelayFor?: (address: string) => number;
}

export interface SmtpTestServerOptions {
  /** Require AUTH with this user and password (535 otherwise). */
  auth?: { user: string; password: string };
  faults?: SmtpFaults;
  /** Implicit TLS with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Offer STARTTLS with this key and certificate (plain servers do not offer it otherwise). */
  starttls?: { key: string | Buffer; cert: string | Buffer };
  /** Keep raw messages only, without parsing (benchmarks). */
  parse?: boolean;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  messages: ReceivedMessage[];
  /** RCPT attempts per address (every RCPT TO, accepted or not). */
  attempts: Map<string, number>;
  /** Accepted messages per address. */
  receivedBy(address: string): ReceivedMessage[];
  /** Resolves when `count` messages have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Called for every accepted message (tests use it to kill a sender mid-way). */
  onMessage?: (message: ReceivedMessage) => void;
  close(): Promise<void>;
}

interface ConnectionLike {
  session?: { id?: string };
  _socket?: { destroy(): void };
}

/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1 with a random port, which keeps what it
 * accepted (parsed back with mailparser) and can inject faults. For tests and benchmarks only.
 *
 * @example
 * const server = await startSmtpTestServer({ faults: { onRcpt: (a) => a.startsWith('gone') ? { code: 550, message: '5.1.1 No such user' } : undefined } });
 * // … send to server.port …
 * server.receivedBy('jan@example.nl').length; // 1
 * await server.close();
 */
export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const faults = options.faults ?? {};
  const messages: ReceivedMessage[] = [];
  const attempts = new Map<string, number>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let connectionNumber = 0;
  let pendingParses = 0;

  const settle = () => {
    for (const waiter of [...waiters]) {
      if (messages.length >= waiter.count && pendingParses === 0) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  const tls = options.tls ?? options.starttls;
  const serverOptions: SMTPServerOptions = {
    secure: Boolean(options.tls),
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    disabledCommands: [
      ...(options.auth ? [] : ['AUTH']),
      ...(options.starttls || options.tls ? [] : ['STARTTLS']),
    ],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    size: 25 * 1024 * 1024,
    onConnect(_session, callback) {
      connectionNumber++;
      const number = connectionNumber;
      const fault = faults.onConnect?.(number);
      const delay = faults.connectDelayMs?.(number) ?? 0;
      const go = () => (fault ? callback(replyError(fault)) : callback());
      if (delay > 0) setTimeout(go, delay);
      else go();
    },
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.password) {
        callback(null, { user: auth.username });
        return;
      }
      callback(replyError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    onRcptTo(address, _session, callback) {
      const email = address.address.toLowerCase();
      const attempt = (attempts.get(email) ?? 0) + 1;
      attempts.set(email, attempt);
      const fault = faults.onRcpt?.(email, attempt);
      if (fault) {
        callback(replyError(fault));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
      const first = to[0] ?? '';
      const drop = faults.dropMidData?.(first, attempts.get(first) ?? 1) === true;
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (drop && !dropped) {
          dropped = true;
          socketOf(server, session)?.destroy();
        }
      });
      stream.on('end', () => {
        if (dropped) return;
        const delay = (faults.dataDelayMs ?? 0) + (faults.dataDelayFor?.(first) ?? 0);
        const accept = () => {
          const raw = Buffer.concat(chunks);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          if (options.parse === false) {
            const message = { to, from, raw, parsed: undefined as unknown as ParsedMail };
            messages.push(message);
            result.onMessage?.(message);
            callback(null, 'Queued');
            settle();
            return;
          }
          pendingParses++;
          // Reply 250 only after the message is recorded, like a real server that has queued it.
          simpleParser(raw)
            .then((parsed) => {
              const message = { to, from, raw, parsed };
              messages.push(message);
              result.onMessage?.(message);
              callback(null, 'Queued');
            })
            .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))))
            .finally(() => {
              pendingParses--;
              settle();
            });
        };
        if (delay > 0) setTimeout(accept, delay);
        else accept();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => {
    // A client that drops the connection is an expected fault here, not a test failure.
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const result: SmtpTestServer = {
    host: '127.0.0.1',
    port,
    messages,
    attempts,
    receivedBy: (email) => messages.filter((message) => message.to.includes(email.toLowerCase())),
    waitFor: (count, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Timed out waiting for ${count} messages (got ${messages.length})`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        settle();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of (server as unknown as { connections: Set<ConnectionLike> }).connections)
          connection._socket?.destroy();
        server.close(() => resolve());
      }),
  };
  return result;
}

function replyError(fault: FaultReply): Error & { responseCode: number } {
  return Object.assign(new Error(fault.message), { responseCode: fault.code });
}

function socketOf(server: SMTPServer, session: SMTPServerSession): { destroy(): void } | undefined {
  for (const connection of (server as unknown as { connections: Set<ConnectionLike> }).connections) {
    if (connection.session?.id === session.id) return connection._socket;
  }
  return undefined;
}
