/**
 * Conformance: one case per construct, each expectation what AWS Step Functions does, taken from the AWS
 * documentation or from executions recorded on AWS (LocalStack's AWS-validated snapshots, `tests/aws/services/
 * stepfunctions` in github localstack/localstack, read as a reference; the cases here are our own). Each case names
 * its source. Run through the real engine and its AWS JSON 1.0 endpoint with `@aws-sdk/client-sfn`, on virtual time.
 *
 * `npm run conformance` runs this directory and prints the score. docs/local-engine.md lists what is not matched.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackMachine, errorCodeOf, fn, Harness, lambdaError, passMachine, tokenRecorder } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => h?.stop());

const T0 = '2026-11-23T02:00:00.000Z';
const echo = async (event: unknown) => event;

describe('Choice Is* operators set to false (AWS: the rule matches when the test is false; LocalStack test_is_operators)', () => {
  const choice = (rule: Record<string, unknown>) => ({
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  });
  it.each([
    ['IsNull', { Variable: '$.a', IsNull: false }, { a: 1 }],
    ['IsString', { Variable: '$.a', IsString: false }, { a: 1 }],
    ['IsNumeric', { Variable: '$.a', IsNumeric: false }, { a: 'x' }],
    ['IsBoolean', { Variable: '$.a', IsBoolean: false }, { a: 1 }],
    ['IsPresent', { Variable: '$.missing', IsPresent: false }, { a: 1 }],
  ])('choice-%s-false: matches', async (_op, rule, input) => {
    const r = await h.run(choice(rule), input);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toBe('yes');
  });
});

describe('JSONPath (AWS: an indefinite path gives a list; LocalStack test_json_path_array_wildcard_or_slice_with_no_input)', () => {
  it.each([
    ['$.items[*]', {}, []],
    ['$.items[1:]', { items: [1] }, []],
    ['$.item.items[*].v', { item: { items: [] } }, []],
    ['$.items[*]', { items: [5] }, [5]],
  ])('jsonpath-indefinite %s on %j gives %j', async (path, input, expected) => {
    const r = await h.run(passMachine({ Parameters: { 'item.$': path } }), input);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ item: expected });
  });
});

describe('Context object (AWS docs "Context object"; LocalStack test_context_object)', () => {
  it('context-state: $$ in a Pass state has Execution (with RedriveCount), StateMachine and State, no Task', async () => {
    const r = await h.run(passMachine({ Parameters: { 'ctx.$': '$$' } }), { x: 1 });
    const ctx = (r.output as { ctx: Record<string, Record<string, unknown>> }).ctx;
    expect(ctx.State).toEqual({ Name: 'P', EnteredTime: T0 });
    expect(ctx.Execution).toEqual({
      Id: r.executionArn,
      Input: { x: 1 },
      Name: 'run',
      RoleArn: expect.any(String),
      StartTime: T0,
      RedriveCount: 0,
    });
    expect(ctx.StateMachine).toEqual({ Id: expect.stringContaining(':stateMachine:'), Name: expect.any(String) });
    expect(Object.keys(ctx).sort()).toEqual(['Execution', 'State', 'StateMachine']);
  });

  it('context-retry-count: $$.State.RetryCount counts the retries of a Task', async () => {
    let calls = 0;
    const r = await h.run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: fn('flaky'),
            Parameters: { 'rc.$': '$$.State.RetryCount', 'name.$': '$$.State.Name' },
            Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 3 }],
            End: true,
          },
        },
      },
      {},
      {
        [fn('flaky')]: async (event) => {
          if (++calls < 3) throw lambdaError('Flaky', 'not yet');
          return event;
        },
      },
      { retryIntervalOverrides: { T: 0 } },
    );
    expect(r.output).toEqual({ rc: 2, name: 'T' });
  });

  it('context-branch-execution: inside a Parallel branch $$.Execution.Input is the execution input', async () => {
    const r = await h.run(
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Parameters: { narrowed: true },
            Branches: [
              {
                StartAt: 'B',
                States: { B: { Type: 'Pass', Parameters: { 'in.$': '$$.Execution.Input' }, End: true } },
              },
            ],
            End: true,
          },
        },
      },
      { whole: 1 },
    );
    expect(r.output).toEqual([{ in: { whole: 1 } }]);
  });
});

describe('Fail state (LocalStack test_state_fail_empty, test_state_fail_intrinsic)', () => {
  it('fail-empty: a Fail state without Error and Cause fails the execution with neither', async () => {
    const r = await h.run({ StartAt: 'F', States: { F: { Type: 'Fail' } } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBeUndefined();
    expect(r.cause).toBeUndefined();
    expect(r.types).toEqual(['ExecutionStarted', 'FailStateEntered:F', 'ExecutionFailed']);
    expect(r.events.at(-1)?.executionFailedEventDetails).toEqual({});
  });

  it('fail-intrinsic: ErrorPath and CausePath may be intrinsic functions', async () => {
    const r = await h.run(
      {
        StartAt: 'F',
        States: {
          F: {
            Type: 'Fail',
            ErrorPath: "States.Format('Case.{}', $.code)",
            CausePath: "States.Format('refused because {}', $.why)",
          },
        },
      },
      { code: 'Refused', why: 'no proof' },
    );
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'Case.Refused', 'refused because no proof']);
  });

  it('fail-state: Error and Cause as written', async () => {
    const r = await h.run({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Case.Refused', Cause: 'why' } } });
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'Case.Refused', 'why']);
    expect(r.events.at(-1)?.executionFailedEventDetails).toEqual({ error: 'Case.Refused', cause: 'why' });
  });
});

describe('Intrinsic functions (LocalStack test_math_operations, test_string_operations, test_json_manipulation)', () => {
  const intrinsic = async (expr: string, input: unknown) =>
    (await h.run(passMachine({ Parameters: { 'r.$': expr } }), input)) as { status: string; output: { r: unknown } };

  it.each([
    [1.5, 1.51, 4],
    [-1.5, 0, -1],
    [2.5, 0, 3],
    [-1.49, -1.5, -2],
  ])('intrinsic-mathadd: MathAdd(%d, %d) rounds each operand: %d', async (a, b, sum) => {
    const r = await intrinsic('States.MathAdd($.a, $.b)', { a, b });
    expect(r.output).toEqual({ r: sum });
  });

  it.each([
    ['This.is+a,test=string', '.+,=', ['This', 'is', 'a', 'test', 'string']],
    [', , ,', ',', [' ', ' ']],
  ])('intrinsic-stringsplit: StringSplit(%j, %j) splits on each character', async (s, d, parts) => {
    const r = await intrinsic('States.StringSplit($.s, $.d)', { s, d });
    expect(r.output).toEqual({ r: parts });
  });

  it('intrinsic-stringtojson-empty: StringToJson("") is null', async () => {
    const r = await intrinsic('States.StringToJson($.s)', { s: '' });
    expect([r.status, r.output]).toEqual(['SUCCEEDED', { r: null }]);
  });

  it('intrinsic-format-object: Format prints an object or array argument as Java does', async () => {
    const r = await intrinsic("States.Format('o={} a={}', $.o, $.a)", { o: { Arg1: 1, Arg2: [] }, a: [1, 'x'] });
    expect(r.output).toEqual({ r: 'o={Arg1=1, Arg2=[]} a=[1, x]' });
  });

  it('intrinsic-mathrandom-bounds: MathRandom accepts non-integer bounds and returns an integer', async () => {
    const r = await intrinsic('States.MathRandom($.lo, $.hi)', { lo: 12.5, hi: 44.51 });
    expect(r.status).toBe('SUCCEEDED');
    const n = r.output.r as number;
    expect(Number.isInteger(n) && n >= 12 && n <= 44).toBe(true);
  });
});

describe('Paths and timeouts the library reads differently (engine workarounds)', () => {
  it('resultpath-dollar: ResultPath "$" replaces the input with the result', async () => {
    const r = await h.run(passMachine({ Result: { replaced: true }, ResultPath: '$' }), { old: 1 });
    expect(r.output).toEqual({ replaced: true });
  });

  it('timeoutsecondspath: read from the state input, not from Parameters; TaskScheduled shows it', async () => {
    const tokens = tokenRecorder();
    const arn = await h.start(
      callbackMachine({ TimeoutSecondsPath: '$.limit' }, [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Caught' },
      ]),
      { limit: 45 },
      { [fn('open')]: tokens.handler },
    );
    const scheduled = await h.waitForEvent(arn, 'TaskSubmitted').then(() => h.history(arn));
    expect(scheduled.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails?.timeoutInSeconds).toBe(45);
    h.time.advance(45_000);
    const r = await h.outcome(arn);
    expect(r.output).toMatchObject({ timedOut: { Error: 'States.Timeout' } });
  });

  it('task-no-parameters-falsy-input: a Task without Parameters passes 0 through', async () => {
    const task = { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('echo'), End: true } } };
    for (const input of [0, false, '', null]) {
      const r = await h.run(task, input, { [fn('echo')]: echo });
      expect([r.status, r.output]).toEqual(['SUCCEEDED', input]);
    }
  });
});

describe('Limits (AWS docs "Step Functions service quotas": 256 KiB per payload)', () => {
  it('data-limit: a Task result above 256 KiB fails with States.DataLimitExceeded', async () => {
    const big = 'x'.repeat(300 * 1024);
    const r = await h.run(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('big'), End: true } } },
      {},
      { [fn('big')]: async () => ({ big }) },
    );
    expect([r.status, r.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
  });

  it('map-tolerated-failure-negative: ToleratedFailureCountPath -1 is a States.Runtime error (LocalStack test_map_state_tolerated_failure_count_path)', async () => {
    const r2 = await h.run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ToleratedFailureCountPath: '$.tolerated',
            ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { items: [0], tolerated: -1 },
    );
    expect([r2.status, r2.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(r2.cause).toMatch(
      /^An error occurred while executing the state 'M' \(entered at the event id #2\)\. ToleratedFailureCount cannot be negative\.$/,
    );
  });
});

describe('Lambda tasks (LocalStack test_task_lambda, test_task_service_lambda, test_lambda_task_service)', () => {
  it('lambda-plain-history: a plain function ARN writes LambdaFunction* events', async () => {
    const r = await h.run(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('echo'), End: true } } },
      { a: 1 },
      {
        [fn('echo')]: echo,
      },
    );
    expect(r.types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:T',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited:T',
      'ExecutionSucceeded',
    ]);
    expect(r.output).toEqual({ a: 1 });
  });

  it('lambda-error-cause: a function error is caught with Cause {errorMessage, errorType, requestId, stackTrace}', async () => {
    const r = await h.run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: fn('boom'),
            Catch: [{ ErrorEquals: ['Agency.Unavailable'], Next: 'C' }],
            End: true,
          },
          C: { Type: 'Pass', End: true },
        },
      },
      {},
      {
        [fn('boom')]: async () => {
          throw lambdaError('Agency.Unavailable', 'down');
        },
      },
    );
    const out = r.output as { Error: string; Cause: string };
    expect(out.Error).toBe('Agency.Unavailable');
    const cause = JSON.parse(out.Cause) as Record<string, unknown>;
    expect(Object.keys(cause)).toEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    expect(cause).toMatchObject({ errorMessage: 'down', errorType: 'Agency.Unavailable' });
    expect(Array.isArray(cause.stackTrace)).toBe(true);
    expect(r.types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:T',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'TaskStateExited:T',
      'PassStateEntered:C',
      'PassStateExited:C',
      'ExecutionSucceeded',
    ]);
  });

  it('lambda-retry-history: a retried function writes Scheduled/Started/Failed again, no second Entered', async () => {
    let calls = 0;
    const r = await h.run(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: fn('flaky'), Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 2 }], End: true },
        },
      },
      {},
      {
        [fn('flaky')]: async () => {
          if (++calls === 1) throw lambdaError('Flaky', 'once');
          return { ok: true };
        },
      },
      { retryIntervalOverrides: { T: 0 } },
    );
    expect(r.types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:T',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited:T',
      'ExecutionSucceeded',
    ]);
  });

  it('lambda-invoke-metadata: lambda:invoke results carry SdkHttpMetadata and SdkResponseMetadata', async () => {
    const r = await h.run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: fn('echo'), 'Payload.$': '$' },
            End: true,
          },
        },
      },
      { a: 1 },
      { [fn('echo')]: echo },
    );
    expect(r.output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { a: 1 },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200, AllHttpHeaders: expect.any(Object), HttpHeaders: expect.any(Object) },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
    expect(r.types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:T',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited:T',
      'ExecutionSucceeded',
    ]);
  });

  it("lambda-missing-function: the Cause of Lambda.ResourceNotFoundException is Lambda's text", async () => {
    const r = await h.run({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fn('nope'), Payload: {} },
          End: true,
        },
      },
    });
    expect([r.status, r.error]).toEqual(['FAILED', 'Lambda.ResourceNotFoundException']);
    expect(r.cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [\w-]+; Proxy: null\)$/,
    );
  });
});

describe('Map and Parallel history (LocalStack test_map_state, test_parallel_state_catch)', () => {
  it('map-history: Map writes MapStateStarted, MapIteration* and MapStateSucceeded', async () => {
    const r = await h.run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      [1, 2],
    );
    expect(r.output).toEqual([1, 2]);
    expect(r.types).toEqual([
      'ExecutionStarted',
      'MapStateEntered:M',
      'MapStateStarted',
      'MapIterationStarted',
      'PassStateEntered:I',
      'PassStateExited:I',
      'MapIterationSucceeded',
      'MapIterationStarted',
      'PassStateEntered:I',
      'PassStateExited:I',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited:M',
      'ExecutionSucceeded',
    ]);
    expect(r.events.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 2 });
    expect(
      r.events.filter((e) => e.type === 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails),
    ).toEqual([
      { name: 'M', index: 0 },
      { name: 'M', index: 1 },
    ]);
  });

  it('parallel-caught-failure: ParallelStateFailed then ParallelStateExited, no ParallelStateSucceeded', async () => {
    const r = await h.run({
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'b' } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }],
          End: true,
        },
        C: { Type: 'Pass', End: true },
      },
    });
    expect(r.output).toEqual({ Error: 'Boom', Cause: 'b' });
    expect(r.types).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered:Par',
      'ParallelStateStarted',
      'FailStateEntered:F',
      'ParallelStateFailed',
      'ParallelStateExited:Par',
      'PassStateEntered:C',
      'PassStateExited:C',
      'ExecutionSucceeded',
    ]);
  });

  it('parallel-success: ParallelStateSucceeded before ParallelStateExited; output in branch order', async () => {
    const r = await h.run(
      {
        StartAt: 'Par',
        States: {
          Par: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
            ],
            ResultPath: '$.results',
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      },
      { keep: 1 },
    );
    expect(r.output).toEqual({ keep: 1, results: ['a', 'b'] });
    expect(r.types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered:Par', 'ParallelStateStarted']);
    expect([...r.types.slice(3, 7)].sort()).toEqual(
      ['PassStateEntered:A', 'PassStateEntered:B', 'PassStateExited:A', 'PassStateExited:B'].sort(),
    );
    expect(r.types.slice(7)).toEqual([
      'ParallelStateSucceeded',
      'ParallelStateExited:Par',
      'SucceedStateEntered:Done',
      'SucceedStateExited:Done',
      'ExecutionSucceeded',
    ]);
  });
});

describe('Choice, Pass, ResultPath as the workflow uses them', () => {
  it('choice-default-pass-result: StringEquals, BooleanEquals and Default route; Pass Result with ResultPath', async () => {
    const machine = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.d', StringEquals: 'APPROVED', Next: 'Ok' },
            { Variable: '$.flag', BooleanEquals: true, Next: 'Flag' },
          ],
          Default: 'Other',
        },
        Ok: { Type: 'Pass', Result: { status: 'OK' }, ResultPath: '$.r', End: true },
        Flag: { Type: 'Pass', Result: { status: 'FLAG' }, ResultPath: '$.r', End: true },
        Other: { Type: 'Pass', Result: { status: 'OTHER' }, ResultPath: '$.r', End: true },
      },
    };
    const a = await h.run(machine, { d: 'APPROVED' });
    const b = await h.run(machine, { d: 'REFUSED', flag: true });
    const c = await h.run(machine, { d: 'REFUSED', flag: false });
    expect([a.output, b.output, c.output]).toEqual([
      { d: 'APPROVED', r: { status: 'OK' } },
      { d: 'REFUSED', flag: true, r: { status: 'FLAG' } },
      { d: 'REFUSED', flag: false, r: { status: 'OTHER' } },
    ]);
    expect(c.types).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered:C',
      'ChoiceStateExited:C',
      'PassStateEntered:Other',
      'PassStateExited:Other',
      'ExecutionSucceeded',
    ]);
  });

  it('choice-no-match: no rule and no Default fails with States.NoChoiceMatched', async () => {
    const r = await h.run(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.d', StringEquals: 'X', Next: 'X' }] },
          X: { Type: 'Succeed' },
        },
      },
      { d: 'Y' },
    );
    expect([r.status, r.error]).toEqual(['FAILED', 'States.NoChoiceMatched']);
  });
});

describe('Callbacks: .waitForTaskToken with $$.Task.Token (AWS docs "Wait for a Callback with Task Token"; LocalStack test_callback, test_heartbeats)', () => {
  const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Caught' }];

  it('callback-success: the task waits for SendTaskSuccess; its output is the task result', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(
      callbackMachine({ ResultPath: '$.decision' }),
      { caseId: 'c1' },
      { [fn('open')]: rec.handler },
    );
    const token = await rec.next();
    await h.waitForEvent(arn, 'TaskSubmitted');
    expect(await errorCodeOf(h.sendSuccess(token, { decision: 'APPROVED' }))).toBe('OK');
    const r = await h.outcome(arn);
    expect(r.output).toEqual({ caseId: 'c1', decision: { decision: 'APPROVED' } });
    expect(r.types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:Wait',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited:Wait',
      'PassStateEntered:Done',
      'PassStateExited:Done',
      'ExecutionSucceeded',
    ]);
    const scheduled = r.events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
  });

  it('callback-failure: SendTaskFailure fails the task with its error and cause; Catch sees them', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(callbackMachine({}, catchAll), {}, { [fn('open')]: rec.handler });
    await h.waitForEvent(arn, 'TaskSubmitted');
    await h.sendFailure(await rec.next(), 'Decision.Refused', 'no proof');
    const r = await h.outcome(arn);
    expect(r.output).toEqual({ err: { Error: 'Decision.Refused', Cause: 'no proof' } });
    expect(r.events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
      error: 'Decision.Refused',
      cause: 'no proof',
    });
    expect(r.types.slice(4, 7)).toEqual(['TaskSubmitted', 'TaskFailed', 'TaskStateExited:Wait']);
  });

  it('callback-failure-empty: SendTaskFailure without error and cause: Catch sees null, TaskFailed has neither', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(callbackMachine({}, catchAll), {}, { [fn('open')]: rec.handler });
    await h.waitForEvent(arn, 'TaskSubmitted');
    await h.sendFailure(await rec.next());
    const r = await h.outcome(arn);
    expect(r.output).toEqual({ err: { Error: null, Cause: null } });
    expect(r.events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
    });
  });

  it('callback-task-timeout: no answer within TimeoutSeconds: TaskTimedOut, execution fails with States.Timeout and no cause', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(callbackMachine({ TimeoutSeconds: 30 }), {}, { [fn('open')]: rec.handler });
    await h.waitForEvent(arn, 'TaskSubmitted');
    h.time.advance(30_000);
    const r = await h.outcome(arn);
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'States.Timeout', undefined]);
    expect(r.types.slice(-3)).toEqual(['TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed']);
    expect(r.events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'States.Timeout',
    });
  });

  it('callback-timeout-caught: a caught States.Timeout has Cause "" (LocalStack test_task_service_lambda timeout catch)', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(
      callbackMachine({ TimeoutSeconds: 30 }, [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Caught' },
      ]),
      { a: 1 },
      { [fn('open')]: rec.handler },
    );
    await h.waitForEvent(arn, 'TaskSubmitted');
    h.time.advance(30_000);
    const r = await h.outcome(arn);
    expect(r.output).toEqual({ a: 1, timedOut: { Error: 'States.Timeout', Cause: '' } });
    expect(r.types.slice(4)).toEqual([
      'TaskSubmitted',
      'TaskTimedOut',
      'TaskStateExited:Wait',
      'PassStateEntered:Caught',
      'PassStateExited:Caught',
      'ExecutionSucceeded',
    ]);
  });

  it('callback-timeout-not-taskfailed: States.TaskFailed does not catch a timeout (AWS docs "Error names")', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(
      callbackMachine({ TimeoutSeconds: 30 }, [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }]),
      {},
      { [fn('open')]: rec.handler },
    );
    await h.waitForEvent(arn, 'TaskSubmitted');
    h.time.advance(30_000);
    const r = await h.outcome(arn);
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Timeout']);
  });

  it('callback-heartbeat-timeout: no heartbeat within HeartbeatSeconds: TaskTimedOut with States.Timeout (LocalStack test_heartbeat_timeout)', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(
      callbackMachine({ TimeoutSeconds: 600, HeartbeatSeconds: 10 }),
      {},
      {
        [fn('open')]: rec.handler,
      },
    );
    await h.waitForEvent(arn, 'TaskSubmitted');
    h.time.advance(10_000);
    const r = await h.outcome(arn);
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'States.Timeout', undefined]);
    expect(r.events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({
      heartbeatInSeconds: 10,
      timeoutInSeconds: 600,
    });
    expect(r.types.slice(-3)).toEqual(['TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed']);
  });

  it('callback-heartbeat-keeps-alive: a heartbeat restarts the heartbeat timer', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(
      callbackMachine({ TimeoutSeconds: 600, HeartbeatSeconds: 10 }),
      {},
      {
        [fn('open')]: rec.handler,
      },
    );
    const token = await rec.next();
    await h.waitForEvent(arn, 'TaskSubmitted');
    h.time.advance(8_000);
    expect(await errorCodeOf(h.sendHeartbeat(token))).toBe('OK');
    h.time.advance(8_000);
    expect(await errorCodeOf(h.sendSuccess(token, { ok: true }))).toBe('OK');
    expect((await h.outcome(arn)).status).toBe('SUCCEEDED');
  });

  it('callback-token-twice: a token answered twice gives TaskTimedOut ("Provided task does not exist anymore")', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(callbackMachine(), {}, { [fn('open')]: rec.handler });
    const token = await rec.next();
    await h.waitForEvent(arn, 'TaskSubmitted');
    await h.sendSuccess(token, { first: true });
    const second = await h.sendSuccess(token, { second: true }).then(
      () => 'OK',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    expect(second).toBe("TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'");
    expect((await h.outcome(arn)).output).toEqual({ first: true });
  });

  it('callback-token-after-stop: answering a task of a stopped execution gives TaskTimedOut; history ends ExecutionAborted', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(callbackMachine(), {}, { [fn('open')]: rec.handler });
    const token = await rec.next();
    await h.waitForEvent(arn, 'TaskSubmitted');
    await h.stopExecution(arn, 'Case.Withdrawn', 'the family withdrew');
    expect(await errorCodeOf(h.sendSuccess(token, {}))).toBe('TaskTimedOut');
    expect(await errorCodeOf(h.sendHeartbeat(token))).toBe('TaskTimedOut');
    const r = await h.outcome(arn);
    expect([r.status, r.error, r.cause]).toEqual(['ABORTED', 'Case.Withdrawn', 'the family withdrew']);
    expect(r.types.at(-1)).toBe('ExecutionAborted');
  });

  it('callback-token-after-timeout: answering a timed-out task gives TaskTimedOut', async () => {
    const rec = tokenRecorder();
    const arn = await h.start(callbackMachine({ TimeoutSeconds: 5 }), {}, { [fn('open')]: rec.handler });
    const token = await rec.next();
    await h.waitForEvent(arn, 'TaskSubmitted');
    h.time.advance(5_000);
    await h.outcome(arn);
    expect(await errorCodeOf(h.sendSuccess(token, {}))).toBe('TaskTimedOut');
  });

  it('callback-token-malformed: a token that was never issued is InvalidToken', async () => {
    expect(await errorCodeOf(h.sendSuccess('not-a-token', {}))).toBe('InvalidToken');
  });

  it('callback-task-token-context: $$.Task.Token exists only in the callback task: elsewhere the path fails (States.Runtime)', async () => {
    const rec = tokenRecorder();
    const machine = callbackMachine();
    (machine.States.Done as Record<string, unknown>).Parameters = { 't.$': '$$.Task.Token' };
    const arn = await h.start(machine, {}, { [fn('open')]: rec.handler });
    const token = await rec.next();
    await h.waitForEvent(arn, 'TaskSubmitted');
    await h.sendSuccess(token, {});
    const r = await h.outcome(arn);
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
  });
});
