import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A real Dovecot IMAP server for tests, in a temp folder, as a child process on 127.0.0.1. */
export interface DovecotServer {
  host: string;
  port: number;
  /** The folder holding config, maildirs and the log. */
  dir: string;
  /** Dovecot's log so far (for a failing test's message). */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes the temp folder. */
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** user name -> password */
  users: Record<string, string>;
  binary?: string;
}

const DOVECOT = '/usr/sbin/dovecot';

/**
 * Starts Dovecot with its own configuration in a fresh temp folder: IMAP only, 127.0.0.1 on a free port,
 * users from a passwd-file, maildirs in the temp folder, no TLS (loopback only), base_dir and state_dir
 * in the temp folder, run in the foreground (`dovecot -F -c conf`) as a child of the test. As root it
 * drops to Debian's `dovecot`/`dovenull` users, so the folders are made accessible to them.
 *
 * @example
 * const dovecot = await startDovecot({ users: { info: 'geheim' } });
 * // … imapflow against dovecot.host:dovecot.port …
 * await dovecot.stop();
 */
export async function startDovecot(options: DovecotOptions): Promise<DovecotServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-dovecot-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const me = userInfo().username;
  // As root: login processes as dovenull, mail as dovecot (Dovecot refuses mail access as uid 0).
  const mailUser = asRoot ? 'dovecot' : me;
  const loginUser = asRoot ? 'dovenull' : me;
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub), { recursive: true });
  chmodSync(dir, 0o755);
  if (asRoot) {
    const { uid, gid } = idsOf(mailUser);
    chownSync(join(dir, 'mail'), uid, gid);
  }
  writeFileSync(
    join(dir, 'passwd'),
    Object.entries(options.users)
      .map(([user, password]) => `${user}:{PLAIN}${password}::::::`)
      .join('\n') + '\n',
  );
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `# Written by @consent-mailer/intake/testing for one test run.
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
log_path = ${join(dir, 'dovecot.log')}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${mailUser}
default_internal_group = ${mailUser}
default_login_user = ${loginUser}
mail_location = maildir:${join(dir, 'mail')}/%u
first_valid_uid = 1
mail_privileged_group =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${mailUser} home=${join(dir, 'mail')}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
protocol imap {
  mail_max_userip_connections = 50
}
`,
  );
  const child = spawn(options.binary ?? DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const log = () => {
    try {
      return `${output}\n${readFileSync(join(dir, 'dovecot.log'), 'utf8')}`;
    } catch {
      return `${output}\n(no log file)`;
    }
  };
  try {
    await waitForGreeting(port, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    dir,
    log,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function idsOf(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no system user ${user} for Dovecot`);
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForGreeting(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`dovecot exited at start:\n${log()}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (greeted) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`dovecot did not answer on port ${port}:\n${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
