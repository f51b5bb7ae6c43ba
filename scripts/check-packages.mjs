// Packs each publishable package exactly as `pnpm publish` would (publishConfig applied, workspace: and
// catalog: versions resolved) and checks the tarball: publint (package.json fields, files that exist) and
// Are the Types Wrong (types resolve for ESM consumers under node16 and bundler resolution).
// Run after `pnpm run build`: the tarballs hold dist/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PUBLISHABLE = ['policy', 'store', 'importer', 'mailer'];
const root = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'consent-mailer-pack-'));
const failed = [];
try {
  for (const name of PUBLISHABLE) {
    const dir = join(root, 'packages', name);
    console.log(`::: @consent-mailer/${name}`);
    try {
      const packed = JSON.parse(
        execFileSync('pnpm', ['pack', '--pack-destination', out, '--json'], { cwd: dir, encoding: 'utf8' }),
      );
      const tarball = packed.filename;
      execFileSync('pnpm', ['exec', 'publint', 'run', tarball, '--strict'], { cwd: root, stdio: 'inherit' });
      // ESM only on purpose (engines node >= 20.19 can require() ESM): CommonJS resolutions are not checked.
      execFileSync('pnpm', ['exec', 'attw', tarball, '--profile', 'esm-only', '--no-emoji', '--no-color'], {
        cwd: root,
        stdio: 'inherit',
      });
    } catch (error) {
      failed.push(name);
      console.error(`@consent-mailer/${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed.length > 0) {
  console.error(`packages that do not pack correctly: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`all ${PUBLISHABLE.length} publishable packages pack correctly`);
