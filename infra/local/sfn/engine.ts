/**
 * A Step Functions-compatible runtime around aws-local-stepfunctions: the same ASL file and the same handler modules
 * as on AWS, with what the library lacks added here: `.waitForTaskToken` callbacks, AWS-shaped execution history,
 * persistence in DynamoDB and re-drive after a restart. See docs/local-engine.md.
 *
 * Generic: no Lienthong knowledge. Handlers are a map `function ARN or name -> (event) => Promise<result>`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineForExecutionOutput,
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
  ConflictException,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  ResourceNotFound,
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
  /**
   * A function's timeout when `functionTimeouts` does not name it, in seconds of the engine's time (default 30, what
   * the CDK stack gives the step functions). An invocation still running then fails as Lambda reports it:
   * `Sandbox.Timedout`.
   */
  defaultFunctionTimeoutSeconds?: number;
}

export interface RegisterStateMachineInput {
  name: string;
  /** The ASL as written, `${Placeholders}` not yet filled. */
  definition: object;
  substitutions: Record<string, string>;
  /** Keyed by resolved function ARN or function name. */
  handlers: Record<string, TaskHandler>;
  /** Per function ARN or name: its timeout in seconds (Lambda's `Timeout`); default the engine's. */
  functionTimeouts?: Record<string, number>;
  /** The library's test overrides, in milliseconds, keyed by state name (e.g. `retryIntervalOverrides`). */
  overrides?: Pick<NonNullable<RunOptions['overrides']>, 'retryIntervalOverrides' | 'waitTimeOverrides'> & {
    /**
     * Test and demo knob, in seconds, keyed by Task state name: the task times out after this long whatever its
     * TimeoutSeconds(Path) says, so a deadline path (escalation, a missed supplement window) runs in seconds.
     */
    taskTimeoutOverrides?: Record<string, number>;
  };
}

/** One definition as registered, with the handlers (code) registered with it: what an execution is pinned to. */
interface Revision {
  revisionId: string;
  definition: JsonObject;
  library: StateMachine;
  tasks: Map<string, TaskInfo>;
  handlers: Record<string, TaskHandler>;
  overrides: RegisterStateMachineInput['overrides'];
  /** Per function ARN or name, in seconds (Lambda's `Timeout`); unlisted functions get the engine's default. */
  functionTimeouts: Record<string, number>;
  updateDate: Date;
}

interface Version {
  number: number;
  arn: string;
  revision: Revision;
  description: string | undefined;
  creationDate: Date;
}

interface Alias {
  arn: string;
  name: string;
  description: string | undefined;
  routingConfiguration: { stateMachineVersionArn: string; weight: number }[];
  creationDate: Date;
  updateDate: Date;
}

interface Machine {
  arn: string;
  name: string;
  /** The latest registration: what an unqualified StartExecution runs. */
  current: Revision;
  /** Every definition registered in this process, by revision id (a restart finds an execution's handlers here). */
  revisions: Map<string, Revision>;
  /** AWS reports no revision id for a machine's first revision ("null when you create the state machine"). */
  firstRevisionId: string;
  versions: Version[];
  aliases: Map<string, Alias>;
  creationDate: Date;
}

