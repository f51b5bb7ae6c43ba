import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promises as dns } from 'node:dns';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DNSResolver } from 'mailauth';
import { createDnsResolver } from '../dns-authentication.js';

/** A zone's records in zone-file syntax relative to the zone, e.g. `'@ TXT "v=spf1 -all"'`. */
export type TestZones = Readonly<Record<string, readonly string[]>>;

export interface DnsTestServer {
  /** `127.0.0.x:port`, for `createDnsResolver`. */
  server: string;
  resolver: DNSResolver;
  close(): Promise<void>;
}

/**
 * A TXT value in zone-file syntax, split into strings of at most 255 bytes (a 2048-bit DKIM key is longer).
 *
 * @example
 * `s1._domainkey TXT ${txt(info.dnsRecord)}`
 */
export function txt(value: string): string {
  const chunks = value.match(/.{1,255}/g) ?? [''];
  return chunks.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(' ');
}

/**
 * A real authoritative DNS server (Knot, /usr/sbin/knotd) on a random 127.0.0.x address and free port,
 * with its config and zone files in a temporary folder, serving the given zones. For tests only.
 *
 * @example
 * const dnsServer = await startDnsTestServer({ 'good.test': ['@ TXT "v=spf1 ip4:127.0.0.1 -all"'] });
 * await checkDomainAuthentication({ …, resolver: dnsServer.resolver });
 * await dnsServer.close();
 */
export async function startDnsTestServer(
  zones: TestZones,
  knotd = '/usr/sbin/knotd',
): Promise<DnsTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'cm-dns-'));
  const address = `127.0.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
  const port = await freeUdpPort(address);
  // knotd drops privileges to `user:`; as root that must be named, otherwise it runs as whoever started it.
  const user = process.getuid?.() === 0 ? '    user: root:root\n' : '';
  const names = Object.keys(zones);
  const conf = [
    'server:',
    `    listen: ${address}@${port}`,
    `    rundir: ${dir}`,
    user.trimEnd(),
    'control:',
    `    listen: ${join(dir, 'knot.sock')}`,
    'log:',
    '  - target: stderr',
    '    any: error',
    'database:',
    `    storage: ${join(dir, 'db')}`,
    'template:',
    '  - id: default',
    `    storage: ${dir}`,
    '    file: "%s.zone"',
    'zone:',
    ...names.map((name) => `  - domain: ${name}`),
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
  await writeFile(join(dir, 'knot.conf'), `${conf}\n`);
  for (const name of names) {
    const lines = [
      `$ORIGIN ${name}.`,
      '$TTL 60',
      `@ SOA ns.${name}. hostmaster.${name}. 1 60 60 600 60`,
      `@ NS ns.${name}.`,
      `ns A ${address}`,
      ...(zones[name] ?? []),
      '',
    ];
    await writeFile(join(dir, `${name}.zone`), lines.join('\n'));
  }
  const child: ChildProcess = spawn(knotd, ['-c', join(dir, 'knot.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server = `${address}:${port}`;
  const probe = new dns.Resolver({ timeout: 200, tries: 1 });
  probe.setServers([server]);
  const first = names[0] ?? '';
  for (let i = 0; ; i++) {
    try {
      await probe.resolveSoa(first);
      break;
    } catch (error) {
      if (child.exitCode !== null || i > 50) {
        child.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
        throw new Error(`knotd did not start on ${server}: ${stderr || String(error)}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    server,
    resolver: createDnsResolver([server], 1000),
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function freeUdpPort(address: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
