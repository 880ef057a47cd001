/**
 * Issue 9, findings 4, 5 and 8: the record proves itself. Eleven kinds of direct edit in the table, each on four
 * completed cases, are all caught by both verify paths (`npm run audit -- verify` in its own process, and
 * `GET /audit/cases/{id}/verify`); reads go to the access log and never into the case's chain; every archived history
 * event is covered by a digest that verify checks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifyCase } from '#adapters/caseVerification.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { projectCase } from '#domain/caseState.js';
import type { CaseEvent } from '#domain/events.js';
import { eventHash } from '#domain/hashChain.js';
import { repoRoot } from '#infra/local/stack.js';
import { waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { type Outcome, startAuditStack } from './auditSupport.js';

const run = promisify(execFile);
const OUTCOMES: Outcome[] = ['approveAll', 'birthRefused', 'residenceRefused', 'supplementThenApproved'];
const anchorDir = mkdtempSync(join(tmpdir(), 'lienthong-anchor-'));
const anchorFile = join(anchorDir, 'chain-anchors.jsonl');

let env: Awaited<ReturnType<typeof startAuditStack>>;
const cases = {} as Record<Outcome, string>;
const deps = () => ({ caseStore: caseStore(), auditStore: auditStore() });

beforeAll(async () => {
  env = await startAuditStack({ anchorFile });
  for (const o of OUTCOMES) cases[o] = await env.runCase(o);
}, 300_000);

afterAll(async () => {
  await env?.stop();
  rmSync(anchorDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// Direct access to the table, as someone with write access to it (not through the application)

type Item = Record<string, unknown> & { PK: string; SK: string };
const table = () => env.stack.tableName;
const doc = () => caseStore().doc;
const pad9 = (n: number) => String(n).padStart(9, '0');
const eventKey = (caseId: string, seq: number) => ({ PK: `CASE#${caseId}`, SK: `EVENT#${pad9(seq)}` });

const itemsOf = async (caseId: string): Promise<Item[]> => {
  const out: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...((r.Items ?? []) as Item[]));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Puts the case's partition back exactly as it was (the anchor is not touched: nobody can). */
const restore = async (caseId: string, snapshot: Item[]) => {
  const was = new Map(snapshot.map((i) => [i.SK, i]));
  const now = await itemsOf(caseId);
  for (const i of now.filter((x) => !was.has(x.SK)))
    await doc().send(new DeleteCommand({ TableName: table(), Key: { PK: i.PK, SK: i.SK } }));
  const current = new Map(now.map((i) => [i.SK, JSON.stringify(i)]));
  for (const i of snapshot.filter((x) => current.get(x.SK) !== JSON.stringify(x)))
    await doc().send(new PutCommand({ TableName: table(), Item: i }));
};

const putEvent = (e: CaseEvent) =>
  doc().send(
    new PutCommand({ TableName: table(), Item: { ...eventKey(e.caseId, e.seq), type: e.data.type, event: e } }),
  );
const deleteEvent = (caseId: string, seq: number) =>
  doc().send(new DeleteCommand({ TableName: table(), Key: eventKey(caseId, seq) }));
const putState = (caseId: string, events: CaseEvent[]) => {
  const state = projectCase(events);
  return doc().send(
    new UpdateCommand({
      TableName: table(),
      Key: { PK: `CASE#${caseId}`, SK: 'STATE' },
      UpdateExpression: 'SET #s = :s, #v = :v',
      ExpressionAttributeNames: { '#s': 'state', '#v': 'version' },
      ExpressionAttributeValues: { ':s': state, ':v': state.version },
    }),
  );
};
const historyItems = async (caseId: string) =>
  (await itemsOf(caseId)).filter((i) => i.SK.startsWith(`HISTORY#${caseId}#`));
const firstDecision = (events: CaseEvent[]) => events.findIndex((e) => e.data.type === 'DECISION_RECORDED');
const flipped = (e: CaseEvent): CaseEvent => {
  const d = e.data as { decision: string };
  return {
    ...e,
    data: { ...e.data, decision: d.decision === 'APPROVED' ? 'REFUSED' : 'APPROVED' } as CaseEvent['data'],
  };
};