/** What the history recorded of one entry into a state: its task attempts and whether it was left. */
interface RecordedAttempt {
  outcome: 'succeeded' | 'failed' | 'timedOut' | 'open';
  output?: Json;
  error?: string;
  cause?: string;
  events: StoredEvent[];
}
interface RecordedEntry {
  type: string;
  attempts: RecordedAttempt[];
  exited: boolean;
  events: StoredEvent[];
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
  revision: Revision;
  /** 'restart': re-run after a process restart; 'redrive': RedriveExecution; null: a fresh start. */
  mode: 'restart' | 'redrive' | null;
  /** Per state name, its recorded entries in order (re-drive and redrive replay their task results). */
  recorded: Map<string, RecordedEntry[]>;
  /** Per state name, how many times the re-run has entered it; per `<name>#<entry>`, the task attempts made. */
  enteredCount: Map<string, number>;
  attemptsUsed: Map<string, number>;
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

/** A definition's revision id: a digest of its text, so the same definition registered again is the same revision. */
function revisionIdOf(definition: JsonObject): string {
  const hex = createHash('sha256').update(JSON.stringify(definition)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A function's timeout unless configured: the CDK stack's step functions run with 30 s. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 30;

/** How long after it stopped an execution can be redriven (AWS: 14 days). */
export const REDRIVABLE_PERIOD_MS = 14 * 24 * 3600_000;

const EXECUTION_STATUSES: ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];
/** The order AWS's validation message lists them in. */
const EXECUTION_STATUSES_AS_LISTED = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'];

/** AWS's page sizes: `maxResults` 0 or absent means 100, at most 1000; anything else is a ValidationException. */
function validPageSize(maxResults: number | undefined): number {
  if (maxResults === undefined || maxResults === 0) return 100;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000) {
    const constraint =
      maxResults > 1000
        ? 'Member must have value less than or equal to 1000'
        : 'Member must have value greater than or equal to 0';
    throw new ValidationException(
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: ${constraint}`,
    );
  }
  return maxResults;
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

/** asl-validator (the project's schema check of the workflow file) ships no type declarations. */
type AslError = { 'Error code'?: string; Message?: string; message?: string; instancePath?: string; path?: string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors?: AslError[];
};

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
  private readonly defaultFunctionTimeoutSeconds: number;
  /** Handler invocations running now, and who waits for there to be none (`idle`). */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: LocalStepFunctionsOptions) {
    this.time = options.time ?? realTime();
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.store = new ExecutionStore(options.dynamo, options.tableName);
    this.logger = options.logger ?? consoleLogger;
    this.defaultFunctionTimeoutSeconds = options.defaultFunctionTimeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
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
    const revision = this.revision(definition, input.handlers, input.overrides, input.functionTimeouts ?? {});
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${input.name}`;
    const existing = this.machines.get(arn);
    if (existing) {
      existing.current = revision;
      existing.revisions.set(revision.revisionId, revision);
    } else {
      this.machines.set(arn, {
        arn,
        name: input.name,
        current: revision,
        revisions: new Map([[revision.revisionId, revision]]),
        firstRevisionId: revision.revisionId,
        versions: [],
        aliases: new Map(),
        creationDate: this.time.now(),
      });
    }
    return arn;
  }

  private revision(
    definition: JsonObject,
    handlers: Record<string, TaskHandler>,
    overrides: RegisterStateMachineInput['overrides'],
    functionTimeouts: Record<string, number>,
  ): Revision {
    const prepared = prepareForLibrary(definition);
    let library: StateMachine;
    try {
      library = new libraryStateMachine(prepared.definition as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false },
      });
    } catch (error) {
      throw new InvalidDefinition((error as Error).message);
    }
    return {
      revisionId: revisionIdOf(definition),
      definition,
      library,
      tasks: prepared.tasks,
      handlers,
      overrides,
      functionTimeouts,
      updateDate: this.time.now(),
    };
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
    const { page, nextToken } = paginate(all, validPageSize(input.maxResults), input.nextToken);
    return { stateMachines: page, ...(nextToken ? { nextToken } : {}) };
  }

  describeStateMachine(input: { stateMachineArn: string }): DescribeStateMachineOutput {
    const target = this.target(input.stateMachineArn);
    if (target.alias) {
      throw new InvalidArn(`Invalid Arn: 'An alias ARN is not accepted here: ${input.stateMachineArn}'`);
    }
    const m = target.machine;
    const revision = target.version?.revision ?? m.current;
    return {
      stateMachineArn: target.version?.arn ?? m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: JSON.stringify(revision.definition),
      roleArn: this.roleArn(),
      type: 'STANDARD',
      creationDate: target.version?.creationDate ?? m.creationDate,
      ...(revision.revisionId !== m.firstRevisionId ? { revisionId: revision.revisionId } : {}),
      ...(target.version?.description ? { description: target.version.description } : {}),
    };
  }

  /** The definition an execution runs on: the one it started with, whatever was registered since. */
  async describeStateMachineForExecution(input: {
    executionArn: string;
  }): Promise<DescribeStateMachineForExecutionOutput> {
    const r = await this.record(input.executionArn);
    const machine = this.machines.get(r.stateMachineArn);
    const revision = this.live.get(r.executionArn)?.revision;
    const definition = revision
      ? JSON.stringify(revision.definition)
      : (r.definition ?? JSON.stringify(machine?.current.definition ?? {}));
    return {
      stateMachineArn: r.stateMachineArn,
      name: r.stateMachineArn.split(':').pop() ?? '',
      definition,
      roleArn: this.roleArn(),
      updateDate: r.startDate,
      ...(r.revisionId && r.revisionId !== machine?.firstRevisionId ? { revisionId: r.revisionId } : {}),
      ...(r.stateMachineVersionArn ? { stateMachineVersionArn: r.stateMachineVersionArn } : {}),
      ...(r.stateMachineAliasArn ? { stateMachineAliasArn: r.stateMachineAliasArn } : {}),
    };
  }

