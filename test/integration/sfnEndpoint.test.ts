import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LocalStepFunctions } from '#infra/local/sfn/engine.js';
import { type LocalDynamo, startLocalDynamo } from '#infra/local/sfn/localDynamo.js';
import { type SfnServer, startSfnServer } from '#infra/local/sfn/server.js';
import { eventually } from '#support/api.js';
import { pinnedTime } from '#support/time.js';

/** `${Name}` as written in an ASL file (kept out of template-literal syntax on purpose). */
const placeholder = (name: string) => `$${'{'}${name}}`;

const openTaskArn = 'arn:aws:lambda:us-east-1:000000000000:function:openTask';
const definition = {
  StartAt: 'Decide',
  States: {
    Decide: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: placeholder('OpenTaskArn'),
        Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSeconds: 60,
      Catch: [{ ErrorEquals: ['Decision.Refused'], ResultPath: '$.refusal', Next: 'Refused' }],
      End: true,
    },
    Refused: { Type: 'Pass', End: true },
  },
};

let dynamo: LocalDynamo;
let engine: LocalStepFunctions;
let server: SfnServer;
let sfn: SFNClient;
let stateMachineArn: string;
const time = pinnedTime();
const tokens = new Map<string, string>();

const tokenFor = (caseId: string): Promise<string> =>
  eventually(async () => tokens.get(caseId), 60_000, `a task opened for ${caseId}`);

const settled = (executionArn: string) =>
  eventually(
    async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status !== 'RUNNING' ? execution : undefined;
    },
    60_000,
    `${executionArn} to leave RUNNING`,
  );

// Each test starts a second after the one before, so executions have distinct start dates (listed newest first).
beforeEach(() => time.advance(1000));

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  engine = new LocalStepFunctions({ dynamo: dynamo.client, tableName: 'sfn-endpoint', time });
  await engine.createTableIfMissing();
  stateMachineArn = engine.registerStateMachine({
    name: 'toy',
    definition,
    substitutions: { OpenTaskArn: openTaskArn },
    handlers: {
      [openTaskArn]: async (event) => {
        const { caseId, taskToken } = event as { caseId: string; taskToken: string };
        tokens.set(caseId, taskToken);
        return {};
      },
    },
  });
  server = await startSfnServer({ engine, host: '127.0.0.1', port: 0 });
  sfn = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
});

afterAll(async () => {
  sfn.destroy();
  await engine.close();
  await server.close();
  await dynamo.close();
});

describe('local Step Functions endpoint (AWS JSON 1.0) through the real @aws-sdk/client-sfn', () => {
  it('lists and describes the registered state machine', async () => {
    const list = await sfn.send(new ListStateMachinesCommand({}));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));

    expect(list.stateMachines).toEqual([
      { stateMachineArn, name: 'toy', type: 'STANDARD', creationDate: expect.any(Date) },
    ]);
    expect(described).toMatchObject({ stateMachineArn, name: 'toy', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition ?? '').States.Decide.Parameters.FunctionName).toBe(openTaskArn);
  });

  it('starts an execution, answers its task with SendTaskSuccess and reads the history', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-1', input: '{"caseId":"case-1"}' }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-1', input: '{"caseId":"case-1"}' }),
    );
    const token = await tokenFor('case-1');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"APPROVED"}' }));
    const execution = await settled(started.executionArn ?? '');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 3, reverseOrder: true }),
    );

    expect(started.startDate).toBeInstanceOf(Date);
    expect(again.executionArn).toBe(started.executionArn);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: '{"decision":"APPROVED"}', name: 'case-1' });
    expect(execution.stopDate).toBeInstanceOf(Date);
    expect(history.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(page.events?.map((e) => e.id)).toEqual([8, 7, 6]);
    expect(page.nextToken).toBeDefined();
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'case-1', input: '{"caseId":"other"}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('routes SendTaskFailure to the Catch that names its error', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-2', input: '{"caseId":"case-2"}' }),
    );
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: await tokenFor('case-2'), error: 'Decision.Refused', cause: 'why' }),
    );

    const execution = await settled(executionArn ?? '');
    expect(JSON.parse(execution.output ?? '').refusal).toEqual({ Error: 'Decision.Refused', Cause: 'why' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('case-2'), output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('stops an execution and lists executions by status', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-3', input: '{"caseId":"case-3"}' }),
    );
    await tokenFor('case-3');
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Case.Withdrawn', cause: 'x' }));
    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));

    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(aborted.executions?.map((e) => e.name)).toEqual(['case-3']);
    expect(all.executions?.map((e) => e.name)).toEqual(['case-3', 'case-2']);
    expect(all.nextToken).toBeDefined();
    const next = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: all.nextToken }),
    );
    expect(next.executions?.map((e) => e.name)).toEqual(['case-1']);
  });

  it('answers errors with the AWS error codes the SDK maps to its exception classes', async () => {
    const unknownExecution = `arn:aws:states:us-east-1:000000000000:execution:toy:nope`;

    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: unknownExecution }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn}-missing` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
  });

  it('rejects an unknown operation with 400 UnknownOperationException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.CreateActivity' },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'UnknownOperationException',
      message: 'Unknown operation AWSStepFunctions.CreateActivity',
    });
  });
});
