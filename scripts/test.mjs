// `npm test`: type check (server and web), build the web app, make sure Chromium is there, then the whole jest suite (units, workflow paths, the local stack, CDK, browser).
// Runs under the project's own Node 22 (node_modules/.bin/node comes first on npm's PATH).
import { spawnSync } from 'node:child_process';

const steps = [
  ['tsc', ['-p', 'tsconfig.json']],
  // Lint and format (Biome): focused or skipped tests and unused imports are errors.
  ['biome', ['ci', '.']],
  ['tsc', ['-p', 'web/tsconfig.json']],
  ['node', ['scripts/build-web.mjs', '--quiet']],
  ['node', ['scripts/ensure-chromium.mjs']],
  ['node', ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)]],
];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
