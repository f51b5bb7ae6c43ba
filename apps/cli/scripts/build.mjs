// Bundles the CLI for Node with esbuild: the workspace packages' TypeScript sources are compiled here,
// once, so a run starts without a TypeScript compiler. Every command file and every api router is a
// dynamic import, so esbuild splits them into chunks and a command parses only the code it runs.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
rmSync(outdir, { recursive: true, force: true });

const result = await esbuild.build({
  metafile: true,
  absWorkingDir: root,
  entryPoints: ['src/main.ts', 'src/build-manifest.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Smaller chunks parse faster; names are kept so stack traces of INTERNAL errors stay readable.
  minify: process.env.CLI_BUILD_NO_MINIFY !== '1',
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  // Native (better-sqlite3) or reading their own files through __dirname / require.resolve at run time
  // (pdfkit's font metrics, the DejaVu fonts, exceljs): loaded from node_modules, so they are dependencies.
  external: ['better-sqlite3', 'pdfkit', 'dejavu-fonts-ttf', 'exceljs'],
  // Bundled CommonJS (nodemailer, papaparse …) calls require() for Node built-ins.
  banner: {
    js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
  },
  // store imports a types-only file for its module augmentation; the warning is about that empty import.
  logOverride: { 'ignored-bare-import': 'silent' },
  logLevel: 'warning',
});

if (process.env.CLI_BUILD_METAFILE) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.CLI_BUILD_METAFILE, JSON.stringify(result.metafile));
}
const { writeCommandManifest } = await import(`${outdir}/build-manifest.js`);
const count = await writeCommandManifest(`${outdir}/command-manifest.json`);
console.log(`consent-mailer bundled into dist/ (${count} top-level commands in the manifest)`);