/** The eleven kinds of edit of issue 9 finding 4, made directly in the table. */
const TAMPER_KINDS: Record<string, (caseId: string, events: CaseEvent[]) => Promise<unknown>> = {
  'edit a decision without re-hashing': (_c, events) => putEvent(flipped(events[firstDecision(events)]!)),
  "edit the child's name without re-hashing": (caseId) =>
    doc().send(
      new UpdateCommand({
        TableName: table(),
        Key: eventKey(caseId, 1),
        UpdateExpression: 'SET #e.#d.#o.#c.#g = :g',
        ExpressionAttributeNames: { '#e': 'event', '#d': 'data', '#o': 'dossier', '#c': 'child', '#g': 'givenName' },
        ExpressionAttributeValues: { ':g': 'Giả Mạo' },
      }),
    ),
  'delete a middle event': (caseId, events) => deleteEvent(caseId, Math.floor(events.length / 2)),
  'delete the last event': (caseId, events) => deleteEvent(caseId, events.length),
  'swap two adjacent payloads': async (_c, events) => {
    const k = Math.floor(events.length / 2);
    const [a, b] = [events[k - 1]!, events[k]!];
    await putEvent({ ...a, data: b.data });
    await putEvent({ ...b, data: a.data });
  },
  'reorder two events, sequence numbers renumbered': async (_c, events) => {
    const k = Math.floor(events.length / 2);
    const [a, b] = [events[k - 1]!, events[k]!];
    await putEvent({ ...b, seq: a.seq });
    await putEvent({ ...a, seq: b.seq });
  },
  'edit only the state projection (personal ID, procedure status)': async (caseId) => {
    const r = await doc().send(new GetCommand({ TableName: table(), Key: { PK: `CASE#${caseId}`, SK: 'STATE' } }));
    const item = r.Item as Item & { state: ReturnType<typeof projectCase> };
    const birth = item.state.procedures.BIRTH;
    birth.result = { ...(birth.result ?? {}), personalIdNumber: '001226099999' };
    const residence = item.state.procedures.RESIDENCE;
    residence.status = residence.status === 'COMPLETED' ? 'REFUSED' : 'COMPLETED';
    await doc().send(new PutCommand({ TableName: table(), Item: item }));
  },
  'edit an event and re-hash every later one': async (caseId, events) => {
    const from = firstDecision(events);
    const rewritten = [...events.slice(0, from), flipped(events[from]!), ...events.slice(from + 1)];
    for (let i = from; i < rewritten.length; i++) {
      const { hash: _h, ...rest } = { ...rewritten[i]!, prevHash: rewritten[i - 1]!.hash };
      rewritten[i] = { ...rest, hash: eventHash(rest) };
      await putEvent(rewritten[i]!);
    }
    await putState(caseId, rewritten);
  },
  "delete the last event and lower the projection's version": async (caseId, events) => {
    await deleteEvent(caseId, events.length);
    await putState(caseId, events.slice(0, -1));
  },
  'edit an archived history event': async (caseId) => {
    const answer = (await historyItems(caseId)).find((i) => (i.event as { type: string }).type === 'TaskSucceeded')!;
    await doc().send(
      new UpdateCommand({
        TableName: table(),
        Key: { PK: answer.PK, SK: answer.SK },
        UpdateExpression: 'SET #e.#d.#o = :o',
        ExpressionAttributeNames: { '#e': 'event', '#d': 'taskSucceededEventDetails', '#o': 'output' },
        ExpressionAttributeValues: { ':o': JSON.stringify({ forged: true }) },
      }),
    );
  },
  'delete an archived history event': async (caseId) => {
    const items = await historyItems(caseId);
    const middle = items[Math.floor(items.length / 2)]!;
    await doc().send(new DeleteCommand({ TableName: table(), Key: { PK: middle.PK, SK: middle.SK } }));
  },
};

/** `npm run audit -- verify` in its own process, against the stack's table and the anchor file. */
const verifyByCli = async (caseIds: string[]): Promise<Record<string, boolean>> => {
  const args = ['scripts/audit.ts', 'verify', ...caseIds.flatMap((c) => ['--case', c])];
  args.push('--endpoint', env.stack.dynamoUrl, '--table', table(), '--anchor', `file:${anchorFile}`, '--quiet');
  const r = await run(join(repoRoot, 'node_modules/.bin/node'), ['--import', 'tsx', ...args], { cwd: repoRoot }).catch(
    (err: { stdout: string }) => err,
  );
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return Object.fromEntries(
    lines.map((l) => JSON.parse(l) as { caseId: string; verified: boolean }).map((v) => [v.caseId, v.verified]),
  );
};

const verifyByApi = async (caseId: string) =>
  (await env.api.call<{ verified: boolean }>('GET', `/audit/cases/${caseId}/verify`, { as: 'kiemtra' })).body.verified;

