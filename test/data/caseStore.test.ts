import { randomBytes } from 'node:crypto';
/**
 * The data layer's contract (architecture.md "Data: event log first"), run with the same body against the two
 * DynamoDB stand-ins we rely on: dynalite (in memory, what the local stack runs) and DynamoDB Local (Amazon's own
 * emulator). A behaviour of CaseStore that holds on one and not the other is a defect of the store, not of a test.
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type AgencyTask, CaseStore, caseTableDefinition } from '#adapters/caseStore.js';
import type { Dossier } from '#domain/dossier.js';
import type { CaseEvent, NewEvent } from '#domain/events.js';
import { eventHash, GENESIS_HASH } from '#domain/hashChain.js';
import { startLocalDynamo } from '#infra/local/sfn/localDynamo.js';
import { demoDossier } from '#support/dossiers.js';
import { startDynamoDbLocal } from './dynamoDbLocal.js';

interface Backend {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const TABLE = 'lienthong-cases-contract';
const T0 = new Date('2026-11-23T02:00:00.000Z');
const officer = { id: 'local-hotich.badinh', role: 'civil-status-officer' as const, unit: '00004' };
let serial = 0;
/** Keeps ids of this run apart from an earlier run's on the same DynamoDB Local data. */
const RUN = randomBytes(4).toString('hex');
const newId = (what: string) => {
  serial += 1;
  return `${what}-${RUN}-${serial}`;
};

const filed = (caseId: string): NewEvent => ({
  actor: officer,
  key: 'file',
  data: {
    type: 'DOSSIER_FILED',
    dossier: demoDossier() as unknown as Dossier,
    dossierCode: `LT-00004-261123-${caseId.slice(-6).toUpperCase()}`,
    receivedAt: T0.toISOString(),
    executionName: caseId,
  },
});
const notification = (key: string): NewEvent => ({
  actor: { id: 'workflow', role: 'system' },
  key,
  data: { type: 'NOTIFICATION_SENT', channel: 'SMS', template: key },
});

const task = (over: Partial<AgencyTask>): AgencyTask => ({
  caseId: newId('case'),
  procedure: 'BIRTH',
  kind: 'DECISION',
  round: 1,
  agency: 'CIVIL_STATUS',
  unit: '00004',
  dueAt: '2026-11-25T10:00:00.000Z',
  dossierCode: 'LT-00004-261123-AAAAAA',
  overdue: false,
  openedAt: T0.toISOString(),
  ...over,
});

/** GSI reads are eventually consistent on AWS: poll until the index shows what the base table holds. */
const eventually = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> => {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v) || performance.now() > until) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
};

const startDynalite = async (): Promise<Backend> => {
  const d = await startLocalDynamo({ host: '127.0.0.1', port: 0 });
  return { endpoint: d.endpoint, client: d.client, stop: d.close };
};

