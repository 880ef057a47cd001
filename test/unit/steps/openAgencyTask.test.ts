/**
 * Step openAgencyTask, isolated: DynamoDB, Step Functions and KMS are mocked at the SDK boundary. Nobody is asked
 * twice: an answer already recorded is re-sent at once, and one that lands while the task is being published is too.
 * The callback token reaches the table only sealed by KMS, in an item of its own that no index projects.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { configure, loadConfig } from '#adapters/config.js';
import type { Dossier } from '#domain/dossier.js';
import type { CaseEvent, EventData } from '#domain/events.js';
import { handler } from '#steps/openAgencyTask.js';
import { demoDossier } from '#support/dossiers.js';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const kms = mockClient(KMSClient);
const TOKEN_KEY_ARN = 'arn:aws:kms:ap-southeast-1:000000000000:key/token-key';
const FILED_AT = '2026-11-23T02:00:00.000Z';

beforeAll(() => {
  configure(
    loadConfig({
      TABLE_NAME: 'lienthong-cases',
      CHAIN_ANCHOR: 'memory',
      STATE_MACHINE_ARN: 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:lienthong-birth-bundle',
      TOKEN_KEY_ARN,
    }),
  );
});
beforeEach(() => {
  ddb.on(PutCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
  kms.on(EncryptCommand).resolves({ CiphertextBlob: Buffer.from('ciphertext-of-the-token') });
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
  kms.reset();
});

/** A case log as the store returns it (hashes are not checked here). */
const log = (...data: [string, EventData][]): CaseEvent[] =>
  data.map(([key, d], i) => ({
    caseId: 'case-1',
    seq: i + 1,
    at: FILED_AT,
    actor: { id: 'workflow', role: 'system' },
    key,
    data: d,
    prevHash: String(i).repeat(64),
    hash: String(i + 1).repeat(64),
  }));
const filed = (dossier = demoDossier({ residence: { address: { communeCode: '00004' } } })): [string, EventData] => [
  'file',
  {
    type: 'DOSSIER_FILED',
    dossier: dossier as unknown as Dossier,
    dossierCode: 'LT-00004-261123-AAAAAA',
    receivedAt: FILED_AT,
    executionName: 'case-1',
  },
];
const opened: [string, EventData] = [
  'task:BIRTH:DECISION:1',
  {
    type: 'TASK_OPENED',
    procedure: 'BIRTH',
    kind: 'DECISION',
    round: 1,
    dueAt: '2026-11-25T10:00:00.000Z',
    queue: 'QUEUE#CIVIL_STATUS#00004',
  },
];
const decided: [string, EventData] = [
  'decision:BIRTH:1',
  { type: 'DECISION_RECORDED', procedure: 'BIRTH', round: 1, decision: 'APPROVED' },
];
const items = (events: CaseEvent[]) => ({ Items: events.map((event) => ({ event })) });
const input = {
  caseId: 'case-1',
  procedure: 'BIRTH' as const,
  kind: 'DECISION' as const,
  round: 1,
  taskToken: 'token-new',
};
const taskPuts = () => ddb.commandCalls(PutCommand).filter((c) => String(c.args[0].input.Item?.SK).startsWith('TASK#'));
const tokenPuts = () =>
  ddb.commandCalls(PutCommand).filter((c) => String(c.args[0].input.Item?.SK).startsWith('TASKTOKEN#'));
const eventPuts = () =>
  ddb.commandCalls(PutCommand).filter((c) => String(c.args[0].input.Item?.SK).startsWith('EVENT#'));

