/**
 * Each execution runs to its end on the definition (and, started on a version, the handlers) it started with, as on
 * AWS: versions, aliases, DescribeStateMachineForExecution, a restart's re-drive; and ValidateStateMachineDefinition.
 * Through the real `@aws-sdk/client-sfn` on virtual time; registering handlers is the engine's own call (code, not an
 * AWS operation).
 */
import {
  CreateStateMachineAliasCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  type HistoryEvent,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LocalStepFunctions, type TaskHandler } from '#infra/local/sfn/engine.js';
import { type LocalDynamo, startLocalDynamo } from '#infra/local/sfn/localDynamo.js';
import { eventually } from '#support/api.js';
import { pinnedTime } from '#support/time.js';
import { fn, Harness } from '../conformance/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});

/** Receive, wait for an officer's decision (callback), then file: v1 files at once, v2 notifies first. */
function definitionV1() {
  return {
    StartAt: 'Decide',
    States: {
      Decide: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: fn('open'), Payload: { 'caseId.$': '$.caseId', 'token.$': '$$.Task.Token' } },
        TimeoutSeconds: 3600,
        ResultPath: '$.decision',
        Next: 'FileV1',
      },
      FileV1: { Type: 'Task', Resource: fn('file'), ResultPath: '$.filed', End: true },
    },
  };
}
function definitionV2() {
  return {
    StartAt: 'Decide',
    States: {
      Decide: { ...definitionV1().States.Decide, Next: 'Notify' },
      Notify: { Type: 'Task', Resource: fn('notify'), ResultPath: '$.notified', Next: 'FileV2' },
      FileV2: { Type: 'Task', Resource: fn('file'), ResultPath: '$.filed', End: true },
    },
  };
}

/** Handlers of one deployed version: each records what it was called with, under its version's name. */
function handlersOf(version: string, calls: string[], tokens: Map<string, string>): Record<string, TaskHandler> {
  return {
    [fn('open')]: async (event) => {
      const { caseId, token } = event as { caseId: string; token: string };
      calls.push(`${version}:open:${caseId}`);
      tokens.set(caseId, token);
      return { opened: version };
    },
    [fn('file')]: async () => {
      calls.push(`${version}:file`);
      return { filedBy: version };
    },
    [fn('notify')]: async () => {
      calls.push(`${version}:notify`);
      return { notifiedBy: version };
    },
  };
}

const stateNames = (events: HistoryEvent[]) => [
  ...new Set(events.map((e) => e.stateEnteredEventDetails?.name).filter((n): n is string => Boolean(n))),
];

