/**
 * A Step Functions-compatible runtime around aws-local-stepfunctions: the same ASL file and the same handler modules
 * as on AWS, with what the library lacks added here: `.waitForTaskToken` callbacks, AWS-shaped execution history,
 * persistence in DynamoDB and re-drive after a restart. See docs/local-engine.md.
 *
 * Generic: no Lienthong knowledge. Handlers are a map `function ARN or name -> (event) => Promise<result>`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryOutput,
  HistoryEvent,
  HistoryEventType,
  ListExecutionsOutput,
  ListStateMachinesOutput,
} from '@aws-sdk/client-sfn';
import type { RunOptions, StateMachine, StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  fillPlaceholders,
  HIDDEN_HEARTBEAT_KEY,
  HIDDEN_INPUT_KEY,
  HIDDEN_TIMEOUT_KEY,
  type Json,
  type JsonObject,
  MAX_TIMER_SECONDS,
  prepareForLibrary,
  type TaskInfo,
} from './definition.js';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskFailure,
  TaskTimedOut,
  ValidationException,
} from './errors.js';
import { library, NOW_OPTION } from './library.js';
import { type ExecutionRecord, ExecutionStore, type StoredEvent } from './store.js';
import { type EngineTime, realTime } from './time.js';

export type TaskHandler = (event: unknown) => Promise<unknown>;

export interface EngineLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface LocalStepFunctionsOptions {
  /** The engine's own table (executions and their history). */
  dynamo: DynamoDBClient;
  tableName: string;
  /** Used in ARNs; default 'us-east-1'. */
  region?: string;
  /** Used in ARNs; default '000000000000' (what LocalStack and Step Functions Local use). */
  accountId?: string;
  /** Never receives a task token. Default: warnings and errors to the console. */
  logger?: EngineLogger;
  /**
   * Now and the Task timers. Default: the wall clock. A `VirtualTime` makes every task timeout happen when the test
   * (or demo) moves time, not when the machine gets round to it.
   */
  time?: EngineTime;
}

export interface RegisterStateMachineInput {
  name: string;
  /** The ASL as written, `${Placeholders}` not yet filled. */
  definition: object;
  substitutions: Record<string, string>;
  /** Keyed by resolved function ARN or function name. */
  handlers: Record<string, TaskHandler>;
  /** The library's test overrides, in milliseconds, keyed by state name (e.g. `retryIntervalOverrides`). */
  overrides?: Pick<NonNullable<RunOptions['overrides']>, 'retryIntervalOverrides' | 'waitTimeOverrides'> & {
    /**
     * Test and demo knob, in seconds, keyed by Task state name: the task times out after this long whatever its
     * TimeoutSeconds(Path) says, so a deadline path (escalation, a missed supplement window) runs in seconds.
     */
    taskTimeoutOverrides?: Record<string, number>;
  };
}

interface Machine {
  arn: string;
  name: string;
  definition: JsonObject;
  library: StateMachine;
  tasks: Map<string, TaskInfo>;
  handlers: Record<string, TaskHandler>;
  overrides: RegisterStateMachineInput['overrides'];
  creationDate: Date;
}

interface Waiter {
  token: string;
  task: TaskInfo;
  execution: LiveExecution;
  open: boolean;
  /** Restarts the heartbeat timer (HeartbeatSeconds); a no-op for a task without one. */
  heartbeat(): void;
  promise: Promise<Json>;
  resolve(output: Json): void;
  reject(error: Error): void;
}

interface LiveExecution {
  record: ExecutionRecord;
  machine: Machine;
  abort: () => void;
  /** Set by stopExecution/close: the library keeps running the current state for a moment; we ignore it. */
  aborted: boolean;
  done: Promise<void>;
  markDone(): void;
  lastId: number;
  maxId: number;
  /** Persisted events not yet seen again during a re-drive; null once the re-run has gone past them. */
  replay: StoredEvent[] | null;
  writes: Promise<void>;
  /** History events appended but not yet written. */
  pending: StoredEvent[];
  tokens: Set<string>;
  waiters: Set<Waiter>;
  timers: Set<unknown>;
  /** Id of the last `<Type>StateEntered` event of each state name (error causes name it). */
  entered: Map<string, number>;
  /** Parallel and Map states whose failure was recorded: their exit is not a success. */
  failedStates: Set<string>;
}

/** What `$$.Task.Token` evaluates to inside the library; each callback task replaces it with a fresh token. */
const TOKEN_PLACEHOLDER = '__localSfnTaskTokenPlaceholder__';
/** What history shows instead of a token: tokens are bearer secrets. */
export const REDACTED_TOKEN = '<redacted task token>';

/** AWS naming rules for state machines and executions: 1-80 characters, none of these, no control characters. */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
function isValidName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARACTERS.test(name)) return false;
  return [...name].every((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0x1f && (code < 0x7f || code > 0x9f);
  });
}

/** Stops a task after stopExecution/close; neither retried nor caught by the interpreter. */
class ExecutionStopped extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('Execution stopped');
    this.name = 'States.Runtime';
  }
}

const consoleLogger: EngineLogger = {
  debug: () => {},
  info: () => {},
  warn: (message, extra) => console.warn(message, extra ?? ''),
  error: (message, extra) => console.error(message, extra ?? ''),
};

