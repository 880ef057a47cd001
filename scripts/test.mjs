// `npm test`: type check (server and web), lint, build the web app, make sure Chromium is there, then the whole jest
// suite (units, workflow paths, the local stack, DynamoDB Local, CDK, browser).
// `npm run test:fast` (`--fast`): type check, lint, then the unit, workflow and conformance tests only: no browser,
// no Java, no CDK. Both run the engine's conformance suite (test/conformance; `npm run conformance` prints its score).
// Both fail on an import cycle (madge; `.madgerc` counts the imports that load a module, not `import type`).
// Runs under the project's own Node 22 (node_modules/.bin/node comes first on npm's PATH).
import { spawnSync } from 'node:child_process';

const fast = process.argv.includes('--fast');
const jestArgs = process.argv.slice(2).filter((a) => a !== '--fast');
const jest = ['node', ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...jestArgs]];
/** No import cycle among the modules of the server, the infrastructure and the web app. */
const madge = ['madge', ['--circular', '--no-spinner', '--extensions', 'ts,tsx', 'functions', 'infra', 'web/src']];
const steps = fast
  ? [
      ['tsc', ['-p', 'tsconfig.json']],
      ['biome', ['ci', '.']],
      ['tsc', ['-p', 'web/tsconfig.json']],
      madge,
      [jest[0], [...jest[1], '--selectProjects', 'unit', 'workflow', 'conformance']],
    ]
  : [
      ['tsc', ['-p', 'tsconfig.json']],
      // Lint and format (Biome): focused or skipped tests and unused imports are errors.
      ['biome', ['ci', '.']],
      ['tsc', ['-p', 'web/tsconfig.json']],
      madge,
      ['node', ['scripts/build-web.mjs', '--quiet']],
      ['node', ['scripts/ensure-chromium.mjs']],
      jest,
    ];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