describe('executions pinned to the version they started on', () => {
  it('versions-20-waiting-cases: a changed step deployed while 20 cases wait: each finishes on the version it started with', async () => {
    const calls: string[] = [];
    const tokens = new Map<string, string>();
    const name = 'deploys';
    const stateMachineArn = h.engine.registerStateMachine({
      name,
      definition: definitionV1(),
      substitutions: {},
      handlers: handlersOf('v1', calls, tokens),
    });
    const v1 = await h.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn, description: 'v1' }));
    const alias = await h.sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: v1.stateMachineVersionArn, weight: 100 }],
      }),
    );
    const cases = Array.from({ length: 20 }, (_, i) => `case-${i + 1}`);
    const executions = new Map<string, string>();
    for (const caseId of cases) {
      const started = await h.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: alias.stateMachineAliasArn,
          name: caseId,
          input: JSON.stringify({ caseId }),
        }),
      );
      executions.set(caseId, started.executionArn ?? '');
    }
    await eventually(async () => (tokens.size === 20 ? true : undefined), 120_000, '20 tasks opened');

    // deploy: a new definition (a Notify step before filing) and new handlers, published and routed to
    h.engine.registerStateMachine({
      name,
      definition: definitionV2(),
      substitutions: {},
      handlers: handlersOf('v2', calls, tokens),
    });
    const v2 = await h.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn, description: 'v2' }));
    await h.sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: alias.stateMachineAliasArn,
        routingConfiguration: [{ stateMachineVersionArn: v2.stateMachineVersionArn, weight: 100 }],
      }),
    );
    const fresh = await h.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: alias.stateMachineAliasArn,
        name: 'case-new',
        input: JSON.stringify({ caseId: 'case-new' }),
      }),
    );
    await eventually(async () => tokens.get('case-new'), 120_000, 'the new case opened on v2');

    for (const caseId of [...cases, 'case-new']) await h.sendSuccess(tokens.get(caseId) ?? '', { approved: true });

    for (const caseId of cases) {
      const executionArn = executions.get(caseId) ?? '';
      const done = await h.outcome(executionArn);
      expect(done.status).toBe('SUCCEEDED');
      expect(done.output).toMatchObject({ filed: { filedBy: 'v1' } });
      expect(stateNames(done.events)).toEqual(['Decide', 'FileV1']);
      const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described).toMatchObject({
        stateMachineVersionArn: v1.stateMachineVersionArn,
        stateMachineAliasArn: alias.stateMachineAliasArn,
      });
      const ran = await h.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
      expect(JSON.parse(ran.definition ?? '')).toEqual(definitionV1());
    }
    const newCase = await h.outcome(fresh.executionArn ?? '');
    expect(newCase.output).toMatchObject({ notified: { notifiedBy: 'v2' }, filed: { filedBy: 'v2' } });
    expect(stateNames(newCase.events)).toEqual(['Decide', 'Notify', 'FileV2']);
    expect(calls.filter((c) => c.startsWith('v2:') && c !== 'v2:open:case-new')).toEqual(['v2:notify', 'v2:file']);
    expect(calls.filter((c) => c === 'v1:file')).toHaveLength(20);

    const versions = await h.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn }));
    expect(versions.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([
      `${stateMachineArn}:2`,
      `${stateMachineArn}:1`,
    ]);
    const aliasNow = await h.sfn.send(
      new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }),
    );
    expect(aliasNow).toMatchObject({
      name: 'live',
      routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:2`, weight: 100 }],
    });
  });
});

describe('a restart re-drives an execution on the definition it started with', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('pinned-definition-restart: the definition registered after the restart does not change a waiting execution', async () => {
    const time = pinnedTime();
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const engine = () => new LocalStepFunctions({ dynamo: dynamo.client, tableName: 'pinned', time, logger: quiet });
    const calls: string[] = [];
    const tokens = new Map<string, string>();

    const first = engine();
    await first.createTableIfMissing();
    const arn = first.registerStateMachine({
      name: 'pinned',
      definition: definitionV1(),
      substitutions: {},
      handlers: handlersOf('v1', calls, tokens),
    });
    const { executionArn } = await first.startExecution({ stateMachineArn: arn, input: '{"caseId":"p1"}' });
    await eventually(async () => tokens.get('p1'), 60_000, 'task opened');
    await first.close();

    tokens.clear();
    const second = engine();
    second.registerStateMachine({
      name: 'pinned',
      definition: definitionV2(),
      substitutions: {},
      handlers: handlersOf('v2', calls, tokens),
    });
    expect(await second.redrive()).toEqual([executionArn]);
    const token = await eventually(async () => tokens.get('p1'), 60_000, 'task reopened');
    await second.sendTaskSuccess({ taskToken: token, output: '{}' });
    const result = await second.waitForExecution(executionArn);
    const events = (await second.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
    const ran = await second.describeStateMachineForExecution({ executionArn });
    await second.close();

    expect(result.status).toBe('SUCCEEDED');
    expect(stateNames(events)).toEqual(['Decide', 'FileV1']);
    expect(JSON.parse(ran.definition ?? '')).toEqual(definitionV1());
  });
});

describe('a restart after a redrive', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('redrive-then-restart: a redriven execution waiting on a callback resumes after a restart without re-running any step', async () => {
    const time = pinnedTime();
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const engine = () =>
      new LocalStepFunctions({ dynamo: dynamo.client, tableName: 'redrive-restart', time, logger: quiet });
    const calls: string[] = [];
    const tokens: string[] = [];
    const handlers: Record<string, TaskHandler> = {
      [fn('receive')]: async () => {
        calls.push('receive');
        return { received: true };
      },
      [fn('file')]: async () => {
        calls.push('file');
        if (calls.filter((c) => c === 'file').length === 1) {
          const e = new Error('agency down');
          e.name = 'Agency.Unavailable';
          throw e;
        }
        return { filed: true };
      },
      [fn('open')]: async (event) => {
        calls.push('open');
        tokens.push((event as { token: string }).token);
        return {};
      },
    };
    const definition = {
      StartAt: 'Receive',
      States: {
        Receive: { Type: 'Task', Resource: fn('receive'), ResultPath: '$.r', Next: 'File' },
        File: { Type: 'Task', Resource: fn('file'), ResultPath: '$.f', Next: 'Decide' },
        Decide: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: fn('open'), Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 3600,
          ResultPath: '$.d',
          End: true,
        },
      },
    };
    const first = engine();
    await first.createTableIfMissing();
    const arn = first.registerStateMachine({ name: 'rr', definition, substitutions: {}, handlers });
    const { executionArn } = await first.startExecution({ stateMachineArn: arn, input: '{}' });
    expect((await first.waitForExecution(executionArn)).status).toBe('FAILED');
    await first.redriveExecution({ executionArn });
    await eventually(async () => tokens[0], 60_000, 'task opened after the redrive');
    await first.close();

    const second = engine();
    second.registerStateMachine({ name: 'rr', definition, substitutions: {}, handlers });
    expect(await second.redrive()).toEqual([executionArn]);
    const token = await eventually(async () => tokens[1], 60_000, 'task reopened after the restart');
    await second.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const result = await second.waitForExecution(executionArn);
    const events = (await second.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
    await second.close();

    expect(result).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(JSON.parse(result.output ?? '')).toEqual({
      r: { received: true },
      f: { filed: true },
      d: { approved: true },
    });
    expect(calls).toEqual(['receive', 'file', 'file', 'open', 'open']);
    expect(events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });
});

describe('revision ids as AWS reports them', () => {
  it("revision-first-null: a new machine's first revision has no revisionId (AWS: null on create); an update has one", async () => {
    const handlers = handlersOf('v1', [], new Map());
    const stateMachineArn = h.engine.registerStateMachine({
      name: 'revisions',
      definition: definitionV1(),
      substitutions: {},
      handlers,
    });
    const first = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(first.revisionId).toBeUndefined();
    h.engine.registerStateMachine({ name: 'revisions', definition: definitionV2(), substitutions: {}, handlers });
    const second = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(second.revisionId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('validate-definition: OK for a valid definition, FAIL with diagnostics for a broken one', async () => {
    const ok = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(definitionV1()), type: 'STANDARD' }),
    );
    const broken = await h.sfn.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } }),
      }),
    );
    const notJson = await h.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":' }));

    expect(ok).toMatchObject({ result: 'OK', diagnostics: [] });
    expect(broken.result).toBe('FAIL');
    expect(broken.diagnostics).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET' })]),
    );
    expect(notJson).toMatchObject({ result: 'FAIL', diagnostics: [expect.objectContaining({ severity: 'ERROR' })] });
  });
});