function parseJson(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function replaceDeep(value: Json, from: string, to: string): Json {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(item, from, to));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

/** AWS's limit on a state's input or output, and on a task's result: 256 KiB of UTF-8. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

function errorOf(thrown: unknown): { error: string; cause: string } {
  if (thrown instanceof TaskFailure) return { error: thrown.name, cause: thrown.message };
  // Lambda reports a function error as this JSON document in the Cause, keys in this order (Node runtime: the
  // stack's "at" lines).
  const lambdaCause = (errorType: string, errorMessage: string, stack?: string) =>
    JSON.stringify({
      errorMessage,
      errorType,
      requestId: randomUUID(),
      stackTrace: (stack ?? '')
        .split('\n')
        .slice(1)
        .map((line) => line.trimEnd())
        .filter((line) => line.trim().startsWith('at ')),
    });
  if (thrown instanceof Error)
    return { error: thrown.name, cause: lambdaCause(thrown.name, thrown.message, thrown.stack) };
  return { error: 'Error', cause: lambdaCause('Error', String(thrown)) };
}

/** What Step Functions adds to a `lambda:invoke` result: the SDK's HTTP and response metadata. */
function invokeResult(payload: Json): JsonObject {
  const requestId = randomUUID();
  const length = String(Buffer.byteLength(JSON.stringify(payload)));
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': length,
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** The error of a failure that carried no error/cause (a Fail state without them, SendTaskFailure without them). */
type Unnamed = { lienthongNoError?: boolean; lienthongNoCause?: boolean };

function detailsKey(type: HistoryEventType): keyof HistoryEvent {
  const base = type.replace(/^(Task|Choice|Pass|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited)$/, 'State$2');
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}EventDetails` as keyof HistoryEvent;
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, max = 1000) {
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, max) : max;
  let start = 0;
  if (nextToken) {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw new InvalidToken('Invalid nextToken');
  }
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, nextToken: next };
}

const libraryStateMachine = library.StateMachine;

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly store: ExecutionStore;
  private readonly logger: EngineLogger;
  private readonly machines = new Map<string, Machine>();
  private readonly live = new Map<string, LiveExecution>();
  private readonly waiters = new Map<string, Waiter>();
  private closed = false;
  private readonly time: EngineTime;

  constructor(options: LocalStepFunctionsOptions) {
    this.time = options.time ?? realTime();
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.store = new ExecutionStore(options.dynamo, options.tableName);
    this.logger = options.logger ?? consoleLogger;
  }

  createTableIfMissing(): Promise<void> {
    return this.store.createTableIfMissing();
  }

  registerStateMachine(input: RegisterStateMachineInput): string {
    if (!isValidName(input.name)) throw new InvalidName(`Invalid state machine name: ${input.name}`);
    const definition = fillPlaceholders(input.definition as Json, input.substitutions);
    if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
      throw new InvalidDefinition('Definition must be an object');
    }
    const prepared = prepareForLibrary(definition);
    let library: StateMachine;
    try {
      library = new libraryStateMachine(prepared.definition as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false },
      });
    } catch (error) {
      throw new InvalidDefinition((error as Error).message);
    }
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${input.name}`;
    this.machines.set(arn, {
      arn,
      name: input.name,
      definition,
      library,
      tasks: prepared.tasks,
      handlers: input.handlers,
      overrides: input.overrides,
      creationDate: this.machines.get(arn)?.creationDate ?? this.time.now(),
    });
    return arn;
  }

  listStateMachines(
    input: { maxResults?: number; nextToken?: string } = {},
  ): ListStateMachinesOutput & { stateMachines: NonNullable<ListStateMachinesOutput['stateMachines']> } {
    const all = [...this.machines.values()].map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: 'STANDARD' as const,
      creationDate: m.creationDate,
    }));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return { stateMachines: page, ...(nextToken ? { nextToken } : {}) };
  }

  describeStateMachine(input: { stateMachineArn: string }): DescribeStateMachineOutput {
    const m = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: JSON.stringify(m.definition),
      roleArn: this.roleArn(),
      type: 'STANDARD',
      creationDate: m.creationDate,
    };
  }

  /**
   * Idempotent as on AWS (Standard): the same name and input as a RUNNING execution returns that execution; a closed
   * one, or a different input, is `ExecutionAlreadyExists`.
   */
  async startExecution(input: { stateMachineArn: string; name?: string; input?: string }): Promise<{
    executionArn: string;
    startDate: Date;
  }> {
    this.assertOpen();
    const machine = this.machine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    if (!isValidName(name)) throw new InvalidName(`Invalid execution name: ${name}`);
    const inputText = input.input ?? '{}';
    if (parseJson(inputText) === undefined) throw new InvalidExecutionInput('Input is not valid JSON');
    const record: ExecutionRecord = {
      executionArn: this.executionArn(machine.name, name),
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: this.time.now(),
    };
    if (!(await this.store.createExecution(record))) {
      const existing = this.live.get(record.executionArn)?.record ?? (await this.store.getExecution(machine.arn, name));
      if (existing && existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: existing.executionArn, startDate: existing.startDate };
      }
      throw new ExecutionAlreadyExists(`Execution already exists: '${record.executionArn}'`);
    }
    this.run(machine, record, null);
    return { executionArn: record.executionArn, startDate: record.startDate };
  }

  async describeExecution(input: { executionArn: string }): Promise<DescribeExecutionOutput> {
    const r = await this.record(input.executionArn);
    return {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: r.startDate,
      input: r.input,
      inputDetails: { included: true },
      ...(r.stopDate ? { stopDate: r.stopDate } : {}),
      ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
    };
  }

  async listExecutions(input: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): Promise<ListExecutionsOutput & { executions: ExecutionListItem[] }> {
    const machine = this.machine(input.stateMachineArn);
    const records = (await this.store.listExecutions(machine.arn))
      .map((r) => this.live.get(r.executionArn)?.record ?? r)
      .filter((r) => !input.statusFilter || r.status === input.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const { page, nextToken } = paginate(records, input.maxResults, input.nextToken);
    const executions: ExecutionListItem[] = page.map((r) => ({
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: r.startDate,
      ...(r.stopDate ? { stopDate: r.stopDate } : {}),
    }));
    return { executions, ...(nextToken ? { nextToken } : {}) };
  }

  async getExecutionHistory(input: {
    executionArn: string;
    reverseOrder?: boolean;
    maxResults?: number;
    nextToken?: string;
    includeExecutionData?: boolean;
  }): Promise<GetExecutionHistoryOutput & { events: HistoryEvent[] }> {
    await this.record(input.executionArn);
    await this.live.get(input.executionArn)?.writes;
    let events = (await this.store.listEvents(input.executionArn)).map((s) => s.event);
    if (input.reverseOrder) events = events.reverse();
    if (input.includeExecutionData === false) events = events.map(withoutData);
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  async stopExecution(input: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const live = this.live.get(input.executionArn);
    if (live && live.record.status === 'RUNNING') {
      this.finish(live, 'ABORTED', {
        ...(input.error !== undefined ? { error: input.error } : {}),
        ...(input.cause !== undefined ? { cause: input.cause } : {}),
      });
      this.halt(live);
      await live.writes;
      return { stopDate: live.record.stopDate ?? this.time.now() };
    }
    const record = await this.record(input.executionArn);
    if (record.status === 'RUNNING') {
      // Running in the table but not in this process (its state machine is not registered here).
      Object.assign(record, { status: 'ABORTED', stopDate: this.time.now(), error: input.error, cause: input.cause });
      await this.store.saveExecution(record);
    }
    return { stopDate: record.stopDate ?? this.time.now() };
  }

  sendTaskSuccess(input: { taskToken: string; output: string }): Promise<Record<string, never>> {
    const output = parseJson(input.output ?? '');
    if (output === undefined) return Promise.reject(new InvalidOutput('Output is not valid JSON'));
    return this.answer(input.taskToken, true, (w) => w.resolve(output));
  }

  sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): Promise<Record<string, never>> {
    return this.answer(input.taskToken, true, (w) => {
      const failure: TaskFailure & Unnamed = new TaskFailure(input.error ?? '', input.cause ?? '');
      failure.lienthongNoError = input.error === undefined;
      failure.lienthongNoCause = input.cause === undefined;
      w.reject(failure);
    });
  }

  sendTaskHeartbeat(input: { taskToken: string }): Promise<Record<string, never>> {
    return this.answer(input.taskToken, false, (w) => w.heartbeat());
  }

  /** For tests and scripts: resolves with the description once the execution has left RUNNING. */
  async waitForExecution(executionArn: string, options: { timeoutMs?: number } = {}): Promise<DescribeExecutionOutput> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const live = this.live.get(executionArn);
    if (live) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Execution still RUNNING after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([live.done, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return this.describeExecution({ executionArn });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const description = await this.describeExecution({ executionArn });
      if (description.status !== 'RUNNING') return description;
      if (Date.now() > deadline) throw new Error(`Execution still RUNNING after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Starts again, from the beginning and with its recorded input, every execution the table shows as RUNNING for a
   * registered state machine. Handlers are idempotent, so the re-run walks back to where it was; history events that
   * match the recorded ones are not written again. Tokens minted before the restart are dead; the re-run mints new
   * ones. Returns the ARNs re-driven.
   */
  async redrive(): Promise<string[]> {
    this.assertOpen();
    const redriven: string[] = [];
    for (const machine of this.machines.values()) {
      for (const record of await this.store.listExecutions(machine.arn)) {
        if (record.status !== 'RUNNING' || this.live.has(record.executionArn)) continue;
        const events = await this.store.listEvents(record.executionArn);
        this.run(machine, record, events);
        redriven.push(record.executionArn);
      }
    }
    if (redriven.length) this.logger.info('Re-driven running executions', { count: redriven.length });
    return redriven;
  }

  /** Aborts every running execution without marking it stopped (a restart re-drives it) and waits for the writes. */
  async close(): Promise<void> {
    this.closed = true;
    const executions = [...this.live.values()];
    for (const execution of executions) this.halt(execution);
    await Promise.all(executions.map((e) => e.writes));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private run(machine: Machine, record: ExecutionRecord, replay: StoredEvent[] | null): void {
    let markDone = () => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const maxId = replay?.reduce((max, s) => Math.max(max, s.event.id ?? 0), 0) ?? 0;
    const execution: LiveExecution = {
      record,
      machine,
      abort: () => {},
      aborted: false,
      done,
      markDone,
      lastId: 0,
      maxId,
      replay: replay && replay.length > 0 ? [...replay] : null,
      writes: Promise.resolve(),
      pending: [],
      tokens: new Set(),
      waiters: new Set(),
      timers: new Set(),
      entered: new Map(),
      failedStates: new Set(),
    };
    this.live.set(record.executionArn, execution);

    const overrides: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, info] of machine.tasks) {
      overrides[stateName] = (input) => this.runTask(execution, info, input);
    }
    const runOptions: RunOptions & { [NOW_OPTION]: () => Date } = {
      noThrowOnAbort: true,
      overrides: {
        ...(machine.overrides?.retryIntervalOverrides
          ? { retryIntervalOverrides: machine.overrides.retryIntervalOverrides }
          : {}),
        ...(machine.overrides?.waitTimeOverrides ? { waitTimeOverrides: machine.overrides.waitTimeOverrides } : {}),
        taskResourceLocalHandlers: overrides,
      },
      // Read by the patched library for $$.State.EnteredTime.
      [NOW_OPTION]: () => this.time.now(),
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          Input: JSON.parse(record.input) as Json,
          StartTime: record.startDate.toISOString(),
          RoleArn: this.roleArn(),
          RedriveCount: 0,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    };
    const run = machine.library.run(JSON.parse(record.input) as Json, runOptions);
    execution.abort = run.abort;
    void this.consume(execution, run.eventLogs);
    // Attached at once: an unobserved rejection would crash the process.
    run.result.then(
      async (output) => {
        await new Promise((resolve) => setImmediate(resolve)); // let the event consumer catch up first
        if (execution.aborted) return;
        this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) });
      },
      async (thrown: unknown) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (execution.aborted) return;
        if (thrown instanceof Error && thrown.name === 'ExecutionTimeoutError') {
          this.finish(execution, 'TIMED_OUT', { error: 'States.Timeout' });
          return;
        }
        const inner = thrown instanceof Error && thrown.cause instanceof Error ? thrown.cause : thrown;
        const unnamed = (inner ?? {}) as Unnamed;
        const error = unnamed.lienthongNoError ? undefined : inner instanceof Error ? inner.name : 'States.Runtime';
        let cause = unnamed.lienthongNoCause ? undefined : inner instanceof Error ? inner.message : String(inner);
        // A timeout has no cause on AWS.
        if (inner instanceof library.StatesTimeoutError) cause = undefined;
        // "entered at the event id #N": the library does not know event ids.
        cause = cause?.replace(/'([^']+)' \(entered at the event id #\{entered\}\)/, (all, state: string) => {
          const id = execution.entered.get(state);
          return id === undefined ? all : `'${state}' (entered at the event id #${id})`;
        });
        this.finish(execution, 'FAILED', {
          ...(error !== undefined ? { error } : {}),
          ...(cause !== undefined ? { cause } : {}),
        });
      },
    );
  }

  /** Turns the library's events into AWS history events, in the order they happened. */
  private async consume(execution: LiveExecution, events: AsyncIterable<unknown>): Promise<void> {
    for await (const raw of events) {
      const event = raw as LibraryEvent;
      if (execution.aborted || execution.record.status !== 'RUNNING') continue;
      switch (event.type) {
        case 'ExecutionStarted':
          this.append(execution, 'ExecutionStarted', {
            executionStartedEventDetails: {
              input: execution.record.input,
              inputDetails: { truncated: false },
              roleArn: this.roleArn(),
            },
          });
          break;
        case 'StateEntered': {
          const { name, type, input } = event.state;
          this.append(
            execution,
            `${type}StateEntered` as HistoryEventType,
            { stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: { truncated: false } } },
            name,
          );
          if (type === 'Parallel') this.append(execution, 'ParallelStateStarted', {}, name);
          if (type === 'Map') {
            const length = mapLength(execution.machine.definition, name, input as Json);
            this.append(execution, 'MapStateStarted', { mapStateStartedEventDetails: { length } }, name);
          }
          break;
        }
        case 'MapIterationStarted':
        case 'MapIterationSucceeded':
        case 'MapIterationFailed': {
          const mapName = event.parentState?.name ?? '';
          const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
          this.append(
            execution,
            event.type as HistoryEventType,
            { [key]: { name: mapName, index: event.index ?? 0 } },
            mapName,
          );
          break;
        }
        case 'StateExited': {
          const { name, type, output } = event.state;
          // A Parallel or Map whose failure was caught exits without a success event.
          const failed = execution.failedStates.delete(name);
          if (type === 'Parallel' && !failed) this.append(execution, 'ParallelStateSucceeded', {}, name);
          if (type === 'Map' && !failed) this.append(execution, 'MapStateSucceeded', {}, name);
          this.append(
            execution,
            `${type}StateExited` as HistoryEventType,
            {
              stateExitedEventDetails: {
                name,
                output: JSON.stringify(output ?? null),
                outputDetails: { truncated: false },
              },
            },
            name,
          );
          break;
        }
        case 'StateRetried':
          // Retried: a Map starts its iterations again; neither is failed any more.
          execution.failedStates.delete(event.state.name);
          if (event.state.type === 'Map') {
            const length = mapLength(execution.machine.definition, event.state.name, event.state.input as Json);
            this.append(execution, 'MapStateStarted', { mapStateStartedEventDetails: { length } }, event.state.name);
          }
          break;
        case 'StateFailed':
          if (event.state.type === 'Map') {
            execution.failedStates.add(event.state.name);
            this.append(execution, 'MapStateFailed', {}, event.state.name);
          }
          if (event.state.type === 'Parallel') {
            execution.failedStates.add(event.state.name);
            this.append(execution, 'ParallelStateFailed', {}, event.state.name);
            // The library aborts the other branches without telling their tasks: their tokens must die here.
            for (const waiter of [...execution.waiters]) {
              if (!waiter.task.parallelAncestors.includes(event.state.name)) continue;
              this.closeWaiter(waiter);
              waiter.reject(new ExecutionStopped());
            }
          }
          break;
        default:
          break;
      }
    }
  }

  private async runTask(execution: LiveExecution, info: TaskInfo, effective: Json): Promise<Json> {
    if (execution.aborted) throw new ExecutionStopped();
    // Synchronous on purpose: the library reads the hidden timeout from this same object right after this call
    // returns its promise, so what is written here is the timeout it applies.
    const hidden = (effective ?? {}) as JsonObject;
    const requested = typeof hidden[HIDDEN_TIMEOUT_KEY] === 'number' ? hidden[HIDDEN_TIMEOUT_KEY] : MAX_TIMER_SECONDS;
    let timeoutSeconds = requested;
    // Re-drive: the task was scheduled before the restart, so only the time left of its timeout remains.
    const scheduledType = info.kind === 'lambda' ? 'LambdaFunctionScheduled' : 'TaskScheduled';
    const scheduledBefore = execution.replay?.find((s) => s.matchKey === `${scheduledType}|${info.stateName}`);
    if (scheduledBefore?.event.timestamp) {
      const waited = (this.time.now().getTime() - scheduledBefore.event.timestamp.getTime()) / 1000;
      timeoutSeconds = Math.max(1, Math.ceil(requested - waited));
    }
    const forced = execution.machine.overrides?.taskTimeoutOverrides?.[info.stateName];
    if (forced !== undefined) timeoutSeconds = Math.max(1, Math.ceil(forced));
    if (timeoutSeconds > MAX_TIMER_SECONDS) {
      this.logger.warn('Task timeout above the timer limit, clamped', { state: info.stateName, requested });
      timeoutSeconds = MAX_TIMER_SECONDS;
    }
    // The engine's timer, not the library's, ends the task: the library's is pushed to the longest Node can hold, so
    // the engine's time source (real, or virtual in tests) alone decides when a task times out.
    if (typeof hidden[HIDDEN_TIMEOUT_KEY] === 'number') hidden[HIDDEN_TIMEOUT_KEY] = MAX_TIMER_SECONDS;
    const heartbeatValue = hidden[HIDDEN_HEARTBEAT_KEY];
    const heartbeatSeconds =
      typeof heartbeatValue === 'number' && heartbeatValue > 0
        ? Math.min(heartbeatValue, MAX_TIMER_SECONDS)
        : undefined;
    const { [HIDDEN_TIMEOUT_KEY]: _hidden, [HIDDEN_HEARTBEAT_KEY]: _heartbeat, ...rest } = hidden;
    const input: Json = info.wrappedInput ? (hidden[HIDDEN_INPUT_KEY] ?? null) : rest;
    let timedOut = false;
    let onTimeout = () => {};
    let rejectTimeout: (error: Error) => void = () => {};
    const timeout = new Promise<never>((_, reject) => {
      rejectTimeout = reject;
    });
    timeout.catch(() => {}); // observed by the race below, unless the task settled first
    // Both the task's timeout and its heartbeat timeout end it as AWS does: `States.Timeout`, no cause (the library's
    // own timeout error, so `States.TaskFailed` does not catch it).
    let heartbeatTimer: unknown;
    const stopTimer = () => {
      for (const t of [timer, heartbeatTimer]) {
        if (t === undefined) continue;
        this.time.clearTimer(t);
        execution.timers.delete(t);
      }
    };
    const expire = () => {
      if (timedOut) return;
      timedOut = true;
      stopTimer();
      onTimeout();
      rejectTimeout(new library.StatesTimeoutError());
    };
    const timer: unknown = this.time.setTimer(expire, timeoutSeconds * 1000);
    execution.timers.add(timer);
    const heartbeat = () => {
      if (heartbeatSeconds === undefined || timedOut) return;
      if (heartbeatTimer !== undefined) {
        this.time.clearTimer(heartbeatTimer);
        execution.timers.delete(heartbeatTimer);
      }
      heartbeatTimer = this.time.setTimer(expire, heartbeatSeconds * 1000);
      execution.timers.add(heartbeatTimer);
    };
    heartbeat();

    // The library records StateEntered before calling us, but its event stream is read asynchronously: yield once
    // so that event is in the history before the task's own events.
    await new Promise((resolve) => setImmediate(resolve));
    if (execution.aborted) {
      stopTimer();
      throw new ExecutionStopped();
    }
    if (timedOut) throw new library.StatesTimeoutError();
    const setOnTimeout = (f: () => void) => {
      onTimeout = f;
    };
    let result: Json;
    try {
      const task =
        info.kind === 'callback'
          ? this.runCallbackTask(execution, info, input, timeoutSeconds, setOnTimeout, { heartbeatSeconds, heartbeat })
          : this.runLambdaTask(execution, info, input, timeoutSeconds, setOnTimeout);
      task.catch(() => {}); // a handler still running when the task timed out settles unobserved
      result = await Promise.race([task, timeout]);
    } finally {
      stopTimer();
    }
    if (Buffer.byteLength(JSON.stringify(result ?? null)) > PAYLOAD_LIMIT_BYTES) {
      throw new TaskFailure(
        'States.DataLimitExceeded',
        `The state/task '${info.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    return result;
  }

  private async runLambdaTask(
    execution: LiveExecution,
    info: TaskInfo,
    input: Json,
    timeoutSeconds: number,
    onTimeout: (f: () => void) => void,
  ): Promise<Json> {
    const name = info.stateName;
    const invoke = info.kind === 'lambdaInvoke';
    const functionName = invoke ? String((input as JsonObject | null)?.FunctionName ?? '') : info.resource;
    const payload = invoke ? ((input as JsonObject | null)?.Payload ?? null) : input;
    const handler = this.handler(execution.machine, functionName);
    let timedOut = false;
    if (invoke) {
      const resource = { resourceType: 'lambda', resource: 'invoke' };
      this.append(
        execution,
        'TaskScheduled',
        {
          taskScheduledEventDetails: {
            ...resource,
            region: this.region,
            parameters: JSON.stringify(input),
            timeoutInSeconds: timeoutSeconds,
          },
        },
        name,
      );
      this.append(execution, 'TaskStarted', { taskStartedEventDetails: resource }, name);
      onTimeout(() => {
        timedOut = true;
        this.append(
          execution,
          'TaskTimedOut',
          { taskTimedOutEventDetails: { ...resource, error: 'States.Timeout' } },
          name,
        );
      });
      try {
        const result = (await handler(payload)) as Json;
        const output: Json = invokeResult(result ?? null);
        if (!timedOut) this.appendTaskSucceeded(execution, resource, output, name);
        return output;
      } catch (thrown) {
        const { error, cause } = errorOf(thrown);
        if (!timedOut)
          this.append(execution, 'TaskFailed', { taskFailedEventDetails: { ...resource, error, cause } }, name);
        throw new TaskFailure(error, cause);
      }
    }
    this.append(
      execution,
      'LambdaFunctionScheduled',
      {
        lambdaFunctionScheduledEventDetails: {
          resource: info.resource,
          input: JSON.stringify(input),
          inputDetails: { truncated: false },
          timeoutInSeconds: timeoutSeconds,
        },
      },
      name,
    );
    this.append(execution, 'LambdaFunctionStarted', {}, name);
    onTimeout(() => {
      timedOut = true;
      this.append(
        execution,
        'LambdaFunctionTimedOut',
        { lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout' } },
        name,
      );
    });
    try {
      const result = ((await handler(input)) ?? null) as Json;
      if (!timedOut) {
        this.append(
          execution,
          'LambdaFunctionSucceeded',
          {
            lambdaFunctionSucceededEventDetails: {
              output: JSON.stringify(result),
              outputDetails: { truncated: false },
            },
          },
          name,
        );
      }
      return result;
    } catch (thrown) {
      const { error, cause } = errorOf(thrown);
      if (!timedOut) {
        this.append(execution, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { error, cause } }, name);
      }
      throw new TaskFailure(error, cause);
    }
  }

  private async runCallbackTask(
    execution: LiveExecution,
    info: TaskInfo,
    input: Json,
    timeoutSeconds: number,
    onTimeout: (f: () => void) => void,
    beat: { heartbeatSeconds: number | undefined; heartbeat: () => void },
  ): Promise<Json> {
    const name = info.stateName;
    const resource = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    const parameters = (input ?? {}) as JsonObject;
    const handler = this.handler(execution.machine, String(parameters.FunctionName ?? ''));

    // Registered before the handler runs: a handler may answer its own task (SendTaskSuccess) during its invocation.
    const waiter = this.mintWaiter(execution, info, beat.heartbeat);
    const payload = replaceDeep(parameters.Payload ?? null, TOKEN_PLACEHOLDER, waiter.token);
    this.append(
      execution,
      'TaskScheduled',
      {
        taskScheduledEventDetails: {
          ...resource,
          region: this.region,
          parameters: JSON.stringify(replaceDeep(parameters, TOKEN_PLACEHOLDER, REDACTED_TOKEN)),
          timeoutInSeconds: timeoutSeconds,
          ...(beat.heartbeatSeconds !== undefined ? { heartbeatInSeconds: beat.heartbeatSeconds } : {}),
        },
      },
      name,
    );
    this.append(execution, 'TaskStarted', { taskStartedEventDetails: resource }, name);
    let timedOut = false;
    onTimeout(() => {
      timedOut = true;
      this.closeWaiter(waiter);
      this.append(
        execution,
        'TaskTimedOut',
        { taskTimedOutEventDetails: { ...resource, error: 'States.Timeout' } },
        name,
      );
      // The task itself has already failed with States.Timeout (runTask); this only releases the pending promise.
      waiter.reject(new ExecutionStopped());
    });

    let invocation: unknown;
    try {
      invocation = await handler(payload);
    } catch (thrown) {
      this.closeWaiter(waiter);
      const { error, cause } = errorOf(thrown);
      if (!timedOut)
        this.append(execution, 'TaskFailed', { taskFailedEventDetails: { ...resource, error, cause } }, name);
      throw new TaskFailure(error, cause);
    }
    if (timedOut || execution.aborted) throw new ExecutionStopped();
    this.append(
      execution,
      'TaskSubmitted',
      {
        taskSubmittedEventDetails: {
          ...resource,
          output: JSON.stringify(invokeResult((invocation ?? null) as Json)),
          outputDetails: { truncated: false },
        },
      },
      name,
    );
    try {
      const output = await waiter.promise;
      this.appendTaskSucceeded(execution, resource, output, name);
      return output;
    } catch (thrown) {
      if (thrown instanceof TaskFailure) {
        const unnamed = thrown as TaskFailure & Unnamed;
        this.append(
          execution,
          'TaskFailed',
          {
            taskFailedEventDetails: {
              ...resource,
              ...(unnamed.lienthongNoError ? {} : { error: thrown.name }),
              ...(unnamed.lienthongNoCause ? {} : { cause: thrown.message }),
            },
          },
          name,
        );
      }
      throw thrown;
    }
  }

  private mintWaiter(execution: LiveExecution, task: TaskInfo, heartbeat: () => void): Waiter {
    // Random part for secrecy; the execution ARN after the dot routes a token whose waiter is gone (restart, timeout).
    const token = `${randomBytes(32).toString('base64url')}.${Buffer.from(execution.record.executionArn).toString('base64url')}`;
    let resolve: (output: Json) => void = () => {};
    let reject: (error: Error) => void = () => {};
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {}); // rejected on timeout/stop when nobody awaits it any more
    const waiter: Waiter = { token, task, execution, open: true, heartbeat, promise, resolve, reject };
    this.waiters.set(token, waiter);
    execution.waiters.add(waiter);
    execution.tokens.add(token);
    return waiter;
  }

  private closeWaiter(waiter: Waiter): void {
    waiter.open = false;
    this.waiters.delete(waiter.token);
    waiter.execution.waiters.delete(waiter);
  }

  private async answer(token: string, closes: boolean, act: (waiter: Waiter) => void): Promise<Record<string, never>> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
      throw new InvalidToken('Invalid token');
    }
    const waiter = this.waiters.get(token);
    if (waiter?.open) {
      if (closes) this.closeWaiter(waiter);
      act(waiter);
      return {};
    }
    const [secret, route] = token.split('.');
    if (!secret || !route || Buffer.from(secret, 'base64url').length !== 32) throw new InvalidToken('Invalid token');
    const executionArn = Buffer.from(route, 'base64url').toString('utf8');
    const parsed = this.parseExecutionArn(executionArn, InvalidToken);
    const record = await this.store.getExecution(parsed.stateMachineArn, parsed.name);
    if (!record) throw new TaskDoesNotExist('Task does not exist anymore');
    // A well-formed token of a known execution whose task is closed (answered, timed out, or minted before a restart).
    throw new TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'");
  }

  private handler(machine: Machine, functionName: string): TaskHandler {
    const direct = machine.handlers[functionName];
    if (direct) return direct;
    const shortName = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(functionName)?.[1] ?? functionName;
    const byName =
      machine.handlers[shortName] ??
      Object.entries(machine.handlers).find(([key]) => key.endsWith(`:function:${shortName}`))?.[1];
    if (byName) return byName;
    const arn = functionName.startsWith('arn:')
      ? functionName
      : `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName}`;
    return async () => {
      // Lambda's own text, as Step Functions reports it.
      throw new TaskFailure(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${/:\$LATEST$|:\d+$/.test(arn) ? arn : `${arn}:$LATEST`} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
      );
    };
  }

  /** `TaskSucceeded` of a `lambda:invoke` task, plain or `.waitForTaskToken`: the output as JSON text, untruncated. */
  private appendTaskSucceeded(
    execution: LiveExecution,
    resource: { resourceType: string; resource: string },
    output: Json,
    stateName: string,
  ): void {
    this.append(
      execution,
      'TaskSucceeded',
      {
        taskSucceededEventDetails: { ...resource, output: JSON.stringify(output), outputDetails: { truncated: false } },
      },
      stateName,
    );
  }

  /**
   * Appends one history event. During a re-drive, an event that matches (type and state name) the first not yet
   * matched recorded event is that event again: not written twice. The first one that does not match ends the replay.
   */
  private append(
    execution: LiveExecution,
    type: HistoryEventType,
    details: Partial<HistoryEvent>,
    stateName = '',
  ): void {
    // Halted (finished, stopped, or the engine closed): what the interpreter or a handler that was not cancelled
    // does afterwards is not history, and its write could outlive the table it would go to.
    if (execution.aborted) return;
    const matchKey = `${type}|${stateName}`;
    if (execution.replay) {
      const index = execution.replay.findIndex((s) => s.matchKey === matchKey);
      if (index >= 0) {
        const [seen] = execution.replay.splice(index, 1);
        execution.lastId = seen?.event.id ?? execution.lastId;
        if (execution.replay.length === 0) execution.replay = null;
        return;
      }
      execution.replay = null;
    }
    const id = ++execution.maxId;
    if (type.endsWith('StateEntered') && stateName) execution.entered.set(stateName, id);
    let json = JSON.stringify({ timestamp: this.time.now(), type, id, previousEventId: execution.lastId, ...details });
    for (const token of execution.tokens) json = json.replaceAll(token, REDACTED_TOKEN);
    const event = JSON.parse(json) as HistoryEvent;
    event.timestamp = new Date(String(event.timestamp));
    execution.lastId = id;
    execution.pending.push({ event, matchKey });
    // One write task per event, but each takes every event pending by then: a burst goes out as one batch.
    this.enqueue(execution, async () => {
      const batch = execution.pending.splice(0);
      if (batch.length > 0) await this.store.putEvents(execution.record.executionArn, batch);
    });
  }

  private finish(
    execution: LiveExecution,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    result: { output?: string; error?: string; cause?: string },
  ): void {
    if (execution.record.status !== 'RUNNING') return;
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      ABORTED: 'ExecutionAborted',
      TIMED_OUT: 'ExecutionTimedOut',
      PENDING_REDRIVE: 'ExecutionFailed',
    }[status] as HistoryEventType;
    const details =
      status === 'SUCCEEDED'
        ? { output: result.output, outputDetails: { truncated: false } }
        : { error: result.error, cause: result.cause };
    this.append(execution, type, { [detailsKey(type)]: details });
    const redact = (text: string | undefined) => {
      if (text === undefined) return undefined;
      let redacted = text;
      for (const token of execution.tokens) redacted = redacted.replaceAll(token, REDACTED_TOKEN);
      return redacted;
    };
    Object.assign(execution.record, {
      status,
      stopDate: this.time.now(),
      output: redact(result.output),
      error: redact(result.error),
      cause: redact(result.cause),
    });
    const snapshot = { ...execution.record };
    this.enqueue(execution, () => this.store.saveExecution(snapshot));
    this.halt(execution);
    execution.writes.then(() => {
      this.live.delete(execution.record.executionArn);
      execution.markDone();
    });
  }

  /** Stops the interpreter, kills the tokens and timers of an execution. */
  private halt(execution: LiveExecution): void {
    execution.aborted = true;
    for (const timer of execution.timers) this.time.clearTimer(timer);
    execution.timers.clear();
    for (const waiter of [...execution.waiters]) {
      this.closeWaiter(waiter);
      waiter.reject(new ExecutionStopped());
    }
    execution.abort();
    if (this.closed) execution.markDone();
  }

  private enqueue(execution: LiveExecution, write: () => Promise<void>): void {
    execution.writes = execution.writes.then(write).catch((error: unknown) => {
      this.logger.error('Could not persist execution data', {
        executionArn: execution.record.executionArn,
        error: (error as Error).message,
      });
    });
  }

  private machine(stateMachineArn: string): Machine {
    if (typeof stateMachineArn !== 'string' || !stateMachineArn.startsWith('arn:')) {
      throw new InvalidArn(`Invalid Arn: '${stateMachineArn}'`);
    }
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  private async record(executionArn: string): Promise<ExecutionRecord> {
    const live = this.live.get(executionArn);
    if (live) return live.record;
    const { stateMachineArn, name } = this.parseExecutionArn(executionArn, InvalidArn);
    const record = await this.store.getExecution(stateMachineArn, name);
    if (!record) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  private parseExecutionArn(
    executionArn: string,
    Invalid: new (message: string) => Error,
  ): { stateMachineArn: string; name: string } {
    const match = /^arn:aws[\w-]*:states:([^:]+):(\d{12}):execution:([^:]+):([^:]+)$/.exec(String(executionArn));
    if (!match) throw new Invalid(`Invalid Arn: '${executionArn}'`);
    const [, region, account, machineName, name] = match as unknown as [string, string, string, string, string];
    return { stateMachineArn: `arn:aws:states:${region}:${account}:stateMachine:${machineName}`, name };
  }

  private executionArn(machineName: string, name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:execution:${machineName}:${name}`;
  }

  private roleArn(): string {
    return `arn:aws:iam::${this.accountId}:role/local-step-functions`;
  }

  private assertOpen(): void {
    if (this.closed) throw new ValidationException('The local Step Functions engine is closed');
  }
}

