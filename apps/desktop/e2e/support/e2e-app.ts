import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  startBrowserHost,
  type BrowserHost,
  type BrowserHostOptions,
} from '../../src/browser-host/browser-host.js';

export const DESKTOP_DIR = join(import.meta.dirname, '..', '..');
export const RENDERER_DIR = join(DESKTOP_DIR, 'out', 'renderer');
export const ARTIFACTS_DIR = join(DESKTOP_DIR, 'e2e-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// From docs/toolchain.md: what Debian's Chromium needs to run headless on the build machines.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2eApp {
  host: BrowserHost;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  /** Saves a screenshot of the window to e2e-artifacts/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the browser host on a fresh temp database and a random port, and a fresh Chromium profile on it.
 *
 * @example
 * const app = await startE2eApp({ language: 'nl' });
 * await app.page.getByRole('navigation').waitFor();
 */
export async function startE2eApp(options: {
  language: 'nl' | 'en';
  dataDir?: string;
  /** Host options a test needs (its own DNS server, a secret store shared between runs, …). */
  host?: Pick<BrowserHostOptions, 'sending' | 'secrets' | 'intakeTickSeconds'>;
  /** The browser's time zone (e.g. 'Pacific/Auckland'), for screens that must not depend on it. */
  timezoneId?: string;
}): Promise<E2eApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(
      'out/renderer is missing: run `pnpm --filter @consent-mailer/desktop build` before the e2e tests.',
    );
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'consent-mailer-e2e-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'consent-mailer-chromium-'));
  const host = await startBrowserHost({ ...options.host, dataDir, rendererDir: RENDERER_DIR, port: 0 });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, `--lang=${options.language === 'nl' ? 'nl-NL' : 'en-US'}`],
    locale: options.language === 'nl' ? 'nl-NL' : 'en-US',
    viewport: { width: 1440, height: 1000 },
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(host.url);
  return {
    host,
    context,
    page,
    dataDir,
    async screenshot(name) {
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      // The window as the user sees it: the shell's header and footer are fixed, so a full-page capture
      // would paint them in the middle of long screens.
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await context.close();
      await host.close();
      rmSync(profileDir, { recursive: true, force: true });
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`The page threw: ${errors.join('\n')}`);
    },
  };
}
