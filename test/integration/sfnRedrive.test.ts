/**
 * RedriveExecution on the local endpoint, as AWS does it: a FAILED, TIMED_OUT or ABORTED Standard execution stopped in
 * the last 14 days continues with the same ARN and input; succeeded steps are not run again; only the failed branches
 * of a Parallel run again; `$$.Execution.RedriveCount` counts; DescribeExecution and the history say so.
 * Through the real `@aws-sdk/client-sfn`, on virtual time, and once through the AWS CLI.
 */
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  RedriveExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TaskHandler } from '#infra/local/sfn/engine.js';
import { callbackMachine, errorCodeOf, fn, Harness, lambdaError, tokenRecorder } from '../conformance/harness.js';
import { awsCli } from '../support/awsCli.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});

/** A handler that counts its calls and fails its first `failures` calls with `Agency.Unavailable`. */
function flaky(result: (event: unknown) => unknown, failures = 1) {
  const calls: unknown[] = [];
  const handler: TaskHandler = async (event) => {
    calls.push(event);
    if (calls.length <= failures) throw lambdaError('Agency.Unavailable', `down (call ${calls.length})`);
    return result(event);
  };
  return { calls, handler };
}

function counted(result: (event: unknown) => unknown) {
  return flaky(result, 0);
}

const twoSteps = {
  StartAt: 'Receive',
  States: {
    Receive: { Type: 'Task', Resource: fn('receive'), ResultPath: '$.received', Next: 'File' },
    File: {
      Type: 'Task',
      Resource: fn('file'),
      Parameters: { 'caseId.$': '$.caseId', 'redriveCount.$': '$$.Execution.RedriveCount' },
      ResultPath: '$.filed',
      End: true,
    },
  },
};

const redrive = (executionArn: string) => h.sfn.send(new RedriveExecutionCommand({ executionArn }));
const describeExecution = (executionArn: string) => h.sfn.send(new DescribeExecutionCommand({ executionArn }));

