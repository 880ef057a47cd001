import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { stepHandlers, workflowFile } from '#infra/handlers.js';
import { MAX_TIMER_SECONDS } from '#infra/local/sfn/definition.js';
import { LocalStepFunctions, REDACTED_TOKEN, type TaskHandler } from '#infra/local/sfn/engine.js';
import { type LocalDynamo, startLocalDynamo } from '#infra/local/sfn/localDynamo.js';
import type { VirtualTime } from '#infra/local/sfn/time.js';
import { eventually } from '#support/api.js';
import { DAY_MS, pinnedTime } from '#support/time.js';

/** `${Name}` as written in an ASL file (kept out of template-literal syntax on purpose). */
const placeholder = (name: string) => `$${'{'}${name}}`;

let tableCount = 0;
let table = 'local-sfn-0';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const substitutions = { ReceiveArn: fnArn('receive'), OpenTaskArn: fnArn('openTask') };

/** One plain Lambda task, then one callback task whose timeout comes from the state input. */
const callbackMachine = {
  StartAt: 'Receive',
  States: {
    Receive: {
      Type: 'Task',
      Resource: placeholder('ReceiveArn'),
      Parameters: { 'caseId.$': '$.caseId' },
      ResultPath: '$.received',
      Next: 'Decide',
    },
    Decide: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: placeholder('OpenTaskArn'),
        Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
      },
      TimeoutSecondsPath: '$.timeoutSeconds',
      ResultPath: '$.decision',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'TimedOut' },
        { ErrorEquals: ['Decision.Refused'], ResultPath: '$.refusal', Next: 'Refused' },
      ],
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
    TimedOut: { Type: 'Pass', End: true },
    Refused: { Type: 'Pass', End: true },
  },
};

interface OpenedTask {
  caseId: string;
  taskToken: string;
}

let dynamo: LocalDynamo;
const engines: LocalStepFunctions[] = [];
const warnings: string[] = [];
const logger = {
  debug: () => {},
  info: () => {},
  warn: (message: string) => warnings.push(message),
  error: (message: string) => warnings.push(message),
};

/** Each engine runs on virtual time pinned to a Monday 09:00 in Vietnam: a task times out only when a test moves it. */
let time: VirtualTime;
function newEngine(): LocalStepFunctions {
  const engine = new LocalStepFunctions({ dynamo: dynamo.client, tableName: table, logger, time });
  engines.push(engine);
  return engine;
}

/** A fake open-task step: remembers each payload; `answer` may decide at once (a handler answering its own task). */
function openTaskRecorder(answer?: (task: OpenedTask) => Promise<void>) {
  const opened: OpenedTask[] = [];
  const handler: TaskHandler = async (event) => {
    const task = event as OpenedTask;
    opened.push(task);
    if (answer) await answer(task);
    return { opened: true };
  };
  const next = (count: number): Promise<OpenedTask> =>
    eventually(async () => opened[count - 1], 60_000, `open-task step called ${count} times`);
  return { opened, handler, next };
}

async function setUp(engine: LocalStepFunctions, openTask: TaskHandler, definition: object = callbackMachine) {
  await engine.createTableIfMissing();
  return engine.registerStateMachine({
    name: 'toy',
    definition,
    substitutions,
    handlers: {
      [substitutions.ReceiveArn]: async (event) => ({ ok: true, caseId: (event as { caseId: string }).caseId }),
      [substitutions.OpenTaskArn]: openTask,
    },
  });
}

async function history(engine: LocalStepFunctions, executionArn: string): Promise<HistoryEvent[]> {
  return (await engine.getExecutionHistory({ executionArn, maxResults: 1000 })).events ?? [];
}

const typesOf = (events: HistoryEvent[]) => events.map((e) => e.type);

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

