#!/usr/bin/env node
// Quick start on a fresh machine: installs the pinned pnpm and the dependencies, builds, and starts the app.
// Where the Electron binary cannot run (no download, no display), it starts the browser host instead and
// prints the address to open.
import { execSync, spawnSync } from 'node:child_process';

const PNPM = '12.4.2';
const run = (command, env = {}) => {
  console.log(`> ${command}`);
  execSync(command, { stdio: 'inherit', env: { ...process.env, ...env } });
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Consent Mailer needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

const current = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: true }).stdout?.trim();
const pnpm = current === PNPM ? 'pnpm' : `npx -y pnpm@${PNPM}`;
run(`${pnpm} install --frozen-lockfile`, { TURBO_TELEMETRY_DISABLED: '1' });
run(`${pnpm} run build`, { TURBO_TELEMETRY_DISABLED: '1' });

const mode = process.argv[2] ?? 'app';
if (mode === 'browser') {
  run(`${pnpm} run browser-host`);
} else {
  try {
    // Electron needs its own build of better-sqlite3 (downloads Electron's headers: needs internet).
    run(`${pnpm} --filter @consent-mailer/desktop rebuild:electron`);
    run(`${pnpm} run start`);
  } catch {
    console.error('The Electron app could not start here; starting the browser host instead.');
    run(`${pnpm} run browser-host`);
  }
}
