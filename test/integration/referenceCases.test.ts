/**
 * Every reference case (test/fixtures/referenceCases.ts) end to end on the local stack: filed at its own receipt
 * instant through the HTTP API, refused with the expected rules (and nothing written), or accepted and driven
 * through the whole workflow by the officers of its units, ending COMPLETED with the expected flags, deadlines and
 * card validity.
 */

import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CaseStore } from '#adapters/caseStore.js';
import type { Procedure, Role } from '#domain/procedures.js';
import { assessDossier } from '#domain/rules.js';
import { taskUnit } from '#domain/tasks.js';
import { referenceCases } from '#fixtures/referenceCases.js';
import { demoUsers } from '#infra/local/auth.js';
import type { VirtualTime } from '#infra/local/sfn/time.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, type CaseBody, eventually } from '#support/api.js';
import { MONDAY_0900_VIETNAM, pinnedTime } from '#support/time.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let store: CaseStore;
let time: VirtualTime;

const roleOf: Record<Procedure, Role> = {
  BIRTH: 'civil-status-officer',
  RESIDENCE: 'police-officer',
  HEALTH_INSURANCE: 'insurance-officer',
  ID_CARD: 'police-officer',
};

/** An officer of `role` in `unit` (seeded on the fly: the demo issuer only knows two communes). */
const officer = (role: Role, unit: string) => {
  const username = `ref.${role}.${unit}`;
  if (!demoUsers.some((u) => u.username === username))
    demoUsers.push({ username, name: username, role, unit, unitName: unit });
  return username;
};

beforeAll(async () => {
  time = pinnedTime();
  stack = await startLocalStack({ clock: time });
  api = apiClient(stack.apiUrl);
  const ddb = new DynamoDBClient({
    endpoint: stack.dynamoUrl,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  store = new CaseStore(DynamoDBDocumentClient.from(ddb), stack.tableName);
});
afterAll(async () => stack?.stop());

/** What a filing creates: cases, uniqueness claims, tracking codes (the workflows of earlier cases write events meanwhile). */
const itemCount = async () => {
  const ddb = new DynamoDBClient({
    endpoint: stack.dynamoUrl,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const r = await ddb.send(
    new ScanCommand({
      TableName: stack.tableName,
      Select: 'COUNT',
      FilterExpression: 'SK = :state OR begins_with(PK, :unique) OR begins_with(PK, :track) OR SK = :first',
      ExpressionAttributeValues: {
        ':state': { S: 'STATE' },
        ':unique': { S: 'UNIQUE#' },
        ':track': { S: 'TRACK#' },
        ':first': { S: 'EVENT#000000001' },
      },
    }),
  );
  return r.Count ?? 0;
};

describe('Reference cases end to end on the local stack (domain.md, docs/rules.md)', () => {
  const accepted: {
    name: string;
    caseId: string;
    rc: (typeof referenceCases)[number];
    units: Record<Procedure, string>;
  }[] = [];

  it('files every reference case at its receipt instant with the expected outcome', async () => {
    const failures: string[] = [];
    for (const rc of referenceCases) {
      // The case is received at its own moment (the stack's virtual time, as LIENTHONG_CLOCK=fixed:<instant> does).
      time.reset(rc.receivedAt);
      const assessed = assessDossier(rc.dossier, { receivedAt: new Date(rc.receivedAt) });
      const d = assessed.dossier;
      const filer = officer('civil-status-officer', d?.registrationCommuneCode ?? '00004');
      for (const k of rc.claimedKeys ?? []) await store.claimUnique(k.kind, k.value, 'ANOTHER-CASE');
      const before = await itemCount();
      const r = await api.call<{ caseId: string; error?: { issues: { rule: string }[] } }>('POST', '/applications', {
        as: filer,
        body: { dossier: rc.dossier },
      });
      if (rc.expected.outcome === 'rejected') {
        const rules = new Set((r.body.error?.issues ?? []).map((i) => i.rule));
        if (
          ![400, 409].includes(r.status) ||
          [...rules].sort().join() !== [...new Set(rc.expected.rules)].sort().join()
        ) {
          failures.push(`${rc.name}: expected ${rc.expected.rules.join(',')} got ${r.status} ${[...rules].join(',')}`);
        }
        if ((await itemCount()) !== before) failures.push(`${rc.name}: a refused filing wrote something`);
      } else if (r.status !== 201) {
        failures.push(`${rc.name}: expected 201, got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      } else {
        const units = Object.fromEntries(
          (['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD'] as Procedure[]).map((p) => [
            p,
            taskUnit(p, 'DECISION', d!).unit,
          ]),
        ) as Record<Procedure, string>;
        accepted.push({ name: rc.name, caseId: r.body.caseId, rc, units });
        // Each reference case stands alone: give back its uniqueness claims so the next case (same parents) files.
        for (const k of assessed.duplicateKeys) await store.releaseClaim(k.kind, k.value, r.body.caseId);
      }
      for (const k of rc.claimedKeys ?? []) await store.releaseClaim(k.kind, k.value, 'ANOTHER-CASE');
    }
    time.reset(MONDAY_0900_VIETNAM);
    expect(failures).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(20);
  }, 300_000);

  it('drives every accepted case to COMPLETED with its flags, deadlines and card validity', async () => {
    const results = await Promise.all(
      accepted.map(async ({ name, caseId, rc, units }) => {
        let last = '';
        const done = await eventually(
          async () => {
            const c = (await api.getCase(caseId)).body as CaseBody & {
              deadlines?: { countedFrom: string; birth: string };
              lateRegistration?: boolean;
            };
            last = `${c.status} ${JSON.stringify(Object.fromEntries(Object.entries(c.procedures ?? {}).map(([p, s]) => [p, s.status])))}`;
            if (['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED'].includes(c.status)) return c;
            for (const [p, s] of Object.entries(c.procedures)) {
              if (s.status === 'IN_REVIEW')
                await api.decide(caseId, p, 'APPROVED', officer(roleOf[p as Procedure], units[p as Procedure]));
            }
            return undefined;
          },
          120_000,
          `${name} to close`,
        ).catch((error: Error) => {
          throw new Error(`${error.message} (last seen: ${last})`);
        });
        const e = rc.expected.outcome === 'accepted' ? rc.expected : undefined;
        const problems: string[] = [];
        if (done.status !== 'COMPLETED') problems.push(`status ${done.status}`);
        if (e?.lateRegistration !== undefined && done.lateRegistration !== e.lateRegistration)
          problems.push('lateRegistration');
        if (e?.idCardBranch !== undefined && (done.procedures.ID_CARD!.status !== 'NOT_REQUESTED') !== e.idCardBranch)
          problems.push('idCardBranch');
        if (e?.countedFrom && done.deadlines?.countedFrom !== e.countedFrom)
          problems.push(`countedFrom ${done.deadlines?.countedFrom}`);
        if (e?.birthDueAt && new Date(done.deadlines!.birth).getTime() !== new Date(e.birthDueAt).getTime())
          problems.push(`birth due ${done.deadlines?.birth}`);
        if (e?.cardValidUntil && done.procedures.HEALTH_INSURANCE!.result!.validUntil !== e.cardValidUntil)
          problems.push('card validity');
        return problems.length ? `${name}: ${problems.join('; ')}` : undefined;
      }),
    );
    expect(results.filter(Boolean)).toEqual([]);
  }, 300_000);
});