beforeEach(() => {
  // One table per test: a restart re-drives every RUNNING execution of its table.
  table = `local-sfn-${++tableCount}`;
  warnings.length = 0;
  time = pinnedTime();
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

afterAll(async () => {
  await dynamo.close();
});

describe('LocalStepFunctions (aws-local-stepfunctions + callbacks + DynamoDB history)', () => {
  it('runs a definition of plain Lambda tasks straight through', async () => {
    // prepare
    const engine = newEngine();
    await engine.createTableIfMissing();
    const arn = engine.registerStateMachine({
      name: 'straight',
      definition: {
        StartAt: 'Double',
        States: {
          Double: { Type: 'Task', Resource: placeholder('DoubleArn'), Next: 'Big' },
          Big: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 10, Next: 'Yes' }], Default: 'No' },
          Yes: { Type: 'Pass', Result: 'big', End: true },
          No: { Type: 'Pass', Result: 'small', End: true },
        },
      },
      substitutions: { DoubleArn: fnArn('double') },
      handlers: { double: async (event) => ({ n: (event as { n: number }).n * 2 }) },
    });
    // act
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: JSON.stringify({ n: 6 }) });
    const result = await engine.waitForExecution(executionArn);
    // assess
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toBe('big');
  });

  it('resumes a callback task with the output of SendTaskSuccess', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ caseId: 'c1', timeoutSeconds: 60 }),
    });

    const task = await openTask.next(1);
    expect((await engine.describeExecution({ executionArn })).status).toBe('RUNNING');
    await engine.sendTaskSuccess({ taskToken: task.taskToken, output: JSON.stringify({ decision: 'APPROVED' }) });
    const result = await engine.waitForExecution(executionArn);

    expect(task.caseId).toBe('c1');
    expect(task.taskToken).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toMatchObject({
      decision: { decision: 'APPROVED' },
      received: { ok: true },
    });
  });

  it('accepts SendTaskSuccess sent during the handler invocation that received the token', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder(async (task) => {
      await engine.sendTaskSuccess({ taskToken: task.taskToken, output: '{"decision":"APPROVED"}' });
    });
    const arn = await setUp(engine, openTask.handler);

    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c2","timeoutSeconds":60}',
    });
    const result = await engine.waitForExecution(executionArn);

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '').decision).toEqual({ decision: 'APPROVED' });
    expect(typesOf(await history(engine, executionArn))).toEqual(
      expect.arrayContaining(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']),
    );
  });

  it('lets Catch match a SendTaskFailure by its error name', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c3","timeoutSeconds":60}',
    });

    const task = await openTask.next(1);
    await engine.sendTaskFailure({ taskToken: task.taskToken, error: 'Decision.Refused', cause: 'not eligible' });
    const result = await engine.waitForExecution(executionArn);

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '').refusal).toEqual({ Error: 'Decision.Refused', Cause: 'not eligible' });
    const failed = (await history(engine, executionArn)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'Decision.Refused', cause: 'not eligible' });
  });

  it('times a callback out as States.Timeout and answers its dead token with TaskTimedOut', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c4","timeoutSeconds":3600}',
    });

    const task = await openTask.next(1);
    time.advance(3600_000);
    const result = await engine.waitForExecution(executionArn);

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '').timedOut).toMatchObject({ Error: 'States.Timeout' });
    await expect(engine.sendTaskSuccess({ taskToken: task.taskToken, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    expect(typesOf(await history(engine, executionArn))).toContain('TaskTimedOut');
  });

  it('reads TimeoutSecondsPath from the state input, not from the Parameters, and hides the rewrite from the handler', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c5","timeoutSeconds":7}',
    });

    const task = await openTask.next(1);
    await engine.sendTaskSuccess({ taskToken: task.taskToken, output: '{}' });
    await engine.waitForExecution(executionArn);

    expect(Object.keys(task).sort()).toEqual(['caseId', 'taskToken']);
    const scheduled = (await history(engine, executionArn)).find((e) => e.type === 'TaskScheduled');
    expect(scheduled?.taskScheduledEventDetails?.timeoutInSeconds).toBe(7);
    expect(JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '')).toEqual({
      FunctionName: substitutions.OpenTaskArn,
      Payload: { caseId: 'c5', taskToken: REDACTED_TOKEN },
    });
  });

  it('keeps waiting when TimeoutSecondsPath asks for more than Node timers hold (~24.8 days)', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ caseId: 'c6', timeoutSeconds: 90 * 24 * 3600 }),
    });

    const task = await openTask.next(1);

    // The task's timer is set at the longest a Node timer holds, not overflowed to "at once"; the library's own
    // timer is never the one that decides.
    expect(time.pending()).toEqual([new Date(time.now().getTime() + MAX_TIMER_SECONDS * 1000)]);
    expect(warnings).toEqual(['Task timeout above the timer limit, clamped']);
    time.advance(20 * DAY_MS);
    expect((await engine.describeExecution({ executionArn })).status).toBe('RUNNING');
    await engine.sendTaskSuccess({ taskToken: task.taskToken, output: '{"late":false}' });
    expect(JSON.parse((await engine.waitForExecution(executionArn)).output ?? '').decision).toEqual({ late: false });
  });

  it('runs callbacks in Parallel branches and joins their outputs in branch order', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const branch = (procedure: string) => ({
      StartAt: procedure,
      States: {
        [procedure]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: placeholder('OpenTaskArn'),
            Payload: { caseId: procedure, 'taskToken.$': '$$.Task.Token' },
          },
          TimeoutSeconds: 60,
          End: true,
        },
      },
    });
    const arn = await setUp(engine, openTask.handler, {
      StartAt: 'Split',
      States: { Split: { Type: 'Parallel', Branches: [branch('Residence'), branch('Insurance')], End: true } },
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });

    await openTask.next(2);
    const byCase = Object.fromEntries(openTask.opened.map((t) => [t.caseId, t.taskToken]));
    await engine.sendTaskSuccess({ taskToken: byCase.Insurance ?? '', output: '{"card":"HI-1"}' });
    await engine.sendTaskSuccess({ taskToken: byCase.Residence ?? '', output: '{"residence":"R-1"}' });
    const result = await engine.waitForExecution(executionArn);

    expect(JSON.parse(result.output ?? '')).toEqual([{ residence: 'R-1' }, { card: 'HI-1' }]);
    expect(typesOf(await history(engine, executionArn))).toEqual(
      expect.arrayContaining([
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateSucceeded',
        'ParallelStateExited',
      ]),
    );
  });

  it('kills the tokens of the other branches when one Parallel branch fails', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const branch = (procedure: string) => ({
      StartAt: procedure,
      States: {
        [procedure]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: placeholder('OpenTaskArn'),
            Payload: { caseId: procedure, 'taskToken.$': '$$.Task.Token' },
          },
          TimeoutSeconds: 60,
          End: true,
        },
      },
    });
    const arn = await setUp(engine, openTask.handler, {
      StartAt: 'Split',
      States: {
        Split: {
          Type: 'Parallel',
          Branches: [branch('Residence'), branch('Insurance')],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failed', Next: 'Escalate' }],
          End: true,
        },
        // Keeps the execution RUNNING, so the check below is about the branch, not about the end of the execution.
        Escalate: { ...branch('Escalate').States.Escalate, ResultPath: '$.escalated' },
      },
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });
    await openTask.next(2);
    const byCase = Object.fromEntries(openTask.opened.map((t) => [t.caseId, t.taskToken]));

    await engine.sendTaskFailure({ taskToken: byCase.Insurance ?? '', error: 'Agency.Refused', cause: 'no' });
    const escalation = await openTask.next(3);

    expect((await engine.describeExecution({ executionArn })).status).toBe('RUNNING');
    await expect(engine.sendTaskSuccess({ taskToken: byCase.Residence ?? '', output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await engine.sendTaskSuccess({ taskToken: escalation.taskToken, output: '{"escalated":true}' });
    const result = await engine.waitForExecution(executionArn);
    expect(JSON.parse(result.output ?? '').failed).toEqual({ Error: 'Agency.Refused', Cause: 'no' });
  });

  it('is idempotent by execution name: same input while running returns the same execution, else ExecutionAlreadyExists', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const input = '{"caseId":"c7","timeoutSeconds":60}';

    const first = await engine.startExecution({ stateMachineArn: arn, name: 'case-c7', input });
    const again = await engine.startExecution({ stateMachineArn: arn, name: 'case-c7', input });
    const differentInput = engine.startExecution({ stateMachineArn: arn, name: 'case-c7', input: '{"caseId":"x"}' });

    expect(again).toEqual(first);
    await expect(differentInput).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(openTask.opened).toHaveLength((await openTask.next(1)) ? 1 : 0);
    await engine.sendTaskSuccess({ taskToken: openTask.opened[0]?.taskToken ?? '', output: '{}' });
    await engine.waitForExecution(first.executionArn);
    // As on AWS (Standard): once closed, the name cannot be reused for 90 days, even with the same input.
    await expect(engine.startExecution({ stateMachineArn: arn, name: 'case-c7', input })).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    await expect(engine.startExecution({ stateMachineArn: arn, name: 'bad name', input })).rejects.toMatchObject({
      name: 'InvalidName',
    });
  });

  it('records history in GetExecutionHistory shapes, in order, without the task token', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c8","timeoutSeconds":60}',
    });
    const task = await openTask.next(1);
    await engine.sendTaskSuccess({ taskToken: task.taskToken, output: '{"decision":"APPROVED"}' });
    await engine.waitForExecution(executionArn);

    const events = await history(engine, executionArn);

    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({
      previousEventId: 0,
      executionStartedEventDetails: { input: expect.any(String) },
    });
    expect(events.every((e) => e.timestamp instanceof Date)).toBe(true);
    expect(events[1]?.stateEnteredEventDetails?.name).toBe('Receive');
    expect(events[2]?.lambdaFunctionScheduledEventDetails).toMatchObject({
      resource: substitutions.ReceiveArn,
      input: '{"caseId":"c8"}',
    });
    expect(events[7]?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'us-east-1',
      timeoutInSeconds: 60,
    });
    expect(JSON.parse(events[10]?.taskSucceededEventDetails?.output ?? '')).toEqual({ decision: 'APPROVED' });
    expect(JSON.stringify(events)).not.toContain(task.taskToken);
    const reversed = await engine.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 2 });
    expect(reversed.events?.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'PassStateExited']);
    expect(reversed.nextToken).toBeDefined();
  });

  it('retries a handler error by its name, honouring the interval, then catches it by name', async () => {
    const engine = newEngine();
    await engine.createTableIfMissing();
    let calls = 0;
    const arn = engine.registerStateMachine({
      name: 'retry',
      definition: {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: placeholder('FlakyArn'),
            Retry: [{ ErrorEquals: ['Agency.Unavailable'], IntervalSeconds: 1, MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['Agency.Unavailable'], ResultPath: '$.error', Next: 'Gave up' }],
            End: true,
          },
          'Gave up': { Type: 'Pass', End: true },
        },
      },
      substitutions: { FlakyArn: fnArn('flaky') },
      handlers: {
        [fnArn('flaky')]: async () => {
          calls++;
          throw Object.assign(new Error('agency down'), { name: 'Agency.Unavailable' });
        },
      },
    });

    const started = performance.now();
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });
    const result = await engine.waitForExecution(executionArn);

    expect(calls).toBe(2);
    // The retry interval is the library's real pause: a lower bound only (a busy machine may take longer).
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(result.output ?? '').error.Error).toBe('Agency.Unavailable');
    const failures = (await history(engine, executionArn)).filter((e) => e.type === 'LambdaFunctionFailed');
    expect(failures).toHaveLength(2);
    expect(JSON.parse(failures[0]?.lambdaFunctionFailedEventDetails?.cause ?? '')).toMatchObject({
      errorType: 'Agency.Unavailable',
      errorMessage: 'agency down',
    });
  });

  it('stops an execution: ABORTED with the given error, ExecutionAborted last, token dead', async () => {
    const engine = newEngine();
    const openTask = openTaskRecorder();
    const arn = await setUp(engine, openTask.handler);
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c9","timeoutSeconds":60}',
    });
    const task = await openTask.next(1);

    await engine.stopExecution({ executionArn, error: 'Case.Withdrawn', cause: 'parent withdrew' });

    const description = await engine.describeExecution({ executionArn });
    expect(description).toMatchObject({ status: 'ABORTED', error: 'Case.Withdrawn', cause: 'parent withdrew' });
    expect(description.stopDate).toBeInstanceOf(Date);
    const events = await history(engine, executionArn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Case.Withdrawn', cause: 'parent withdrew' },
    });
    await expect(engine.sendTaskSuccess({ taskToken: task.taskToken, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    expect(
      (await engine.listExecutions({ stateMachineArn: arn, statusFilter: 'ABORTED' })).executions?.map(
        (e) => e.executionArn,
      ),
    ).toContain(executionArn);
  });

  it('re-drives a RUNNING execution after a restart to the same waiting task, without duplicating history', async () => {
    // prepare: a first process opens the callback task, then stops (Ctrl-C)
    const first = newEngine();
    const before = openTaskRecorder();
    const arn = await setUp(first, before.handler);
    const { executionArn } = await first.startExecution({
      stateMachineArn: arn,
      name: 'case-c10',
      input: '{"caseId":"c10","timeoutSeconds":60}',
    });
    const oldTask = await before.next(1);
    const historyBefore = await history(first, executionArn);
    await first.close();

    // act: a second process on the same table
    const second = newEngine();
    const after = openTaskRecorder();
    await setUp(second, after.handler);
    expect(await second.redrive()).toEqual([executionArn]);
    const newTask = await after.next(1);
    await expect(second.sendTaskSuccess({ taskToken: oldTask.taskToken, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await second.sendTaskSuccess({ taskToken: newTask.taskToken, output: '{"decision":"APPROVED"}' });
    const result = await second.waitForExecution(executionArn);

    // assess
    expect(newTask.taskToken).not.toBe(oldTask.taskToken);
    expect(result.status).toBe('SUCCEEDED');
    const events = await history(second, executionArn);
    expect(events.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(typesOf(events)).toEqual([
      ...typesOf(historyBefore),
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
  it('counts the time already waited when a re-drive reopens a callback task', async () => {
    const first = newEngine();
    const before = openTaskRecorder();
    const arn = await setUp(first, before.handler);
    const { executionArn } = await first.startExecution({
      stateMachineArn: arn,
      input: '{"caseId":"c11","timeoutSeconds":7200}',
    });
    await before.next(1);
    const scheduledAt = time.now().getTime();
    time.advance(5400_000); // 1.5 h of the 2 h timeout pass, then the process stops
    await first.close();

    const second = newEngine();
    const after = openTaskRecorder();
    await setUp(second, after.handler);
    await second.redrive();
    await after.next(1);

    // Only the half hour left is waited: the timer is due 2 h after the first scheduling, not 2 h after the re-drive.
    expect(time.pending()).toEqual([new Date(scheduledAt + 7200_000)]);
    time.advance(1800_000);
    const result = await second.waitForExecution(executionArn);
    expect(JSON.parse(result.output ?? '').timedOut).toMatchObject({ Error: 'States.Timeout' });
    expect(typesOf(await history(second, executionArn)).filter((t) => t === 'TaskScheduled')).toHaveLength(1);
  });

  it.each([
    ['JSONata', { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }],
    ['Assign', { StartAt: 'P', States: { P: { Type: 'Pass', Assign: { x: 1 }, End: true } } }],
    [
      'a placeholder without substitution',
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: placeholder('Nope'), End: true } } },
    ],
  ])('refuses a definition with %s instead of running it wrongly', (_, definition) => {
    const engine = newEngine();

    const register = () =>
      engine.registerStateMachine({ name: 'refused', definition, substitutions: {}, handlers: {} });

    expect(register).toThrow(expect.objectContaining({ name: 'InvalidDefinition' }));
  });
});

describe('workflows/birth-bundle.asl.json on the local engine', () => {
  it('runs the straight-through path: every agency approves at once', async () => {
    // prepare: fake steps; the open-task step answers its callback during its own invocation
    const engine = newEngine();
    await engine.createTableIfMissing();
    const definition = JSON.parse(readFileSync(workflowFile, 'utf8')) as object;
    const arnOf = Object.fromEntries(
      stepHandlers.map((s) => [s.placeholder, fnArn(s.placeholder.replace(/FunctionArn$/, ''))]),
    );
    const opened: Array<{ procedure: string; kind: string; round: number }> = [];
    const procedure = (name: string) => async () => ({ procedure: name, status: 'DONE' });
    const fakes: Record<string, TaskHandler> = {
      ReceiveDossierFunctionArn: async (event) => ({
        caseId: (event as { caseId: string }).caseId,
        birth: { round: 1, timeoutSeconds: 3600, supplementTimeoutSeconds: 3600 },
      }),
      OpenAgencyTaskFunctionArn: async (event) => {
        const task = event as { procedure: string; kind: string; round: number; taskToken: string };
        opened.push({ procedure: task.procedure, kind: task.kind, round: task.round });
        await engine.sendTaskSuccess({
          taskToken: task.taskToken,
          output: JSON.stringify({ round: task.round, decision: 'APPROVED' }),
        });
        return { opened: true };
      },
      EscalateOverdueFunctionArn: async () => ({}),
      // One completion step for every procedure: the birth's starts the branches, the others end theirs.
      CompleteProcedureFunctionArn: async (event) =>
        (event as { procedure: string }).procedure === 'BIRTH'
          ? {
              residence: { requested: true, round: 1, timeoutSeconds: 3600, supplementTimeoutSeconds: 3600 },
              healthInsurance: { round: 1, timeoutSeconds: 3600, supplementTimeoutSeconds: 3600 },
              idCard: { requested: true, round: 1, timeoutSeconds: 3600, supplementTimeoutSeconds: 3600 },
            }
          : procedure((event as { procedure: string }).procedure)(),
      RecordRefusalFunctionArn: async () => ({ status: 'REFUSED' }),
      FinalizeCaseFunctionArn: async () => ({ status: 'COMPLETED' }),
      NotifyApplicantFunctionArn: async () => ({ sent: true }),
    };
    const handlers = Object.fromEntries(Object.entries(fakes).map(([placeholder, h]) => [arnOf[placeholder] ?? '', h]));
    const stateMachineArn = engine.registerStateMachine({
      name: 'birth-bundle',
      definition,
      substitutions: arnOf,
      handlers,
    });

    // act
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{"caseId":"CASE-1"}' });
    const result = await engine.waitForExecution(executionArn);

    // assess
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toEqual({ status: 'COMPLETED' });
    expect(opened.map((t) => `${t.procedure}/${t.kind}/${t.round}`).sort()).toEqual([
      'BIRTH/DECISION/1',
      'HEALTH_INSURANCE/DECISION/1',
      'ID_CARD/DECISION/1',
      'RESIDENCE/DECISION/1',
    ]);
    const exited = (await history(engine, executionArn)).filter((e) => e.type === 'ParallelStateExited');
    expect(JSON.parse(exited[0]?.stateExitedEventDetails?.output ?? '').procedures).toEqual([
      { procedure: 'RESIDENCE', status: 'DONE' },
      { procedure: 'HEALTH_INSURANCE', status: 'DONE' },
      { procedure: 'ID_CARD', status: 'DONE' },
    ]);
  });
});
