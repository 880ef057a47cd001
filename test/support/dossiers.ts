import { randomInt } from 'node:crypto';
/** Valid dossiers for tests and the bench, built from the README's example, each one a different child. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deepMerge } from '#domain/eventLog.js';

const example = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../docs/examples/dossier.json', import.meta.url)), 'utf8'),
) as {
  requestId: string;
  dossier: Record<string, unknown>;
};

let counter = 0;
/** A random start, so dossiers of one run differ from another run's on the same data (e.g. a kept `.data`). */
const run = randomInt(100000);

/** A fresh, valid dossier for the demo commune Ba Đình; `patch` is deep-merged in. */
export const demoDossier = (patch: Record<string, unknown> = {}) => {
  counter += 1;
  const n = (run * 7 + counter) % 100000;
  const serial = String(n).padStart(5, '0');
  const motherSuffix = String((run * 13 + counter * 7919) % 1000000).padStart(6, '0');
  const base = deepMerge(example.dossier, {
    birthCertificate: { number: `${serial}.GCS.01821.26` },
    mother: { personalId: `001194${motherSuffix}` },
  });
  // A deep copy: callers may change it without touching the example (or each other's dossiers).
  return structuredClone(deepMerge(base, patch)) as Record<string, unknown>;
};