describe('Finding 4: tamper detection (11 kinds x 4 completed cases, both verify paths)', () => {
  it('verifies the four untouched cases on both paths', async () => {
    // act
    const cli = await verifyByCli(OUTCOMES.map((o) => cases[o]));
    const api = await Promise.all(OUTCOMES.map((o) => verifyByApi(cases[o])));
    // assess
    expect(OUTCOMES.map((o) => cli[cases[o]])).toEqual([true, true, true, true]);
    expect(api).toEqual([true, true, true, true]);
  }, 300_000);

  it('detects 44/44 edits made directly in the table, by `npm run audit -- verify` and by GET /audit/cases/{id}/verify', async () => {
    // prepare
    const detected: Record<string, { cli: boolean[]; api: boolean[] }> = {};
    for (const [kind, tamper] of Object.entries(TAMPER_KINDS)) {
      const snapshots = new Map<string, Item[]>();
      for (const o of OUTCOMES) {
        const caseId = cases[o];
        snapshots.set(caseId, await itemsOf(caseId));
        // act
        await tamper(caseId, await caseStore().loadEvents(caseId));
      }
      const cli = await verifyByCli(OUTCOMES.map((o) => cases[o]));
      const api = [];
      for (const o of OUTCOMES) api.push(await verifyByApi(cases[o]));
      detected[kind] = { cli: OUTCOMES.map((o) => cli[cases[o]] === false), api: api.map((v) => v === false) };
      for (const o of OUTCOMES) {
        await restore(cases[o], snapshots.get(cases[o])!);
        expect((await verifyCase(cases[o], deps())).verified).toBe(true);
      }
    }
    // assess
    const count = (path: 'cli' | 'api') =>
      Object.values(detected).reduce((n, d) => n + d[path].filter(Boolean).length, 0);
    expect(Object.keys(detected)).toHaveLength(11);
    expect(detected).toEqual(
      Object.fromEntries(
        Object.keys(TAMPER_KINDS).map((k) => [k, { cli: [true, true, true, true], api: [true, true, true, true] }]),
      ),
    );
    expect([count('cli'), count('api')]).toEqual([44, 44]);
  }, 900_000);
});

describe('Finding 5: reads go to the access log, never into the case chain', () => {
  it("leaves the case's events untouched by 200 parent polls and 20 officer reads, and logs each read in the access log", async () => {
    // prepare
    const filed = await env.api.file(demoDossier());
    const { caseId, dossierCode, trackingSecret } = filed.body;
    await waitForTask(env.api, caseId, 'BIRTH');
    const before = await caseStore().loadEvents(caseId);
    // act
    for (let i = 0; i < 20; i++) {
      const polls = Array.from({ length: 10 }, () =>
        env.api.call('GET', `/tracking/${dossierCode}`, { headers: { 'x-tracking-secret': trackingSecret } }),
      );
      const statuses = (await Promise.all([...polls, env.api.getCase(caseId, 'hotich.badinh')])).map((r) => r.status);
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    const after = await caseStore().loadEvents(caseId);
    const access = await env.api.call<{ access: { seq: number; purpose: string; actor: { role: string } }[] }>(
      'GET',
      `/audit/cases/${caseId}/access`,
      { as: 'kiemtra' },
    );
    const v = await verifyCase(caseId, deps());
    // assess
    expect(after).toEqual(before);
    const purposes = access.body.access.map((a) => a.purpose);
    expect(purposes.filter((p) => p === 'tracking.read')).toHaveLength(200);
    expect(purposes.filter((p) => p === 'case.read')).toHaveLength(20);
    expect(access.body.access.map((a) => a.seq)).toEqual(access.body.access.map((_, i) => i + 1));
    expect(v.access).toMatchObject({ verified: true, entries: 221 });
    expect(v.verified).toBe(true);
  }, 300_000);

  it('still names a deleted last event after later reads of the case (no read takes its seq)', async () => {
    // prepare
    const caseId = cases.birthRefused;
    const snapshot = await itemsOf(caseId);
    const events = await caseStore().loadEvents(caseId);
    await deleteEvent(caseId, events.length);
    // act
    await env.api.getCase(caseId, 'hotich.badinh');
    await env.api.call('GET', `/audit/cases/${caseId}/timeline`, { as: 'kiemtra' });
    const v = await env.api.call<{
      verified: boolean;
      chain: { events: number; problem?: { kind: string; seq: number } };
    }>('GET', `/audit/cases/${caseId}/verify`, { as: 'kiemtra' });
    await restore(caseId, snapshot);
    // assess
    expect(v.body.verified).toBe(false);
    expect(v.body.chain.events).toBe(events.length - 1);
    expect(v.body.chain.problem).toMatchObject({ kind: 'MISSING_TAIL', seq: events.length });
  });
});

describe('Finding 8: every archived history event is covered by a digest verify checks', () => {
  it.each([
    ['an archived event beyond the pinned count', (caseId: string) => `HISTORY#${caseId}#`],
    ['an archived history of an execution no HISTORY_ARCHIVED pins', () => 'HISTORY#ghost-execution#'],
  ])('detects %s', async (_what, prefix) => {
    // prepare
    const caseId = cases.residenceRefused;
    const snapshot = await itemsOf(caseId);
    const last = (await historyItems(caseId)).at(-1)!;
    const event = last.event as { id: number };
    // act
    await doc().send(
      new PutCommand({
        TableName: table(),
        Item: {
          PK: `CASE#${caseId}`,
          SK: `${prefix(caseId)}${String(event.id + 1).padStart(6, '0')}`,
          event: { ...event, id: event.id + 1 },
        },
      }),
    );
    const inProcess = await verifyCase(caseId, deps());
    const api = await verifyByApi(caseId);
    await restore(caseId, snapshot);
    // assess
    expect(inProcess.verified).toBe(false);
    expect(inProcess.problem).toContain('outside every digest');
    expect(api).toBe(false);
  });
});
