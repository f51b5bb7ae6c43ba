import { spawn } from 'node:child_process';

/** What dkimpy said about a message's first DKIM-Signature. */
export interface DkimpyResult {
  ok: boolean;
  /** dkimpy's output: its exception text when it failed. */
  output: string;
}

// dkimpy looks keys up through dnspython's system resolver; the test feeds it the TXT record instead,
// through dkim.verify's own dnsfunc hook, so no resolver of the machine is touched.
const SCRIPT = `
import sys, dkim
record = sys.argv[1].encode()
message = sys.stdin.buffer.read()
def dnsfunc(name, timeout=5):
    return record if name.decode().rstrip('.').lower() == sys.argv[2] else None
try:
    ok = dkim.verify(message, dnsfunc=dnsfunc)
    print('pass' if ok else 'fail')
except Exception as e:
    print('error: %s' % e)
`;

/**
 * Verifies a raw message with dkimpy (Debian python3-dkim), an independent DKIM implementation, given the
 * TXT record that `selector._domainkey.domain` would serve. For tests only.
 *
 * @example
 * const { ok } = await dkimpyVerify(signed.raw, 's1._domainkey.bakkerij.nl', info.dnsRecord);
 */
export function dkimpyVerify(
  raw: Buffer,
  recordName: string,
  record: string,
  python = '/usr/bin/python3',
): Promise<DkimpyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', SCRIPT, record, recordName.toLowerCase()], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve({ ok: output.trim() === 'pass', output: output.trim() }));
    child.stdin.end(raw);
  });
}
