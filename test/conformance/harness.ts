/**
 * The conformance harness: the real engine (`infra/local/sfn`) on in-memory dynalite, on virtual time, behind its
 * AWS JSON 1.0 endpoint, driven as a user of the SDK drives it (`@aws-sdk/client-sfn`). Handlers stand in for the
 * Lambda functions a case names.
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LocalStepFunctions, type TaskHandler } from '../../infra/local/sfn/engine.js';
import { type LocalDynamo, startLocalDynamo } from '../../infra/local/sfn/localDynamo.js';
import { type SfnServer, startSfnServer } from '../../infra/local/sfn/server.js';
import type { VirtualTime } from '../../infra/local/sfn/time.js';
import { eventually } from '../support/api.js';
import { pinnedTime } from '../support/time.js';

export const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** A Lambda-style error: `name` is the errorType Step Functions matches in Retry/Catch. */
export function lambdaError(errorType: string, message: string): Error {
  const e = new Error(message);
  e.name = errorType;
  return e;
}

export interface Outcome {
  executionArn: string;
  status: string;
  output: unknown;
  error: string | undefined;
  cause: string | undefined;
  events: HistoryEvent[];
  /** Event types in order, state events with their state name: `TaskStateEntered:Name`. */
  types: string[];
}

const detailsOf = (e: HistoryEvent): Record<string, unknown> | undefined => {
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails') && v) return v as Record<string, unknown>;
  return undefined;
};

export const typeOf = (e: HistoryEvent): string => {
  const name = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  return name ? `${e.type}:${name}` : String(e.type);
};

export const details = detailsOf;

export class Harness {
  readonly time: VirtualTime;
  readonly engine: LocalStepFunctions;
  readonly sfn: SFNClient;
  private count = 0;

  private constructor(
    private readonly dynamo: LocalDynamo,
    private readonly server: SfnServer,
    engine: LocalStepFunctions,
    time: VirtualTime,
  ) {
    this.engine = engine;
    this.time = time;
    this.sfn = new SFNClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  /** The endpoint's URL (for the AWS CLI's `--endpoint-url`). */
  get url(): string {
    return this.server.url;
  }

  static async start(): Promise<Harness> {
    const dynamo = await startLocalDynamo();
    const time = pinnedTime();
    const engine = new LocalStepFunctions({
      dynamo: dynamo.client,
      tableName: 'conformance',
      time,
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    await engine.createTableIfMissing();
    const server = await startSfnServer({ engine, port: 0 });
    return new Harness(dynamo, server, engine, time);
  }

  async stop(): Promise<void> {
    this.sfn.destroy();
    await this.engine.close();
    await this.server.close();
    await this.dynamo.close();
  }

  /** Registers the definition under a fresh name (handlers keyed by function ARN) and starts one execution. */
  async start(
    definition: object,
    input: unknown = {},
    handlers: Record<string, TaskHandler> = {},
    overrides?: { retryIntervalOverrides?: Record<string, number> },
  ): Promise<string> {
    const name = `case-${++this.count}`;
    const stateMachineArn = this.engine.registerStateMachine({
      name,
      definition,
      substitutions: {},
      handlers,
      ...(overrides ? { overrides } : {}),
    });
    const { executionArn } = await this.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run', input: JSON.stringify(input) }),
    );
    return executionArn!;
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** Waits (polling, no upper bound but jest's) until the history has an event of this type; returns it. */
  async waitForEvent(executionArn: string, type: string, nth = 1): Promise<HistoryEvent> {
    return eventually(
      async () => (await this.history(executionArn)).filter((e) => e.type === type)[nth - 1],
      120_000,
      `${type} #${nth} in ${executionArn}`,
    );
  }

  async outcome(executionArn: string): Promise<Outcome> {
    const d = await eventually(
      async () => {
        const r = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
        return r.status === 'RUNNING' ? undefined : r;
      },
      120_000,
      `${executionArn} to close`,
    );
    const events = await this.history(executionArn);
    return {
      executionArn,
      status: String(d.status),
      output: d.output === undefined ? undefined : JSON.parse(d.output),
      error: d.error,
      cause: d.cause,
      events,
      types: events.map(typeOf),
    };
  }

  async run(
    definition: object,
    input: unknown = {},
    handlers: Record<string, TaskHandler> = {},
    overrides?: { retryIntervalOverrides?: Record<string, number> },
  ): Promise<Outcome> {
    return this.outcome(await this.start(definition, input, handlers, overrides));
  }

  sendSuccess(taskToken: string, output: unknown) {
    return this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }
  sendFailure(taskToken: string, error?: string, cause?: string) {
    return this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  }
  sendHeartbeat(taskToken: string) {
    return this.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
  }
  stopExecution(executionArn: string, error?: string, cause?: string) {
    return this.sfn.send(new StopExecutionCommand({ executionArn, error, cause }));
  }
}

/** The error code an SDK call is rejected with (`TaskTimedOut`, `InvalidToken`, ...), or 'OK'. */
export async function errorCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    return (error as Error).name;
  }
}

/** A one-state machine: a Pass state with the given fields. */
export const passMachine = (fields: Record<string, unknown>) => ({
  StartAt: 'P',
  States: { P: { Type: 'Pass', ...fields, End: true } },
});

/** A callback task that hands the token to a recorder, then Done/Caught Pass states. */
export function callbackMachine(task: Record<string, unknown> = {}, catchers: unknown[] = []) {
  return {
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: fn('open'), Payload: { 'token.$': '$$.Task.Token', 'in.$': '$' } },
        ...task,
        ...(catchers.length ? { Catch: catchers } : {}),
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true } as Record<string, unknown>,
      ...(catchers.length ? { Caught: { Type: 'Pass', End: true } } : {}),
    },
  };
}

/** A handler that records the tokens it is given. */
export function tokenRecorder() {
  const tokens: string[] = [];
  return {
    tokens,
    handler: (async (event: unknown) => {
      tokens.push((event as { token: string }).token);
      return { sent: true };
    }) as TaskHandler,
    next: (n = 1) => eventually(async () => tokens[n - 1], 120_000, `token #${n}`),
  };
}
