/**
 * The auditor reads everything and changes nothing: every write route of infra/handlers.ts answers an auditor 403,
 * and the table is byte for byte the same afterwards. Routes without a JWT (the parent's, authorised by the dossier
 * secret) and the audit group (read-only, POST /replay computes) are not write routes for a role to be refused.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { caseStore } from '#adapters/store.js';
import { apiHandlers } from '#infra/handlers.js';
import { demoDossier } from '#support/dossiers.js';
import { startAuditStack } from './auditSupport.js';

let env: Awaited<ReturnType<typeof startAuditStack>>;
let caseId: string;

const writeRoutes = apiHandlers
  .filter((g) => g.name !== 'audit')
  .flatMap((g) =>
    g.routes.filter((r) => r.method !== 'GET' && r.auth).map((r) => ({ method: r.method, path: r.path })),
  );

const bodies: Record<string, unknown> = {
  '/applications': { dossier: demoDossier() },
  '/cases/{caseId}/decisions': { procedure: 'BIRTH', decision: 'APPROVED' },
  '/cases/{caseId}/supplements': { procedure: 'BIRTH', note: 'Bổ sung' },
};

const snapshot = async () => {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await caseStore().doc.send(
      new ScanCommand({ TableName: env.stack.tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items.map((i) => JSON.stringify(i)).sort());
};

beforeAll(async () => {
  env = await startAuditStack();
  caseId = await env.runCase('birthRefused');
}, 300_000);

afterAll(async () => {
  await env?.stop();
});

describe('Scopes: the auditor role is read-only', () => {
  it('finds the write routes to try (the manifest has not lost them)', () => {
    expect(writeRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /applications',
        'POST /cases/{caseId}/decisions',
        'POST /cases/{caseId}/supplements',
      ]),
    );
  });

  it('answers 403 to an auditor on every write route, and nothing is written', async () => {
    // prepare
    const before = await snapshot();
    // act
    const statuses: Record<string, number> = {};
    for (const r of writeRoutes) {
      const res = await env.api.call(r.method, r.path.replace('{caseId}', caseId), {
        as: 'kiemtra',
        body: bodies[r.path] ?? {},
      });
      statuses[`${r.method} ${r.path}`] = res.status;
    }
    const after = await snapshot();
    // assess
    expect(Object.values(statuses).every((s) => s === 403)).toBe(true);
    expect(statuses).toEqual(Object.fromEntries(writeRoutes.map((r) => [`${r.method} ${r.path}`, 403])));
    expect(after).toBe(before);
  });
});