describe('Function: openAgencyTask handler', () => {
  it("records TASK_OPENED and puts the task in the deciding unit's queue, its callback token sealed apart", async () => {
    // prepare
    ddb.on(QueryCommand).resolves(items(log(filed())));
    // act
    const r = await handler(input);
    // assess
    expect(r).toEqual({ opened: true });
    expect(eventPuts().map((c) => c.args[0].input.Item?.event.data)).toEqual([
      expect.objectContaining({
        type: 'TASK_OPENED',
        procedure: 'BIRTH',
        kind: 'DECISION',
        round: 1,
        queue: 'QUEUE#CIVIL_STATUS#00004',
      }),
    ]);
    const [put] = taskPuts();
    expect(put!.args[0].input.Item).toMatchObject({
      PK: 'CASE#case-1',
      SK: 'TASK#BIRTH',
      GSI1PK: 'QUEUE#CIVIL_STATUS#00004',
      task: { round: 1, agency: 'CIVIL_STATUS', unit: '00004', overdue: false },
    });
    expect(String(put!.args[0].input.Item?.GSI1SK)).toMatch(/^2026-.*#case-1$/);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    // The token: sealed by KMS under the token key, bound to this task, in an item with no index keys.
    expect(kms.commandCalls(EncryptCommand).map((c) => c.args[0].input)).toEqual([
      {
        KeyId: TOKEN_KEY_ARN,
        Plaintext: Buffer.from('token-new'),
        EncryptionContext: { caseId: 'case-1', procedure: 'BIRTH', kind: 'DECISION', round: '1' },
      },
    ]);
    expect(tokenPuts().map((c) => c.args[0].input.Item)).toEqual([
      {
        PK: 'CASE#case-1',
        SK: 'TASKTOKEN#BIRTH',
        round: 1,
        kind: 'DECISION',
        sealedToken: `kms:${Buffer.from('ciphertext-of-the-token').toString('base64')}`,
      },
    ]);
    expect(JSON.stringify(ddb.commandCalls(PutCommand).map((c) => c.args[0].input))).not.toContain('token-new');
  });

  it.each([
    ['the police of the residence commune', 'RESIDENCE', 'QUEUE#POLICE#26743'],
    ['the provincial social security', 'HEALTH_INSURANCE', 'QUEUE#SOCIAL_SECURITY#79'],
  ] as const)('queues the task for %s', async (_who, procedure, queue) => {
    // prepare
    const dossier = demoDossier({ residence: { address: { provinceCode: '79', communeCode: '26743', detail: 'x' } } });
    ddb.on(QueryCommand).resolves(items(log(filed(dossier))));
    // act
    await handler({ ...input, procedure });
    // assess
    expect(taskPuts()[0]!.args[0].input.Item?.GSI1PK).toBe(queue);
  });

  it('re-sends a decision already recorded (a re-drive) and opens no task', async () => {
    // prepare
    ddb.on(QueryCommand).resolves(items(log(filed(), opened, decided)));
    // act
    const r = await handler(input);
    // assess
    expect(r).toEqual({ answered: true });
    expect(eventPuts()).toHaveLength(0);
    expect(taskPuts()).toHaveLength(0);
    expect(
      sfn
        .commandCalls(SendTaskSuccessCommand)
        .map((c) => [c.args[0].input.taskToken, JSON.parse(c.args[0].input.output!)]),
    ).toEqual([['token-new', { round: 1, decision: 'APPROVED', recorded: { seq: 3, hash: '3'.repeat(64) } }]]);
  });

  it('answers at once and closes the task when the decision lands while the task is being published', async () => {
    // prepare
    ddb
      .on(QueryCommand)
      .resolvesOnce(items(log(filed())))
      .resolves(items(log(filed(), opened, decided)));
    // act
    const r = await handler(input);
    // assess
    expect(r).toEqual({ answered: true });
    expect(taskPuts()).toHaveLength(1);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('token-new');
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input).toMatchObject({
      Key: { PK: 'CASE#case-1', SK: 'TASK#BIRTH' },
      ExpressionAttributeValues: { ':r': 1, ':k': 'DECISION' },
    });
  });

  it('does not fail the step when the re-sent answer finds the token already gone', async () => {
    // prepare
    ddb.on(QueryCommand).resolves(items(log(filed(), opened, decided)));
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ $metadata: {}, message: 'gone' }));
    // act / assess
    await expect(handler(input)).resolves.toEqual({ answered: true });
  });

  it('marks a re-opened task overdue when its round was escalated', async () => {
    // prepare
    const escalated: [string, EventData] = [
      'escalate:BIRTH:1:2026-11-26',
      { type: 'ESCALATED', procedure: 'BIRTH', round: 1, day: '2026-11-26', dueAt: '2026-11-25T10:00:00.000Z' },
    ];
    ddb.on(QueryCommand).resolves(items(log(filed(), escalated)));
    // act
    await handler(input);
    // assess
    expect(taskPuts()[0]!.args[0].input.Item?.task).toMatchObject({ overdue: true });
  });

  it('fails loudly on a case that does not exist (no DOSSIER_FILED)', async () => {
    // prepare
    ddb.on(QueryCommand).resolves({ Items: [] });
    // act / assess
    await expect(handler(input)).rejects.toThrow();
    expect(taskPuts()).toHaveLength(0);
  });

  it('retries the seq when another branch appended first, and still opens one task', async () => {
    // prepare
    const other: [string, EventData] = [
      'notify:appointment',
      { type: 'NOTIFICATION_SENT', channel: 'SMS', template: 'APPOINTMENT' },
    ];
    ddb
      .on(QueryCommand)
      .resolvesOnce(items(log(filed())))
      .resolves(items(log(filed(), other)));
    ddb
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ $metadata: {}, message: 'taken' }))
      .resolves({});
    // act
    const r = await handler(input);
    // assess
    expect(r).toEqual({ opened: true });
    expect(eventPuts().map((c) => c.args[0].input.Item?.SK)).toEqual(['EVENT#000000002', 'EVENT#000000003']);
    expect(taskPuts()).toHaveLength(1);
  });
});
