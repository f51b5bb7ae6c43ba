#!/usr/bin/env node
// Adds up the vitest JSON reports (`.test-results/*.json` of every package) into the one line CI reads:
// "N passed, N failed". A test file that crashed before running its tests counts as one failure.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name, '.test-results');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      // Other files may live there too (e.g. a schema snapshot); only vitest's JSON reports count.
      if (!Array.isArray(report.testResults) || typeof report.numPassedTests !== 'number') continue;
      const crashed = report.testResults.filter(
        (r) => r.status === 'failed' && r.assertionResults.length === 0,
      ).length;
      const p = report.numPassedTests;
      const f = report.numFailedTests + crashed;
      const s = report.numPendingTests + report.numTodoTests;
      passed += p;
      failed += f;
      skipped += s;
      lines.push(`  ${group}/${name}/${file}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
    }
  }
}
console.log('Test reports:');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
