/**
 * Replay ends on a fact, not on quiet: the interpreter finishes, or every thread of it waits at a Task the record has
 * no result for. A replay that can do neither reports "incomplete" (a safety net), never "diverged".
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { replayHistory } from '#adapters/workflowReplay.js';
import type { HistoryEventJson } from '#domain/executionHistory.js';
import { LocalStepFunctions } from '#infra/local/sfn/engine.js';
import { type LocalDynamo, startLocalDynamo } from '#infra/local/sfn/localDynamo.js';
import { eventually } from '#support/api.js';
import { pinnedTime } from '#support/time.js';

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const callback = (name: string, next?: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: fnArn('open'), Payload: { task: name, 'token.$': '$$.Task.Token' } },
  TimeoutSeconds: 3600,
  ...(next ? { Next: next } : { End: true }),
});
/** Two branches that each come to wait for a decision, one of them after a run of states. */
const definition = {
  StartAt: 'Split',
  States: {
    Split: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'WaitA', States: { WaitA: callback('WaitA') } },
        {
          StartAt: 'B1',
          States: {
            B1: { Type: 'Pass', Result: { n: 1 }, ResultPath: '$.b1', Next: 'B2' },
            B2: { Type: 'Pass', Result: { n: 2 }, ResultPath: '$.b2', Next: 'WaitB' },
            WaitB: callback('WaitB'),
          },
        },
      ],
      End: true,
    },
  },
};

let dynamo: LocalDynamo;
let engine: LocalStepFunctions;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
  engine = new LocalStepFunctions({ dynamo: dynamo.client, tableName: 'replay-facts', time: pinnedTime() });
  await engine.createTableIfMissing();
}, 300_000);
afterAll(async () => {
  await engine.close();
  await dynamo.close();
});

const asJson = (events: HistoryEvent[]) =>
  events.map((e) => ({ ...e, timestamp: e.timestamp!.toISOString() })) as unknown as HistoryEventJson[];

describe('Replay ends on a fact', () => {
  it('comes to rest where every branch of the record waits, and verifies the path so far', async () => {
    // prepare: a real run that stops with both branches waiting for a decision
    const opened = new Set<string>();
    const arn = engine.registerStateMachine({
      name: 'two-waits',
      definition,
      substitutions: {},
      handlers: {
        [fnArn('open')]: async (e) => {
          opened.add((e as { task: string }).task);
          return {};
        },
      },
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{"caseId":"r1"}' });
    await eventually(async () => (opened.size === 2 ? true : undefined), 60_000, 'both tasks to open');
    const history = await eventually(
      async () => {
        const h = (await engine.getExecutionHistory({ executionArn, maxResults: 1000 })).events ?? [];
        return h.filter((e) => e.type === 'TaskSubmitted').length === 2 ? h : undefined;
      },
      60_000,
      'both tasks submitted in the history',
    );
    // act
    const report = await replayHistory(definition, asJson(history));
    // assess
    expect(report).toMatchObject({ verdict: 'verified', inProgress: true });
    expect([...report.replayed.waitingAt].sort()).toEqual(['WaitA', 'WaitB']);
  });

  it('reports incomplete, not diverged, when the replay can neither finish nor come to rest in time', async () => {
    // prepare: a Map (whose iterations the replay cannot count) waiting on a Task the record never reached
    const mapMachine = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          Iterator: { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: fnArn('ask'), End: true } } },
          End: true,
        },
      },
    };
    const started: HistoryEventJson[] = [
      {
        id: 1,
        previousEventId: 0,
        type: 'ExecutionStarted',
        timestamp: '2026-11-23T02:00:00.000Z',
        executionStartedEventDetails: { input: '{"items":[1,2]}', inputDetails: { truncated: false } },
      },
    ];
    // act
    const report = await replayHistory(mapMachine, started, { safetyTimeoutMs: 300 });
    // assess
    expect(report.verdict).toBe('incomplete');
    expect(report.divergence).toBeUndefined();
  });
});
