/**
 * CaseStore's error paths, isolated with aws-sdk-client-mock: the conditional failures it turns into "nothing to do"
 * and the ones it must not swallow. The happy paths run against real stand-ins in test/data/caseStore.test.ts.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { CaseStore } from '#adapters/caseStore.js';
import { projectCase } from '#domain/caseState.js';
import type { Dossier } from '#domain/dossier.js';
import type { CaseEvent } from '#domain/events.js';
import { demoDossier } from '#support/dossiers.js';

const ddb = mockClient(DynamoDBDocumentClient);
const store = new CaseStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-southeast-1' })), 'cases');
const conditionFailed = () =>
  new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
const NOW = new Date('2026-11-23T02:00:00.000Z');

const filedEvent: CaseEvent = {
  caseId: 'case-1',
  seq: 1,
  at: NOW.toISOString(),
  actor: { id: 'officer', role: 'civil-status-officer', unit: '00004' },
  key: 'file',
  data: {
    type: 'DOSSIER_FILED',
    dossier: demoDossier() as unknown as Dossier,
    dossierCode: 'LT-00004-261123-AAAAAA',
    receivedAt: NOW.toISOString(),
    executionName: 'case-1',
  },
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};
const note = {
  actor: { id: 'workflow', role: 'system' as const },
  key: 'n',
  data: { type: 'NOTIFICATION_SENT' as const, channel: 'SMS', template: 'X' },
};

afterEach(() => {
  ddb.reset();
});

describe('Function: CaseStore.appendOnce', () => {
  it('reloads and retries when another writer took the seq, and writes the next one', async () => {
    // prepare
    const other: CaseEvent = {
      ...filedEvent,
      seq: 2,
      key: 'other',
      data: note.data,
      prevHash: filedEvent.hash,
      hash: 'b'.repeat(64),
    };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ event: filedEvent }] })
      .resolves({ Items: [{ event: filedEvent }, { event: other }] });
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    // act
    const r = await store.appendOnce('case-1', 'n', () => note, NOW);
    // assess
    expect(r?.event).toMatchObject({ seq: 3, prevHash: other.hash, key: 'n' });
    const eventPuts = ddb.commandCalls(PutCommand).filter((c) => String(c.args[0].input.Item?.SK).startsWith('EVENT#'));
    expect(eventPuts.map((c) => c.args[0].input.Item?.SK)).toEqual(['EVENT#000000002', 'EVENT#000000003']);
    expect(eventPuts.every((c) => c.args[0].input.ConditionExpression === 'attribute_not_exists(PK)')).toBe(true);
  });

  it('gives up with Case.WriteConflict (what the workflow retries) after a bounded number of lost races', async () => {
    // prepare
    ddb.on(QueryCommand).resolves({ Items: [{ event: filedEvent }] });
    ddb.on(PutCommand).rejects(conditionFailed());
    // act
    const appending = store.appendOnce('case-1', 'n', () => note, NOW);
    // assess
    await expect(appending).rejects.toMatchObject({ name: 'Case.WriteConflict' });
    const attempts = ddb.commandCalls(PutCommand).length;
    expect(attempts).toBeGreaterThan(1);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(attempts);
  }, 120_000);

  it('rethrows an error that is not a lost race, without retrying', async () => {
    // prepare
    const error = throttled();
    ddb.on(QueryCommand).resolves({ Items: [{ event: filedEvent }] });
    ddb.on(PutCommand).rejects(error);
    // act / assess
    await expect(store.appendOnce('case-1', 'n', () => note, NOW)).rejects.toBe(error);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('writes nothing when build returns undefined', async () => {
    // prepare
    ddb.on(QueryCommand).resolves({ Items: [{ event: filedEvent }] });
    // act
    const r = await store.appendOnce('case-1', 'n', () => undefined, NOW);
    // assess
    expect(r).toBeUndefined();
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('Function: CaseStore conditional writes', () => {
  const state = projectCase([filedEvent]);
  it.each([
    ['saveState', () => store.saveState(state), PutCommand],
    ['closeTask', () => store.closeTask('case-1', 'BIRTH', 1, 'DECISION'), DeleteCommand],
    ['markTaskOverdue', () => store.markTaskOverdue('case-1', 'BIRTH', 1), UpdateCommand],
    ['releaseClaim', () => store.releaseClaim('BIRTH_CERT', 'x', 'case-1'), DeleteCommand],
    ['confirmClaim', () => store.confirmClaim('BIRTH_CERT', 'x', 'case-1'), UpdateCommand],
    ['releaseRequest', () => store.releaseRequest('r', 'case-1'), DeleteCommand],
  ] as const)('%s treats a failed condition as "nothing to do"', async (_name, act, command) => {
    // prepare
    ddb.on(command as never).rejects(conditionFailed());
    // act / assess
    await expect(act()).resolves.toBeUndefined();
  });

  it.each([
    ['saveState', () => store.saveState(state), PutCommand],
    ['closeTask', () => store.closeTask('case-1', 'BIRTH', 1, 'DECISION'), DeleteCommand],
    ['markTaskOverdue', () => store.markTaskOverdue('case-1', 'BIRTH', 1), UpdateCommand],
    ['releaseClaim', () => store.releaseClaim('BIRTH_CERT', 'x', 'case-1'), DeleteCommand],
    ['claimUnique', () => store.claimUnique('BIRTH_CERT', 'x', 'case-1'), PutCommand],
    ['claimForFiling', () => store.claimForFiling('BIRTH_CERT', 'x', 'case-1', NOW), PutCommand],
    ['takeOverClaim', () => store.takeOverClaim('BIRTH_CERT', 'x', { caseId: 'case-0' }, 'case-1', NOW), PutCommand],
    ['confirmClaim', () => store.confirmClaim('BIRTH_CERT', 'x', 'case-1'), UpdateCommand],
    ['releaseRequest', () => store.releaseRequest('r', 'case-1'), DeleteCommand],
    ['ensureTracking', () => store.ensureTracking('LT-1', 'case-1', 'ab'), PutCommand],
    ['replaceTrackingSecret', () => store.replaceTrackingSecret('LT-1', 'case-1', 'ab'), PutCommand],
  ] as const)('%s rethrows any other error', async (_name, act, command) => {
    // prepare
    const error = throttled();
    ddb.on(command as never).rejects(error);
    // act / assess
    await expect(act()).rejects.toBe(error);
  });

  it.each([
    ['the holder', { Item: { caseId: 'case-0' } }, 'case-0'],
    ['"unknown" if the claim vanished in between (still not ours)', {}, 'unknown'],
  ])('claimUnique, when another case got there first, returns %s', async (_what, read, expected) => {
    // prepare
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves(read);
    // act / assess
    await expect(store.claimUnique('BIRTH_CERT', 'x', 'case-1')).resolves.toBe(expected);
  });

  it('claimForFiling, when another filing holds the key, returns the holder with its expiry (pending) or without (confirmed)', async () => {
    // prepare
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { caseId: 'case-0', pendingUntil: NOW.toISOString() } })
      .resolves({ Item: { caseId: 'case-0' } });
    // act / assess
    await expect(store.claimForFiling('BIRTH_CERT', 'x', 'case-1', NOW)).resolves.toEqual({
      caseId: 'case-0',
      pendingUntil: NOW.toISOString(),
    });
    await expect(store.claimForFiling('BIRTH_CERT', 'x', 'case-1', NOW)).resolves.toEqual({ caseId: 'case-0' });
  });

  it('claimForFiling never turns a confirmed claim back into a pending one (its condition keeps a confirmed holder)', async () => {
    // prepare
    ddb.on(PutCommand).resolves({});
    // act
    await store.claimForFiling('BIRTH_CERT', 'x', 'case-1', NOW);
    // assess
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(PK) OR (caseId = :c AND attribute_exists(pendingUntil))',
    );
  });

  it('takeOverClaim answers false when the stale claim changed in between', async () => {
    // prepare
    ddb.on(PutCommand).rejects(conditionFailed());
    // act / assess
    await expect(
      store.takeOverClaim('BIRTH_CERT', 'x', { caseId: 'case-0', pendingUntil: NOW.toISOString() }, 'case-1', NOW),
    ).resolves.toBe(false);
  });

  it('nextCounter returns the updated value as a number', async () => {
    // prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 42 } });
    // act / assess
    await expect(store.nextCounter('birth-register')).resolves.toBe(42);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      UpdateExpression: 'ADD #v :one',
      ReturnValues: 'UPDATED_NEW',
    });
  });
});
