/**
 * The whole system on one machine: dynalite (DynamoDB), the embedded Step Functions engine behind its AWS-compatible
 * endpoint, the HTTP API and the local token issuer, all on loopback. `npm start`, the integration tests and the bench
 * all start it through here. The workflow file and the handlers are the ones CDK deploys.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { caseTableDefinition } from '#adapters/caseStore.js';
import { clock, config, configure } from '#adapters/config.js';
import { attemptCounter } from '#adapters/rateLimit.js';
import { parseClockSetting, systemClock } from '#domain/clock.js';
import { bundleRegistry, installRegistry, type Registry } from '#domain/procedures/index.js';
import { eventHandlers, stepHandlers, workflowFile } from '#infra/handlers.js';
import { buildWorkflow } from '#infra/workflow/generate.js';
import { startLocalApi } from './api.js';
import { createSignInLimiter, createTokenIssuer } from './auth.js';
import { attachHistoryArchive } from './historyArchive.js';
import { LocalStepFunctions, type TaskHandler } from './sfn/engine.js';
import { startLocalDynamo } from './sfn/localDynamo.js';
import { startSfnServer } from './sfn/server.js';
import { realTime, VirtualTime } from './sfn/time.js';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface LocalStackOptions {
  host?: string;
  dynamoPort?: number;
  sfnPort?: number;
  apiPort?: number;
  /** Data folder (on disk); undefined keeps everything in memory (tests). */
  dataDir?: string;
  /**
   * What time it is for the steps, the API and the engine: a LIENTHONG_CLOCK value (`fixed:<ISO>` or `from:<ISO>`),
   * or a `VirtualTime` the caller moves by hand (tests: task timeouts then fire when time is advanced, not on the wall
   * clock). Undefined: the real clock.
   */
  clock?: string | VirtualTime;
  tableName?: string;
  region?: string;
  webDir?: string;
  /** Test-only: shortens Retry pauses of the named states (milliseconds). */
  retryIntervalOverrides?: Record<string, number>;
  /** Test/demo: the named callback states time out after these many seconds (escalation and missed windows). */
  taskTimeoutOverrides?: Record<string, number>;
  /**
   * Where chain heads are kept (adapters/chainAnchor.ts): a file, default `<dataDir>/chain-anchors.jsonl`; without
   * a data folder, in memory, unless a test names a file (so that `npm run audit` in another process can read it).
   */
  anchorFile?: string;
  /** Test-only: `false` runs without the history archive, as when EventBridge or the archiver is down (a crash). */
  historyArchive?: boolean;
  /**
   * Test-only: run another set of procedures (e.g. the bundle and a fifth one): the steps and the API read it, and the
   * workflow is generated from it instead of read from workflows/birth-bundle.asl.json (which is the bundle's).
   */
  registry?: Registry;
}

export const STATE_MACHINE_NAME = 'lienthong-birth-bundle';

const loadModule = async (entry: string) =>
  (await import(pathToFileURL(join(repoRoot, entry)).href)) as {
    handler: (event: unknown, context?: unknown) => Promise<unknown>;
  };

const ensureTable = async (client: import('@aws-sdk/client-dynamodb').DynamoDBClient, tableName: string) => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch {
    await client.send(new CreateTableCommand(caseTableDefinition(tableName)));
  }
};

