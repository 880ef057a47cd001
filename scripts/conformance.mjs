// `npm run conformance`: runs test/conformance (the local Step Functions engine against what AWS does) and prints
// the score, "conformance: N/M cases match AWS". Exit code 0 only when every case matches. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
const report = join(dir, 'report.json');
const r = spawnSync(
  'node',
  [
    '--experimental-vm-modules',
    'node_modules/jest/bin/jest.js',
    '--selectProjects',
    'conformance',
    '--json',
    `--outputFile=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: process.env },
);
let passed = 0;
let total = 0;
const failed = [];
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of json.testResults) {
    for (const t of file.assertionResults) {
      total++;
      if (t.status === 'passed') passed++;
      else failed.push(t.fullName);
    }
  }
} catch {
  console.error('conformance: no jest report (see the output above)');
  process.exit(r.status || 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const name of failed) console.log(`  differs from AWS: ${name}`);
console.log(`conformance: ${passed}/${total} cases match AWS`);
process.exit(passed === total && total > 0 && r.status === 0 ? 0 : 1);
