// Jest runs TypeScript as native ESM (ts-jest, transpile only; `npm run typecheck` does the type check).
// Each project is one layer of the suite: units touch no network; integration starts the local stack in-process.
const base = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // Node subpath imports (package.json "imports"): #domain/x.js is functions/domain/x.ts.
  moduleNameMapper: {
    '^#(domain|adapters|api|steps)/(.*)\\.js$': '<rootDir>/functions/$1/$2',
    '^#infra/(.*)\\.js$': '<rootDir>/infra/$1',
    '^#support/(.*)\\.js$': '<rootDir>/test/support/$1',
    '^#fixtures/(.*)\\.js$': '<rootDir>/test/fixtures/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }] },
};
export default {
  // A safety net sized for a loaded 2-core machine; no test asserts how fast anything is.
  testTimeout: 300_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'workflow', testMatch: ['<rootDir>/test/workflow/**/*.test.ts'] },
    // The local engine against what AWS does (`npm run conformance` prints the score).
    { ...base, displayName: 'conformance', testMatch: ['<rootDir>/test/conformance/**/*.test.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...base, displayName: 'data', testMatch: ['<rootDir>/test/data/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
};
