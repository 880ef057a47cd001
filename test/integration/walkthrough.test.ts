/**
 * The README walk-through against the running local stack, through the real AWS SDK clients: one application filed,
 * the three officers approve, the case ends COMPLETED with every identifier; the Step Functions and DynamoDB
 * endpoints answer the SDK as AWS would.
 */

import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditStore } from '#adapters/store.js';
import { RESIDENCE_NOTICE_NUMBER } from '#domain/identifiers.js';
import { personalIdProblem } from '#domain/personalId.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { pinnedTime } from '#support/time.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ clock: pinnedTime() });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

describe('Walk-through: one application, three officers, one COMPLETED case', () => {
  let caseId = '';

  it('files the dossier and gives the family a code, a secret and the expected deadlines', async () => {
    const r = await api.file(demoDossier());
    expect(r.status).toBe(201);
    expect(r.body.dossierCode).toMatch(/^LT-00004-\d{6}-[0-9A-Z]{6}$/);
    expect(r.body.trackingSecret).toHaveLength(10);
    caseId = r.body.caseId;
  });

  it('reaches COMPLETED with a birth registration number, a valid personal ID, a residence notice and a card', async () => {
    await waitForTask(api, caseId, 'BIRTH');
    expect((await api.decide(caseId, 'BIRTH', 'APPROVED', 'hotich.badinh')).status).toBe(202);
    for (const [procedure, who] of [
      ['RESIDENCE', 'congan.badinh'],
      ['HEALTH_INSURANCE', 'bhxh.hanoi'],
      ['ID_CARD', 'congan.badinh'],
    ] as const) {
      await waitForTask(api, caseId, procedure);
      expect((await api.decide(caseId, procedure, 'APPROVED', who)).status).toBe(202);
    }
    const done = await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    expect(done.status).toBe('COMPLETED');
    const birth = done.procedures.BIRTH!.result!;
    expect(birth.birthRegistrationNumber).toMatch(/^\d+\/2026\/KS-00004$/);
    expect(personalIdProblem(String(birth.personalIdNumber), '2026-11-20', 'MALE')).toBeUndefined();
    expect(done.procedures.RESIDENCE!.result!.noticeNumber).toMatch(RESIDENCE_NOTICE_NUMBER);
    expect(done.procedures.HEALTH_INSURANCE!.result!.cardNumber).toMatch(/^\d{10}$/);
    expect(done.procedures.HEALTH_INSURANCE!.result!.legacyCardCode).toMatch(/^TE101\d{10}$/);
  });

  it('answers a light status read with no personal data, and does not record it as an access', async () => {
    const views = async () => (await auditStore().loadAccess(caseId)).length;
    const before = await views();
    const first = await api.call<{ status: string; dossier?: unknown; procedures: Record<string, { status: string }> }>(
      'GET',
      `/cases/${caseId}/status`,
      { as: 'hotich.badinh' },
    );
    await api.call('GET', `/cases/${caseId}/status`, { as: 'hotich.badinh' });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('COMPLETED');
    expect(first.body.procedures.BIRTH!.status).toBe('COMPLETED');
    expect(first.body.dossier).toBeUndefined();
    expect(await views()).toBe(before);
    // A full read is recorded (in the case's access log).
    await api.call('GET', `/cases/${caseId}`, { as: 'hotich.badinh' });
    expect(await views()).toBe(before + 1);
  });

  it('shows the parent every result by dossier code and secret, and nothing without the secret', async () => {
    const filed = await api.file(demoDossier());
    const ok = await api.call<{ procedures: Record<string, { status: string }> }>(
      'GET',
      `/tracking/${filed.body.dossierCode}`,
      {
        headers: { 'x-tracking-secret': filed.body.trackingSecret },
      },
    );
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.procedures)).toEqual(['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD']);
    const wrong = await api.call('GET', `/tracking/${filed.body.dossierCode}`, {
      headers: { 'x-tracking-secret': 'WRONG00000' },
    });
    expect(wrong.status).toBe(404);
  });

  it('answers the AWS SDK for Step Functions: state machine, executions, history in AWS shapes', async () => {
    const sfn = new SFNClient({ endpoint: stack.sfnUrl, region: 'ap-southeast-1', credentials });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toEqual(['lienthong-birth-bundle']);
    const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn }));
    const mine = executions.executions?.find((e) => e.name === caseId);
    expect(mine?.status).toBe('SUCCEEDED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: mine!.executionArn! }));
    expect(JSON.parse(described.input ?? '{}')).toEqual({ caseId });
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: mine!.executionArn!, maxResults: 1000 }),
    );
    const types = history.events!.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toContain('TaskSubmitted');
    expect(history.events!.some((e) => e.stateEnteredEventDetails?.name === 'SplitToAgencies')).toBe(true);
    expect(JSON.stringify(history.events)).not.toMatch(/taskToken":"[A-Za-z0-9_-]{20,}/);
  });

  it('answers the AWS SDK for DynamoDB: the case table scans', async () => {
    const ddb = new DynamoDBClient({ endpoint: stack.dynamoUrl, region: 'ap-southeast-1', credentials });
    const scan = await ddb.send(new ScanCommand({ TableName: stack.tableName, Limit: 1000 }));
    const keys = (scan.Items ?? []).map((i) => `${i.PK?.S} ${i.SK?.S}`);
    expect(keys).toContain(`CASE#${caseId} STATE`);
    expect(keys.filter((k) => k.startsWith(`CASE#${caseId} EVENT#`)).length).toBeGreaterThan(10);
  });
});