type LibraryEvent = {
  type: string;
  state: { name: string; type: string; input: unknown; output?: unknown };
  index?: number;
  parentState?: { name: string };
};

/** `MapStateStarted.length`: the number of items the Map state iterates (its input, or its ItemsPath). */
function mapLength(definition: JsonObject, stateName: string, input: Json): number {
  let found: JsonObject | undefined;
  const walk = (machine: Json | undefined): void => {
    if (!machine || typeof machine !== 'object' || Array.isArray(machine) || found) return;
    for (const [name, state] of Object.entries((machine.States ?? {}) as JsonObject)) {
      if (!state || typeof state !== 'object' || Array.isArray(state)) continue;
      if (name === stateName && state.Type === 'Map') found = state;
      if (Array.isArray(state.Branches)) state.Branches.forEach(walk);
      walk(state.ItemProcessor ?? state.Iterator);
    }
  };
  walk(definition);
  let items: Json | undefined = input;
  const path = typeof found?.ItemsPath === 'string' ? found.ItemsPath : '$';
  for (const key of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)) {
    items = items && typeof items === 'object' && !Array.isArray(items) ? items[key] : undefined;
  }
  return Array.isArray(items) ? items.length : 0;
}

function withoutData(event: HistoryEvent): HistoryEvent {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _i, output: _o, parameters: _p, ...rest } = value as Record<string, unknown>;
      copy[key] = rest;
    } else {
      copy[key] = value;
    }
  }
  return copy as unknown as HistoryEvent;
}