  /** Publishes the current registration (definition and handlers) as the next version; the same revision twice is one version. */
  publishStateMachineVersion(input: { stateMachineArn: string; description?: string; revisionId?: string }): {
    stateMachineVersionArn: string;
    creationDate: Date;
  } {
    const target = this.target(input.stateMachineArn);
    if (target.version || target.alias) throw new InvalidArn(`Invalid Arn: '${input.stateMachineArn}'`);
    const m = target.machine;
    if (input.revisionId !== undefined && input.revisionId !== m.current.revisionId) {
      throw new ConflictException(
        `Failed to publish the state machine version due to a revision id mismatch. Latest revision id: ${m.current.revisionId}`,
      );
    }
    const latest = m.versions[m.versions.length - 1];
    if (latest && latest.revision === m.current) {
      return { stateMachineVersionArn: latest.arn, creationDate: latest.creationDate };
    }
    const number = m.versions.length + 1;
    const version: Version = {
      number,
      arn: `${m.arn}:${number}`,
      revision: m.current,
      description: input.description,
      creationDate: this.time.now(),
    };
    m.versions.push(version);
    return { stateMachineVersionArn: version.arn, creationDate: version.creationDate };
  }

  listStateMachineVersions(input: { stateMachineArn: string; maxResults?: number; nextToken?: string }) {
    const target = this.target(input.stateMachineArn);
    if (target.version || target.alias) throw new InvalidArn(`Invalid Arn: '${input.stateMachineArn}'`);
    const all = [...target.machine.versions]
      .reverse()
      .map((v) => ({ stateMachineVersionArn: v.arn, creationDate: v.creationDate }));
    const { page, nextToken } = paginate(all, validPageSize(input.maxResults), input.nextToken);
    return { stateMachineVersions: page, ...(nextToken ? { nextToken } : {}) };
  }

  createStateMachineAlias(input: {
    name: string;
    description?: string;
    routingConfiguration: { stateMachineVersionArn: string; weight: number }[];
  }): { stateMachineAliasArn: string; creationDate: Date } {
    if (!isValidName(input.name) || /^\d+$/.test(input.name)) {
      throw new ValidationException(`Invalid alias name: ${input.name}`);
    }
    const routing = this.routing(input.routingConfiguration);
    const machine = routing.machine;
    const arn = `${machine.arn}:${input.name}`;
    const existing = machine.aliases.get(input.name);
    if (existing) {
      if (JSON.stringify(existing.routingConfiguration) === JSON.stringify(input.routingConfiguration)) {
        return { stateMachineAliasArn: existing.arn, creationDate: existing.creationDate };
      }
      throw new ConflictException(`Alias already exists with a different configuration: ${arn}`);
    }
    const now = this.time.now();
    machine.aliases.set(input.name, {
      arn,
      name: input.name,
      description: input.description,
      routingConfiguration: input.routingConfiguration,
      creationDate: now,
      updateDate: now,
    });
    return { stateMachineAliasArn: arn, creationDate: now };
  }

