import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describeCommands } from './command-registry.js';
import { createRootProgram } from './program.js';

/** Writes command-manifest.json (the root help's command list) beside the bundle; run by scripts/build.mjs. */
export async function writeCommandManifest(path: string): Promise<number> {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, clock: () => new Date() };
  const manifest = await describeCommands(createRootProgram(io), io);
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest.commands.length;
}