describe('RedriveExecution on the local endpoint', () => {
  it('redrive-failed-task: continues from the failed Task, same ARN and input, the succeeded step not run again', async () => {
    const receive = counted(() => ({ ok: true }));
    const file = flaky((event) => ({ filedWith: event }));
    const executionArn = await h.start(
      twoSteps,
      { caseId: 'c1' },
      { [fn('receive')]: receive.handler, [fn('file')]: file.handler },
    );
    const failed = await h.outcome(executionArn);
    expect(failed.status).toBe('FAILED');
    expect(await describeExecution(executionArn)).toMatchObject({ redriveCount: 0, redriveStatus: 'REDRIVABLE' });

    const { redriveDate } = await redrive(executionArn);
    const done = await h.outcome(executionArn);

    expect(redriveDate).toBeInstanceOf(Date);
    expect(done.executionArn).toBe(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(receive.calls).toHaveLength(1);
    expect(file.calls).toEqual([
      { caseId: 'c1', redriveCount: 0 },
      { caseId: 'c1', redriveCount: 1 },
    ]);
    expect(done.output).toEqual({
      caseId: 'c1',
      received: { ok: true },
      filed: { filedWith: { caseId: 'c1', redriveCount: 1 } },
    });
    const types = done.events.map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types.filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(3); // Receive once, File twice
    const redriven = done.events.find((e) => e.type === 'ExecutionRedriven');
    expect(redriven?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(types.indexOf('ExecutionRedriven')).toBe(types.indexOf('ExecutionFailed') + 1);
    expect(types[types.length - 1]).toBe('ExecutionSucceeded');
    expect(new Set(done.events.map((e) => e.id)).size).toBe(done.events.length);
    expect(done.events.map((e) => e.id)).toEqual(done.events.map((_, i) => i + 1));
    const described = await describeExecution(executionArn);
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      input: JSON.stringify({ caseId: 'c1' }),
      redriveCount: 1,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    expect(described.redriveDate?.getTime()).toBe(redriveDate?.getTime());
  });

  it('redrive-parallel-failed-branch: only the failed branch of a Parallel runs again', async () => {
    const left = counted(() => 'left-done');
    const right = flaky(() => 'right-done');
    const definition = {
      StartAt: 'Agencies',
      States: {
        Agencies: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: fn('left'), End: true } } },
            { StartAt: 'Right', States: { Right: { Type: 'Task', Resource: fn('right'), End: true } } },
          ],
          End: true,
        },
      },
    };
    const executionArn = await h.start(definition, {}, { [fn('left')]: left.handler, [fn('right')]: right.handler });
    expect((await h.outcome(executionArn)).status).toBe('FAILED');
    expect(left.calls).toHaveLength(1);

    await redrive(executionArn);
    const done = await h.outcome(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual(['left-done', 'right-done']);
    expect(left.calls).toHaveLength(1);
    expect(right.calls).toHaveLength(2);
    expect(done.types.filter((t) => t === 'ExecutionRedriven')).toHaveLength(1);
  });

  it('redrive-aborted-callback: a stopped execution waiting on a callback opens the task again and finishes', async () => {
    const open = tokenRecorder();
    const executionArn = await h.start(
      callbackMachine({ TimeoutSeconds: 3600 }),
      { caseId: 'c3' },
      { [fn('open')]: open.handler },
    );
    const first = await open.next(1);
    await h.stopExecution(executionArn, 'Operator.Stop', 'by hand');
    expect((await h.outcome(executionArn)).status).toBe('ABORTED');

    await redrive(executionArn);
    const second = await open.next(2);
    expect(await errorCodeOf(h.sendSuccess(first, { late: true }))).toBe('TaskTimedOut');
    await h.sendSuccess(second, { decided: true });
    const done = await h.outcome(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toEqual({ decided: true });
    expect(done.types.slice(-3)).toEqual(['PassStateEntered:Done', 'PassStateExited:Done', 'ExecutionSucceeded']);
  });

  it('redrive-not-redrivable: RUNNING and SUCCEEDED executions and one stopped over 14 days ago are refused; an unknown one does not exist', async () => {
    const open = tokenRecorder();
    const running = await h.start(
      callbackMachine({ TimeoutSeconds: 3600 * 24 * 30 }),
      {},
      { [fn('open')]: open.handler },
    );
    const token = await open.next(1);

    const onRunning = redrive(running).catch((e: unknown) => e);
    await expect(onRunning).resolves.toBeInstanceOf(ExecutionNotRedrivable);
    expect(((await onRunning) as Error).message).toBe(`Execution is RUNNING and cannot be redriven: ${running}`);

    await h.sendSuccess(token, {});
    expect((await h.outcome(running)).status).toBe('SUCCEEDED');
    expect(((await redrive(running).catch((e: unknown) => e)) as Error).name).toBe('ExecutionNotRedrivable');

    const failing = flaky(() => 'never', 99);
    const old = await h.start(twoSteps, {}, { [fn('receive')]: failing.handler });
    expect((await h.outcome(old)).status).toBe('FAILED');
    h.time.advance(14 * 24 * 3600_000 + 1000);
    expect(await describeExecution(old)).toMatchObject({
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution redrivable period exceeded',
    });
    const late = (await redrive(old).catch((e: unknown) => e)) as Error;
    expect(late).toBeInstanceOf(ExecutionNotRedrivable);
    expect(late.message).toBe(`Execution redrivable period exceeded: ${old}`);

    const unknown = `${old}-unknown`;
    const missing = (await redrive(unknown).catch((e: unknown) => e)) as Error;
    expect(missing).toBeInstanceOf(ExecutionDoesNotExist);
    expect(missing.message).toBe(`Execution Does Not Exist: '${unknown}'`);
  });

  it('redrive-cli: a redriven execution reads through the AWS CLI v2 as on AWS (describe-execution, get-execution-history)', async () => {
    // Debian's CLI v2 (2.9.19, what `npm test` installs) predates RedriveExecution: the redrive goes through the SDK,
    // the reading through the CLI an operator uses.
    const cli = await awsCli(['stepfunctions', 'get-execution-history']);
    const receive = counted(() => ({ ok: true }));
    const file = flaky(() => ({ filed: true }));
    const executionArn = await h.start(
      twoSteps,
      { caseId: 'c5' },
      { [fn('receive')]: receive.handler, [fn('file')]: file.handler },
    );
    expect((await h.outcome(executionArn)).status).toBe('FAILED');

    await redrive(executionArn);
    const done = await h.outcome(executionArn);
    const described = JSON.parse(
      await cli.run(['stepfunctions', 'describe-execution', '--execution-arn', executionArn], h.url),
    ) as Record<string, unknown>;
    const history = JSON.parse(
      await cli.run(['stepfunctions', 'get-execution-history', '--execution-arn', executionArn], h.url),
    ) as { events: { type: string }[] };

    expect(done.status).toBe('SUCCEEDED');
    expect(receive.calls).toHaveLength(1);
    expect(described).toMatchObject({ status: 'SUCCEEDED', executionArn });
    const types = history.events.map((e) => e.type);
    expect(types).toContain('ExecutionRedriven');
    expect(types.indexOf('ExecutionFailed')).toBeLessThan(types.indexOf('ExecutionRedriven'));
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });
});