  describeStateMachineAlias(input: { stateMachineAliasArn: string }) {
    const alias = this.alias(input.stateMachineAliasArn);
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      ...(alias.description !== undefined ? { description: alias.description } : {}),
      routingConfiguration: alias.routingConfiguration,
      creationDate: alias.creationDate,
      updateDate: alias.updateDate,
    };
  }

  updateStateMachineAlias(input: {
    stateMachineAliasArn: string;
    description?: string;
    routingConfiguration?: { stateMachineVersionArn: string; weight: number }[];
  }): { updateDate: Date } {
    const alias = this.alias(input.stateMachineAliasArn);
    if (input.routingConfiguration) {
      this.routing(input.routingConfiguration);
      alias.routingConfiguration = input.routingConfiguration;
    }
    if (input.description !== undefined) alias.description = input.description;
    alias.updateDate = this.time.now();
    return { updateDate: alias.updateDate };
  }

  /**
   * AWS's ValidateStateMachineDefinition: `OK`, or `FAIL` with one diagnostic per problem. The schema check is
   * asl-validator's (the project's own check of the workflow file); the engine's refusals (JSONata, Assign, ...) are
   * reported as the engine's, not AWS's, under code `LOCAL_ENGINE_UNSUPPORTED`.
   */
  validateStateMachineDefinition(input: { definition: string; type?: string }) {
    if (typeof input.definition !== 'string' || input.definition.length === 0) {
      throw new ValidationException(
        "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null",
      );
    }
    if (input.type !== undefined && input.type !== 'STANDARD' && input.type !== 'EXPRESS') {
      throw new ValidationException(
        `1 validation error detected: Value '${input.type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
      );
    }
    const diagnostics: { severity: 'ERROR'; code: string; message: string; location?: string }[] = [];
    const parsed = parseJson(input.definition);
    if (parsed === undefined || parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      diagnostics.push({
        severity: 'ERROR',
        code: 'INVALID_JSON_DESCRIPTION',
        message: 'Definition is not a JSON object',
      });
    } else {
      // asl-validator writes defaults (QueryLanguage) into what it is given: it gets its own copy.
      const { isValid, errors } = aslValidator(JSON.parse(input.definition));
      if (!isValid) {
        for (const e of errors ?? []) {
          const location = e.instancePath ?? e.path;
          diagnostics.push({
            severity: 'ERROR',
            code: e['Error code'] ?? 'SCHEMA_VALIDATION_FAILED',
            message: e.Message ?? e.message ?? 'Invalid definition',
            ...(location ? { location } : {}),
          });
        }
        if (diagnostics.length === 0) {
          diagnostics.push({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Invalid definition' });
        }
      } else {
        try {
          this.revision(parsed as JsonObject, {}, undefined, {});
        } catch (error) {
          diagnostics.push({ severity: 'ERROR', code: 'LOCAL_ENGINE_UNSUPPORTED', message: (error as Error).message });
        }
      }
    }
    return { result: diagnostics.length === 0 ? ('OK' as const) : ('FAIL' as const), diagnostics, truncated: false };
  }

  /**
   * Idempotent as on AWS (Standard): the same name and input as a RUNNING execution returns that execution; a closed
   * one, or a different input, is `ExecutionAlreadyExists`. The ARN may be the state machine's, a version's or an
   * alias's: the execution is pinned to the definition (and, for a version, the handlers) it starts on.
   */
  async startExecution(input: { stateMachineArn: string; name?: string; input?: string }): Promise<{
    executionArn: string;
    startDate: Date;
  }> {
    this.assertOpen();
    const target = this.target(input.stateMachineArn);
    const machine = target.machine;
    let version = target.version;
    if (target.alias) version = this.pickVersion(machine, target.alias);
    const revision = version?.revision ?? machine.current;
    const name = input.name ?? randomUUID();
    if (!isValidName(name)) throw new InvalidName(`Invalid execution name: ${name}`);
    const inputText = input.input ?? '{}';
    if (parseJson(inputText) === undefined) throw new InvalidExecutionInput('Input is not valid JSON');
    if (Buffer.byteLength(inputText) > PAYLOAD_LIMIT_BYTES) {
      throw new InvalidExecutionInput(
        `Input is too large: ${Buffer.byteLength(inputText)} bytes, the limit is ${PAYLOAD_LIMIT_BYTES} bytes`,
      );
    }
    const record: ExecutionRecord = {
      executionArn: this.executionArn(machine.name, name),
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input: inputText,
      startDate: this.time.now(),
      definition: JSON.stringify(revision.definition),
      revisionId: revision.revisionId,
      ...(version ? { stateMachineVersionArn: version.arn } : {}),
      ...(target.alias ? { stateMachineAliasArn: target.alias.arn } : {}),
      redriveCount: 0,
    };
    if (!(await this.store.createExecution(record))) {
      const existing = this.live.get(record.executionArn)?.record ?? (await this.store.getExecution(machine.arn, name));
      if (existing && existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: existing.executionArn, startDate: existing.startDate };
      }
      throw new ExecutionAlreadyExists(`Execution already exists: '${record.executionArn}'`);
    }
    this.run(machine, revision, record, null, null);
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
      ...(r.stateMachineVersionArn ? { stateMachineVersionArn: r.stateMachineVersionArn } : {}),
      ...(r.stateMachineAliasArn ? { stateMachineAliasArn: r.stateMachineAliasArn } : {}),
      redriveCount: r.redriveCount ?? 0,
      ...(r.redriveDate ? { redriveDate: r.redriveDate } : {}),
      ...this.redriveStatus(r),
    };
  }

  /** AWS's `redriveStatus` (and its reason when not redrivable), Standard executions. */
  private redriveStatus(r: ExecutionRecord): {
    redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
    redriveStatusReason?: string;
  } {
    const reason = this.notRedrivableReason(r);
    return reason ? { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason } : { redriveStatus: 'REDRIVABLE' };
  }

  private notRedrivableReason(r: ExecutionRecord): string | undefined {
    if (r.status === 'RUNNING' || r.status === 'SUCCEEDED') return `Execution is ${r.status} and cannot be redriven`;
    if (r.status === 'PENDING_REDRIVE') return 'Execution is PENDING_REDRIVE and cannot be redriven';
    const stopped = r.stopDate?.getTime() ?? 0;
    if (this.time.now().getTime() - stopped > REDRIVABLE_PERIOD_MS) return 'Execution redrivable period exceeded';
    return undefined;
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution (stopped in the last 14 days) continues, same ARN and
   * input, on the definition it started with. Steps that succeeded are not run again: their recorded results are
   * replayed; the unfinished ones (a failed Task, the failed branches of a Parallel) run again with fresh retries.
   */
  async redriveExecution(input: { executionArn: string; clientToken?: string }): Promise<{ redriveDate: Date }> {
    this.assertOpen();
    const record = await this.record(input.executionArn);
    if (this.live.has(record.executionArn) && record.status !== 'RUNNING')
      await this.live.get(record.executionArn)?.done;
    const reason = this.notRedrivableReason(record);
    if (reason) throw new ExecutionNotRedrivable(`${reason}: ${record.executionArn}`);
    const machine = this.machines.get(record.stateMachineArn);
    if (!machine) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${record.stateMachineArn}'`);
    const events = await this.store.listEvents(record.executionArn);
    const redriveCount = (record.redriveCount ?? 0) + 1;
    const redriveDate = this.time.now();
    const { stopDate: _s, output: _o, error: _e, cause: _c, ...rest } = record;
    const running: ExecutionRecord = { ...rest, status: 'RUNNING', redriveCount, redriveDate };
    await this.store.saveExecution(running);
    this.run(machine, this.pinnedRevision(machine, running), running, events, 'redrive');
    return { redriveDate };
  }

  /** The revision an execution started on: its version's, the registered one of its definition, or its definition with the current handlers. */
  private pinnedRevision(machine: Machine, record: ExecutionRecord): Revision {
    const version = machine.versions.find((v) => v.arn === record.stateMachineVersionArn);
    if (version) return version.revision;
    const known = record.revisionId ? machine.revisions.get(record.revisionId) : undefined;
    if (known) return known;
    if (!record.definition) return machine.current;
    this.logger.warn('Execution re-driven on its recorded definition with the current handlers', {
      executionArn: record.executionArn,
    });
    const current = machine.current;
    const revision = this.revision(
      JSON.parse(record.definition) as JsonObject,
      current.handlers,
      current.overrides,
      current.functionTimeouts,
    );
    machine.revisions.set(revision.revisionId, revision);
    return revision;
  }

  async listExecutions(input: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): Promise<ListExecutionsOutput & { executions: ExecutionListItem[] }> {
    if (input.statusFilter !== undefined && !EXECUTION_STATUSES.includes(input.statusFilter)) {
      throw new ValidationException(
        `1 validation error detected: Value '${String(input.statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES_AS_LISTED.join(', ')}]`,
      );
    }
    const size = validPageSize(input.maxResults);
    const target = this.target(input.stateMachineArn);
    const machine = target.machine;
    const records = (await this.store.listExecutions(machine.arn))
      .map((r) => this.live.get(r.executionArn)?.record ?? r)
      .filter((r) => !target.version || r.stateMachineVersionArn === target.version.arn)
      .filter((r) => !target.alias || r.stateMachineAliasArn === target.alias.arn)
      .filter((r) => !input.statusFilter || r.status === input.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const { page, nextToken } = paginate(records, size, input.nextToken);
    const executions: ExecutionListItem[] = page.map((r) => ({
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: r.startDate,
      ...(r.stopDate ? { stopDate: r.stopDate } : {}),
      ...(r.stateMachineVersionArn ? { stateMachineVersionArn: r.stateMachineVersionArn } : {}),
      ...(r.stateMachineAliasArn ? { stateMachineAliasArn: r.stateMachineAliasArn } : {}),
      redriveCount: r.redriveCount ?? 0,
      ...(r.redriveDate ? { redriveDate: r.redriveDate } : {}),
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
    const { page, nextToken } = paginate(events, validPageSize(input.maxResults), input.nextToken);
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
    if (Buffer.byteLength(input.output) > PAYLOAD_LIMIT_BYTES) {
      return Promise.reject(
        new InvalidOutput(
          `Output is too large: ${Buffer.byteLength(input.output)} bytes, the limit is ${PAYLOAD_LIMIT_BYTES} bytes`,
        ),
      );
    }
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
        this.run(machine, this.pinnedRevision(machine, record), record, events, 'restart');
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

  private run(
    machine: Machine,
    revision: Revision,
    record: ExecutionRecord,
    events: StoredEvent[] | null,
    mode: LiveExecution['mode'],
  ): void {
    let markDone = () => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const maxId = events?.reduce((max, s) => Math.max(max, s.event.id ?? 0), 0) ?? 0;
    const { entries, superseded } = recordedEntries(events ?? [], mode === 'redrive');
    const replay = events?.filter((s) => !superseded.has(s)) ?? null;
    const execution: LiveExecution = {
      record,
      machine,
      revision,
      mode,
      recorded: entries,
      enteredCount: new Map(),
      attemptsUsed: new Map(),
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
    for (const [stateName, info] of revision.tasks) {
      overrides[stateName] = (input) => this.runTask(execution, info, input);
    }
    if (mode === 'redrive') {
      const maxCount = record.redriveCount ?? 1;
      this.append(execution, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: maxCount } });
    }
    const runOptions: RunOptions & { [NOW_OPTION]: () => Date } = {
      noThrowOnAbort: true,
      overrides: {
        ...(revision.overrides?.retryIntervalOverrides
          ? { retryIntervalOverrides: revision.overrides.retryIntervalOverrides }
          : {}),
        ...(revision.overrides?.waitTimeOverrides ? { waitTimeOverrides: revision.overrides.waitTimeOverrides } : {}),
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
          RedriveCount: record.redriveCount ?? 0,
        },
        StateMachine: { Id: record.stateMachineVersionArn ?? machine.arn, Name: machine.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    };
    const run = revision.library.run(JSON.parse(record.input) as Json, runOptions);
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
          execution.enteredCount.set(name, (execution.enteredCount.get(name) ?? 0) + 1);
          this.append(
            execution,
            `${type}StateEntered` as HistoryEventType,
            { stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: { truncated: false } } },
            name,
          );
          if (type === 'Parallel') this.append(execution, 'ParallelStateStarted', {}, name);
          if (type === 'Map') {
            const length = mapLength(execution.revision.definition, name, input as Json);
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
            const length = mapLength(execution.revision.definition, event.state.name, event.state.input as Json);
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
    const forced = execution.revision.overrides?.taskTimeoutOverrides?.[info.stateName];
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
    const recorded = this.recordedAttempt(execution, info.stateName);
    if (recorded) {
      stopTimer();
      if (recorded.outcome === 'succeeded') return (recorded.output ?? null) as Json;
      if (recorded.outcome === 'timedOut') throw new library.StatesTimeoutError();
      const failure: TaskFailure & Unnamed = new TaskFailure(recorded.error ?? '', recorded.cause ?? '');
      failure.lienthongNoError = recorded.error === undefined;
      failure.lienthongNoCause = recorded.cause === undefined;
      throw failure;
    }
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
    const handler = this.handler(execution.revision, functionName);
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
        const result = (await this.invoke(execution, functionName, handler, payload)) as Json;
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
      const result = ((await this.invoke(execution, functionName, handler, input)) ?? null) as Json;
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
    const handler = this.handler(execution.revision, String(parameters.FunctionName ?? ''));

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
      invocation = await this.invoke(execution, String(parameters.FunctionName ?? ''), handler, payload);
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

  /**
   * The recorded result of this task attempt, when the history has one to replay (a re-drive after a restart, or a
   * redrive): an entry that succeeded gives its result at once, without calling the handler; a restart replays the
   * failed attempts of an entry in order (its retries follow the same path); a redrive runs the unfinished entry again.
   * Its events, already in the history, are taken off the replay list so they are neither matched nor written again.
   */
  private recordedAttempt(execution: LiveExecution, stateName: string): RecordedAttempt | undefined {
    const entryIndex = Math.max(0, (execution.enteredCount.get(stateName) ?? 1) - 1);
    const entry = execution.recorded.get(stateName)?.[entryIndex];
    if (!entry) return undefined;
    const key = `${stateName}#${entryIndex}`;
    const n = execution.attemptsUsed.get(key) ?? 0;
    execution.attemptsUsed.set(key, n + 1);
    const last = entry.attempts[entry.attempts.length - 1];
    let attempt: RecordedAttempt | undefined;
    let consumed: StoredEvent[] = [];
    if (entry.exited && last?.outcome === 'succeeded') {
      attempt = last;
      consumed = entry.attempts.slice(n).flatMap((a) => a.events);
    } else if (entry.exited || execution.mode === 'restart') {
      attempt = entry.attempts[n];
      if (!attempt || attempt.outcome === 'open') return undefined;
      consumed = attempt.events;
    } else {
      return undefined;
    }
    if (execution.replay && consumed.length) {
      const drop = new Set(consumed);
      execution.replay = execution.replay.filter((s) => !drop.has(s));
      if (execution.replay.length === 0) execution.replay = null;
    }
    return attempt;
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

  private handler(machine: Revision, functionName: string): TaskHandler {
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

  /**
   * Calls a handler as Lambda runs a function: past the function's timeout (engine time) the invocation fails as Lambda
   * reports it, `Sandbox.Timedout` with Lambda's message in the Cause, so the Task's Retry/Catch apply. The handler
   * itself is not stopped (nothing can stop a promise); what it returns afterwards is ignored.
   */
  private async invoke(execution: LiveExecution, functionName: string, handler: TaskHandler, payload: unknown) {
    const seconds = this.functionTimeout(execution.revision, functionName);
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.time.setTimer(() => {
        const errorMessage = `RequestId: ${randomUUID()} Error: Task timed out after ${seconds.toFixed(2)} seconds`;
        reject(new TaskFailure('Sandbox.Timedout', JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage })));
      }, seconds * 1000);
    });
    execution.timers.add(timer);
    this.inFlight++;
    const call = Promise.resolve().then(() => handler(payload));
    call.catch(() => {}); // settles unobserved when the timeout won
    void call.then(
      () => this.invocationEnded(),
      () => this.invocationEnded(),
    );
    timeout.catch(() => {});
    try {
      return await Promise.race([call, timeout]);
    } finally {
      this.time.clearTimer(timer);
      execution.timers.delete(timer);
    }
  }

  private invocationEnded(): void {
    this.inFlight--;
    // After the microtasks of the ending invocation (its timer cleared, its result taken) have run.
    setImmediate(() => {
      if (this.inFlight > 0) return;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /**
   * Resolves when no handler invocation is running. For tests on virtual time: moving time by days while a step is
   * still running would time that step out (a Lambda that ran for days), so a test lets the steps in flight finish first.
   */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private functionTimeout(revision: Revision, functionName: string): number {
    const timeouts = revision.functionTimeouts;
    const shortName = /:function:([^:]+)/.exec(functionName)?.[1] ?? functionName;
    const named =
      timeouts[functionName] ??
      timeouts[shortName] ??
      Object.entries(timeouts).find(([key]) => key.endsWith(`:function:${shortName}`))?.[1];
    return named ?? this.defaultFunctionTimeoutSeconds;
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
      // A restart walks the same path until it goes past the record; a redrive writes the re-run steps between the
      // recorded ones (a Parallel's succeeded branch is still recorded after its failed branch runs again).
      if (execution.mode !== 'redrive') execution.replay = null;
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

  /** A state machine, version (`<arn>:<n>`) or alias (`<arn>:<name>`) ARN. */
  private target(arn: string): { machine: Machine; version?: Version; alias?: Alias } {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new InvalidArn(`Invalid Arn: '${arn}'`);
    const match = /^(arn:aws[\w-]*:states:[^:]+:\d{12}:stateMachine:[^:]+)(?::([^:]+))?$/.exec(arn);
    if (!match) throw new InvalidArn(`Invalid Arn: '${arn}'`);
    const [, base = '', qualifier] = match;
    const machine = this.machines.get(base);
    if (!machine) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    if (qualifier === undefined) return { machine };
    if (/^\d+$/.test(qualifier)) {
      const version = machine.versions[Number(qualifier) - 1];
      if (!version) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
      return { machine, version };
    }
    const alias = machine.aliases.get(qualifier);
    if (!alias) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return { machine, alias };
  }

  private alias(arn: string): Alias {
    const target = (() => {
      try {
        return this.target(arn);
      } catch (error) {
        if ((error as Error).name === 'StateMachineDoesNotExist') {
          throw new ResourceNotFound(`Resource not found: '${arn}'`);
        }
        throw error;
      }
    })();
    if (!target.alias) throw new InvalidArn(`Invalid Arn: '${arn}'`);
    return target.alias;
  }

  /** An alias routes to one or two versions of one state machine, weights 0-100 adding up to 100. */
  private routing(config: { stateMachineVersionArn: string; weight: number }[] | undefined): { machine: Machine } {
    if (!Array.isArray(config) || config.length < 1 || config.length > 2) {
      throw new ValidationException('routingConfiguration must name one or two versions');
    }
    const targets = config.map((c) => {
      const t = this.target(c.stateMachineVersionArn);
      if (!t.version) throw new ValidationException(`Not a state machine version ARN: ${c.stateMachineVersionArn}`);
      if (!Number.isInteger(c.weight) || c.weight < 0 || c.weight > 100) {
        throw new ValidationException(`Invalid weight: ${c.weight}`);
      }
      return t;
    });
    if (config.reduce((sum, c) => sum + c.weight, 0) !== 100) {
      throw new ValidationException('The weights of routingConfiguration must add up to 100');
    }
    const [first] = targets as [{ machine: Machine }];
    if (targets.some((t) => t.machine !== first.machine)) {
      throw new ValidationException('routingConfiguration must name versions of one state machine');
    }
    return { machine: first.machine };
  }

  private pickVersion(machine: Machine, alias: Alias): Version {
    let roll = Math.random() * 100;
    for (const route of alias.routingConfiguration) {
      roll -= route.weight;
      if (roll < 0 || route === alias.routingConfiguration[alias.routingConfiguration.length - 1]) {
        const version = this.target(route.stateMachineVersionArn).version;
        if (version?.arn.startsWith(`${machine.arn}:`)) return version;
      }
    }
    throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${alias.arn}'`);
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

/**
 * Groups a recorded history by state entry: per state name, each entry with its task attempts (and their outcome)
 * and whether the state was left. An entry a redrive replaced (a Task left unfinished by the failure) is superseded:
 * its events, the execution's end events and the Parallel/Map failure events are taken off the list a re-run matches
 * against, so the re-run writes them anew. `redriveNow`: the history ends in a failure about to be redriven.
 */
export function recordedEntries(
  events: StoredEvent[],
  redriveNow: boolean,
): { entries: Map<string, RecordedEntry[]>; superseded: Set<StoredEvent> } {
  const entries = new Map<string, RecordedEntry[]>();
  const superseded = new Set<StoredEvent>();
  const current = new Map<string, RecordedEntry>();
  const supersede = () => {
    for (const [name, list] of entries) {
      for (const entry of [...list]) {
        if (entry.exited) continue;
        if (entry.type === 'Task') {
          for (const e of entry.events) superseded.add(e);
          list.splice(list.indexOf(entry), 1);
          if (current.get(name) === entry) current.delete(name);
        } else {
          for (const e of entry.events) if (/State(Failed)$/.test(String(e.event.type))) superseded.add(e);
        }
      }
    }
  };
  for (const stored of events) {
    const type = String(stored.event.type);
    const name = stored.matchKey.slice(stored.matchKey.indexOf('|') + 1);
    if (/^Execution(Failed|Aborted|TimedOut|Redriven)$/.test(type)) superseded.add(stored);
    if (type === 'ExecutionRedriven') {
      supersede();
      continue;
    }
    if (!name) continue;
    const entered = /^(\w+?)StateEntered$/.exec(type);
    if (entered) {
      const entry: RecordedEntry = { type: entered[1] ?? '', attempts: [], exited: false, events: [stored] };
      const list = entries.get(name) ?? [];
      list.push(entry);
      entries.set(name, list);
      current.set(name, entry);
      continue;
    }
    const entry = current.get(name);
    if (!entry) continue;
    entry.events.push(stored);
    if (/StateExited$/.test(type)) {
      entry.exited = true;
      continue;
    }
    const details = (Object.entries(stored.event).find(([k]) => k.endsWith('EventDetails'))?.[1] ?? {}) as {
      output?: string;
      error?: string;
      cause?: string;
    };
    if (type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') {
      entry.attempts.push({ outcome: 'open', events: [stored] });
      continue;
    }
    const attempt = entry.attempts[entry.attempts.length - 1];
    if (!attempt) continue;
    attempt.events.push(stored);
    if (type === 'TaskSucceeded' || type === 'LambdaFunctionSucceeded') {
      attempt.outcome = 'succeeded';
      attempt.output = details.output === undefined ? null : (JSON.parse(details.output) as Json);
    } else if (type === 'TaskFailed' || type === 'LambdaFunctionFailed') {
      attempt.outcome = 'failed';
      if (details.error !== undefined) attempt.error = details.error;
      if (details.cause !== undefined) attempt.cause = details.cause;
    } else if (type === 'TaskTimedOut' || type === 'LambdaFunctionTimedOut') {
      attempt.outcome = 'timedOut';
    }
  }
  if (redriveNow) supersede();
  return { entries, superseded };
}
