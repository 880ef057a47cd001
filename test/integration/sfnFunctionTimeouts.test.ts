/**
 * A step runs at most its function's timeout, as on Lambda: 30 s unless configured per function (the CDK stack's
 * step functions), after which the invocation fails with `Sandbox.Timedout` and Lambda's message in the Cause, and the
 * Task's Retry/Catch apply. On virtual time: the timeout is reached by moving time, never by waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TaskHandler } from '#infra/local/sfn/engine.js';
import { eventually } from '#support/api.js';
import { fn, Harness } from '../conformance/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});

/** Hangs on its first `hangs` calls (a step stuck on a slow agency), answers afterwards. */
function hanging(hangs = 1) {
  const calls: number[] = [];
  const handler: TaskHandler = (event) => {
    calls.push(Date.now());
    if (calls.length <= hangs) return new Promise(() => {});
    return Promise.resolve({ answered: event });
  };
  const called = (n: number) => eventually(async () => (calls.length >= n ? true : undefined), 60_000, `call ${n}`);
  return { calls, handler, called };
}

const LAMBDA_TIMEOUT_CAUSE = /^RequestId: [0-9a-f-]{36} Error: Task timed out after (\d+\.\d\d) seconds$/;

describe('function timeouts on the local engine', () => {
  it('function-timeout-default-30s: a step still running after 30 s fails with Sandbox.Timedout and its Retry runs it again', async () => {
    const slow = hanging(1);
    const stateMachineArn = h.engine.registerStateMachine({
      name: 'timeouts-default',
      definition: {
        StartAt: 'Step',
        States: {
          Step: {
            Type: 'Task',
            Resource: fn('slow'),
            Retry: [{ ErrorEquals: ['Sandbox.Timedout'], MaxAttempts: 1, IntervalSeconds: 1 }],
            End: true,
          },
        },
      },
      substitutions: {},
      handlers: { [fn('slow')]: slow.handler },
      overrides: { retryIntervalOverrides: { Step: 0 } },
    });
    const started = h.time.now().getTime();
    const { executionArn } = await h.engine.startExecution({ stateMachineArn, input: '{"n":1}' });
    await slow.called(1);
    expect(h.time.pending().map((d) => d.getTime())).toContain(started + 30_000);

    h.time.advance(30_000);
    await slow.called(2);
    const done = await h.outcome(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ answered: { n: 1 } });
    const failed = done.events.find((e) => e.type === 'LambdaFunctionFailed')?.lambdaFunctionFailedEventDetails;
    expect(failed?.error).toBe('Sandbox.Timedout');
    const cause = JSON.parse(failed?.cause ?? '{}') as { errorType: string; errorMessage: string };
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage']);
    expect(cause.errorType).toBe('Sandbox.Timedout');
    expect(cause.errorMessage).toMatch(LAMBDA_TIMEOUT_CAUSE);
    expect(LAMBDA_TIMEOUT_CAUSE.exec(cause.errorMessage)?.[1]).toBe('30.00');
  });

  it('function-timeout-per-function: a configured timeout replaces the default, and States.TaskFailed catches the timeout', async () => {
    const slow = hanging(1);
    const stateMachineArn = h.engine.registerStateMachine({
      name: 'timeouts-configured',
      definition: {
        StartAt: 'Invoke',
        States: {
          Invoke: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: fn('slow'), 'Payload.$': '$' },
            Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      },
      substitutions: {},
      handlers: { [fn('slow')]: slow.handler },
      functionTimeouts: { [fn('slow')]: 120 },
    });
    const started = h.time.now().getTime();
    const { executionArn } = await h.engine.startExecution({ stateMachineArn, input: '{"n":2}' });
    await slow.called(1);
    const due = h.time.pending().map((d) => d.getTime());
    expect(due).toContain(started + 120_000);
    expect(due).not.toContain(started + 30_000);

    h.time.advance(120_000);
    const done = await h.outcome(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(done.types.slice(-3)).toEqual(['PassStateEntered:Caught', 'PassStateExited:Caught', 'ExecutionSucceeded']);
    const caught = (done.output as { error: { Error: string; Cause: string } }).error;
    expect(caught.Error).toBe('Sandbox.Timedout');
    expect(JSON.parse(caught.Cause).errorMessage).toMatch(/Task timed out after 120\.00 seconds$/);
    expect(done.events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'Sandbox.Timedout',
    });
  });
});