describe.each([
  ['dynalite', startDynalite],
  ['DynamoDB Local', startDynamoDbLocal],
] as const)('Contract: CaseStore on %s', (_name, start) => {
  let backend: Backend | undefined;
  let store: CaseStore;

  beforeAll(async () => {
    backend = await start();
    await backend.client.send(new CreateTableCommand(caseTableDefinition(TABLE)));
    const doc = DynamoDBDocumentClient.from(backend.client, { marshallOptions: { removeUndefinedValues: true } });
    store = new CaseStore(doc, TABLE);
  }, 300_000);

  afterAll(async () => {
    await backend?.stop();
  });

  const newCase = async () => {
    const caseId = newId('case');
    await store.createCase(caseId, filed(caseId), T0);
    return caseId;
  };

  it('creates the table from caseTableDefinition: PK/SK keys and the GSI1 index, all active', async () => {
    // act
    const t = (await backend!.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table!;
    // assess
    expect(t.TableStatus).toBe('ACTIVE');
    expect(t.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(
      t.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection?.ProjectionType, i.IndexStatus]),
    ).toEqual([
      [
        'GSI1',
        [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' },
          { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
        ],
        'ALL',
        'ACTIVE',
      ],
    ]);
  });

  it('appendOnce writes an event once per key and returns the recorded event on a second call', async () => {
    // prepare
    const caseId = await newCase();
    const first = await store.appendOnce(caseId, 'notify:appointment', () => notification('notify:appointment'), T0);
    const build = jest.fn(() => notification('notify:appointment'));
    // act
    const again = await store.appendOnce(caseId, 'notify:appointment', build, new Date(T0.getTime() + 60_000));
    // assess
    expect(first?.written).toBe(true);
    expect(again?.written).toBe(false);
    expect(again?.event).toEqual(first?.event);
    expect(build).not.toHaveBeenCalled();
    const events = await store.loadEvents(caseId);
    expect(events.map((e) => e.key)).toEqual(['file', 'notify:appointment']);
  });

  it('refuses a second first event: createCase on an existing case is a write conflict', async () => {
    // prepare
    const caseId = await newCase();
    // act
    const again = store.createCase(caseId, { ...filed(caseId), key: 'file-again' }, T0);
    // assess
    await expect(again).rejects.toMatchObject({ name: 'Case.WriteConflict' });
    expect(await store.loadEvents(caseId)).toHaveLength(1);
  });

  it('links the hash chain: prevHash of event n is the hash of event n-1, and each hash covers its event', async () => {
    // prepare
    const caseId = await newCase();
    // act
    for (const k of ['a', 'b', 'c', 'd']) await store.appendOnce(caseId, k, () => notification(k), T0);
    const events = await store.loadEvents(caseId);
    // assess
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (const [i, e] of events.slice(1).entries()) expect(e.prevHash).toBe(events[i]!.hash);
    for (const { hash, ...rest } of events) expect(eventHash(rest)).toBe(hash);
  });

  it('lands every append of 10 concurrent writers with consecutive seqs and no loss (the seq is the optimistic lock)', async () => {
    // prepare
    const caseId = await newCase();
    const keys = Array.from({ length: 10 }, (_, i) => `writer-${i}`);
    // act
    const results = await Promise.allSettled(keys.map((k) => store.appendOnce(caseId, k, () => notification(k), T0)));
    const events = await store.loadEvents(caseId);
    // assess
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(
      events
        .slice(1)
        .map((e) => e.key)
        .sort(),
    ).toEqual([...keys].sort());
    for (const [i, e] of events.slice(1).entries()) expect(e.prevHash).toBe(events[i]!.hash);
    expect((await store.getState(caseId))?.version).toBe(11);
  });

  it('moves the STATE projection only forward: saving an older version is a no-op', async () => {
    // prepare
    const caseId = await newCase();
    for (const k of ['a', 'b']) await store.appendOnce(caseId, k, () => notification(k), T0);
    const current = (await store.getState(caseId))!;
    // act
    await store.saveState({ ...current, version: current.version - 1, status: 'REFUSED' });
    await store.saveState({ ...current, status: 'REFUSED' });
    const afterStale = await store.getState(caseId);
    await store.saveState({ ...current, version: current.version + 1, status: 'IN_PROGRESS' });
    const afterNewer = await store.getState(caseId);
    // assess
    expect(current.version).toBe(3);
    expect(afterStale).toEqual(current);
    expect(afterNewer).toMatchObject({ version: 4, status: 'IN_PROGRESS' });
  });

  it('lists tasks in the GSI1 queue by due time, only for their agency and unit, and drops a closed task', async () => {
    // prepare
    const unit = newId('unit');
    const late = task({ unit, dueAt: '2026-11-27T10:00:00.000Z' });
    const early = task({ unit, dueAt: '2026-11-24T10:00:00.000Z' });
    const middle = task({ unit, dueAt: '2026-11-25T10:00:00.000Z', procedure: 'RESIDENCE', agency: 'POLICE' });
    const other = task({ unit: `${unit}-other`, dueAt: '2026-11-20T10:00:00.000Z' });
    for (const t of [late, early, middle, other]) await store.putTask(t);
    const middleCivil = task({ ...middle, agency: 'CIVIL_STATUS', procedure: 'BIRTH', caseId: middle.caseId });
    await store.putTask(middleCivil);
    // act
    const queued = await eventually(
      () => store.queue('CIVIL_STATUS', unit),
      (q) => q.length === 3,
    );
    await store.closeTask(early.caseId, 'BIRTH', 1, 'DECISION');
    const afterClose = await eventually(
      () => store.queue('CIVIL_STATUS', unit),
      (q) => q.length === 2,
    );
    // assess
    expect(queued.map((t) => t.caseId)).toEqual([early.caseId, middleCivil.caseId, late.caseId]);
    expect(afterClose.map((t) => t.caseId)).toEqual([middleCivil.caseId, late.caseId]);
    expect(await store.getTask(early.caseId, 'BIRTH')).toBeUndefined();
  });

  it.each([
    ['an earlier round', { round: 1, kind: 'DECISION' as const }],
    ['the other kind of task', { round: 2, kind: 'SUPPLEMENT' as const }],
  ])('does nothing when a close is for %s (the task was re-opened since)', async (_what, close) => {
    // prepare
    const unit = newId('unit');
    const reopened = task({ unit, round: 2, kind: 'DECISION' });
    await store.putTask(reopened);
    // act
    await store.closeTask(reopened.caseId, 'BIRTH', close.round, close.kind);
    // assess
    expect(await store.getTask(reopened.caseId, 'BIRTH')).toEqual(reopened);
    expect(
      await eventually(
        () => store.queue('CIVIL_STATUS', unit),
        (q) => q.length === 1,
      ),
    ).toEqual([reopened]);
  });

  it('keeps the sealed callback token in an item of its own, outside the queue index, for its round and kind only', async () => {
    // prepare
    const unit = newId('unit');
    const t = task({ unit, round: 2, kind: 'SUPPLEMENT' });
    // act
    await store.putTask(t, 'sealed-token-2');
    const queued = await eventually(
      () => store.queue('CIVIL_STATUS', unit),
      (q) => q.length === 1,
    );
    const indexed = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': `QUEUE#CIVIL_STATUS#${unit}` },
      }),
    );
    const forRound = await store.getSealedToken(t.caseId, 'BIRTH', 2, 'SUPPLEMENT');
    const otherRound = await store.getSealedToken(t.caseId, 'BIRTH', 1, 'SUPPLEMENT');
    const otherKind = await store.getSealedToken(t.caseId, 'BIRTH', 2, 'DECISION');
    await store.closeTask(t.caseId, 'BIRTH', 2, 'SUPPLEMENT');
    // assess
    expect(queued).toEqual([t]);
    expect(JSON.stringify(indexed.Items)).not.toContain('sealed-token-2');
    expect([forRound, otherRound, otherKind]).toEqual(['sealed-token-2', undefined, undefined]);
    expect(await store.getSealedToken(t.caseId, 'BIRTH', 2, 'SUPPLEMENT')).toBeUndefined();
  });

  it('gives a uniqueness claim to the first case; the same case again is a no-op; only the holder releases it', async () => {
    // prepare
    const value = newId('01234.GCS.01821.26');
    // act
    const first = await store.claimUnique('BIRTH_CERT', value, 'case-a');
    const second = await store.claimUnique('BIRTH_CERT', value, 'case-b');
    const retry = await store.claimUnique('BIRTH_CERT', value, 'case-a');
    await store.releaseClaim('BIRTH_CERT', value, 'case-b');
    const afterForeignRelease = await store.holderOf('BIRTH_CERT', value);
    await store.releaseClaim('BIRTH_CERT', value, 'case-a');
    const afterRelease = await store.holderOf('BIRTH_CERT', value);
    const nextClaim = await store.claimUnique('BIRTH_CERT', value, 'case-b');
    // assess
    expect([first, second, retry]).toEqual([undefined, 'case-a', undefined]);
    expect(afterForeignRelease).toBe('case-a');
    expect(afterRelease).toBeUndefined();
    expect(nextClaim).toBeUndefined();
    expect(await store.holderOf('BIRTH_CERT', value)).toBe('case-b');
  });

  it('lets exactly one of 10 racing cases win a claim, and tells the others who holds it', async () => {
    // prepare
    const value = newId('001194');
    const cases = Array.from({ length: 10 }, (_, i) => `case-${i}`);
    // act
    const answers = await Promise.all(cases.map((c) => store.claimUnique('PERSONAL_ID', value, c)));
    // assess
    const holder = await store.holderOf('PERSONAL_ID', value);
    expect(answers.filter((a) => a === undefined)).toHaveLength(1);
    expect(cases[answers.indexOf(undefined)]).toBe(holder);
    expect(answers.filter((a) => a !== undefined)).toEqual(Array(9).fill(holder));
  });

  it('hands out consecutive counter values under concurrency', async () => {
    // prepare
    const name = newId('birth-register-00004-2026');
    // act
    const values = await Promise.all(Array.from({ length: 20 }, () => store.nextCounter(name)));
    // assess
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await store.nextCounter(name)).toBe(21);
  });

  it('keeps tracking codes unique and returns what was stored', async () => {
    // prepare
    const code = newId('LT-00004');
    await store.putTracking(code, 'case-a', 'ab'.repeat(32));
    // act
    const again = store.putTracking(code, 'case-b', 'cd'.repeat(32));
    // assess
    await expect(again).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await store.getTracking(code)).toEqual({ caseId: 'case-a', secretHash: 'ab'.repeat(32) });
    expect(await store.getTracking(`${code}-missing`)).toBeUndefined();
  });

  it('reads back more events than one query page holds', async () => {
    // prepare: ~1 MB per page on both stand-ins; 40 events of ~40 KB each cross it
    const caseId = await newCase();
    const big = 'x'.repeat(40_000);
    for (let i = 0; i < 40; i++) {
      const key = `view:${i}`;
      await store.appendOnce(
        caseId,
        key,
        () => ({ actor: officer, key, data: { type: 'CASE_VIEWED', purpose: big } }),
        T0,
      );
    }
    // act
    const events: CaseEvent[] = await store.loadEvents(caseId);
    // assess
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  }, 300_000);
});