export const startLocalStack = async (opts: LocalStackOptions = {}) => {
  const host = opts.host ?? '127.0.0.1';
  const region = opts.region ?? 'ap-southeast-1';
  const tableName = opts.tableName ?? 'lienthong-cases';
  const dynamo = await startLocalDynamo({
    host,
    port: opts.dynamoPort ?? 0,
    ...(opts.dataDir ? { path: join(opts.dataDir, 'dynamo') } : {}),
  });
  await ensureTable(dynamo.client, tableName);

  // One clock for the steps and the API (the config handed in below) and for the engine.
  const virtual = opts.clock instanceof VirtualTime ? opts.clock : undefined;
  const clockSetting = typeof opts.clock === 'string' ? opts.clock : undefined;
  const engine = new LocalStepFunctions({
    dynamo: dynamo.client,
    tableName: 'lienthong-local-sfn',
    region,
    time: virtual ?? realTime(() => config().clock.now()),
  });
  await engine.createTableIfMissing();
  const sfn = await startSfnServer({ engine, host, port: opts.sfnPort ?? 0 });
  const stateMachineArn = `arn:aws:states:${region}:000000000000:stateMachine:${STATE_MACHINE_NAME}`;

  // What CDK gives the deployed handlers as environment variables, plus the endpoints of the stand-ins: handed to
  // the config module before any handler is loaded (nothing is written to process.env).
  configure({
    tableName,
    region,
    stateMachineArn,
    dynamoEndpoint: dynamo.endpoint,
    sfnEndpoint: sfn.url,
    chainAnchor: opts.anchorFile
      ? `file:${opts.anchorFile}`
      : opts.dataDir
        ? `file:${join(opts.dataDir, 'chain-anchors.jsonl')}`
        : 'memory',
    // Stands in for the KMS key that seals callback tokens (functions/adapters/tokenSeal.ts); in memory without a folder.
    tokenKey: opts.dataDir ? { localKeyFile: join(opts.dataDir, 'token-seal.key') } : {},
    // Stands in for SNS and SES: GET /local/outbox (functions/adapters/notificationChannels.ts).
    notifier: { mode: 'outbox' },
    clock: virtual ?? parseClockSetting(clockSetting) ?? systemClock,
  });

  const substitutions: Record<string, string> = {};
  const handlers: Record<string, TaskHandler> = {};
  for (const step of stepHandlers) {
    const name = step.placeholder.replace(/FunctionArn$/, '');
    const arn = `arn:aws:lambda:${region}:000000000000:function:lienthong-${name}`;
    substitutions[step.placeholder] = arn;
    const mod = await loadModule(step.entry);
    handlers[arn] = (event) => mod.handler(event);
  }
  installRegistry(opts.registry ?? bundleRegistry);
  const definition = opts.registry
    ? buildWorkflow(opts.registry)
    : (JSON.parse(readFileSync(join(repoRoot, workflowFile), 'utf8')) as object);
  engine.registerStateMachine({
    name: STATE_MACHINE_NAME,
    definition,
    substitutions,
    handlers,
    overrides: {
      ...(opts.retryIntervalOverrides ? { retryIntervalOverrides: opts.retryIntervalOverrides } : {}),
      ...(opts.taskTimeoutOverrides ? { taskTimeoutOverrides: opts.taskTimeoutOverrides } : {}),
    },
  });

  const issuer = await createTokenIssuer(opts.dataDir ? join(opts.dataDir, 'local-issuer-key.json') : undefined);
  const api = await startLocalApi({
    host,
    port: opts.apiPort ?? 0,
    issuer,
    webDir: opts.webDir ?? join(repoRoot, 'web', 'dist'),
    load: async (entry) => (await loadModule(entry)).handler as never,
    signInLimiter: createSignInLimiter(attemptCounter, () => clock().now()),
  });
  const redriven = await engine.redrive();
  // Stands in for the EventBridge rule on execution status changes: the same archive handler copies each
  // execution's history beside its case (attached after the re-drive, which it picks up by listing RUNNING ones).
  const archiveHandler = (await loadModule(eventHandlers[0].entry)).handler as never;
  const archive =
    opts.historyArchive === false
      ? { idle: async () => {}, close: () => {} }
      : attachHistoryArchive(engine, archiveHandler);

  return {
    apiUrl: api.url,
    sfnUrl: sfn.url,
    dynamoUrl: dynamo.endpoint,
    dynamoServer: dynamo.server,
    stateMachineArn,
    tableName,
    engine,
    issuer,
    redriven,
    /** Resolves when every history copy started so far is written (tests and the bench wait on it). */
    archiveIdle: () => archive.idle(),
    async stop() {
      archive.close();
      await archive.idle();
      await api.close();
      await engine.close();
      await sfn.close();
      await dynamo.close();
    },
  };
};

export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
