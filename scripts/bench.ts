/**
 * `npm run bench`: N straight-through cases on the local stack, officers' decisions scripted through the HTTP API,
 * and in the same run the embedded DynamoDB's raw put rate and the bare interpreter's rate, so the figures read as
 * ratios on a shared, noisy machine. Options: --cases N (200), --concurrency C (20), --puts N (2000), --executions N (2000).
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { startLocalStack } from '#infra/local/stack.js';
import { apiClient, deciderOf } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[`BENCH_${name.toUpperCase()}`] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const CASES = arg('cases', 200);
const CONCURRENCY = arg('concurrency', 20);
const PUTS = arg('puts', 2000);
const EXECUTIONS = arg('executions', 2000);

const progress = (label: string, done: number, total: number) => {
  if (!process.stderr.isTTY && done !== total && done % Math.max(1, Math.floor(total / 10)) !== 0) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : process.stderr.isTTY ? '' : '\n'}`,
  );
};

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

const pool = async <T>(items: T[], n: number, f: (x: T, i: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await f(items[i]!, i);
      }
    }),
  );
};

const stack = await startLocalStack();
const api = apiClient(stack.apiUrl);

// Count write requests on the embedded DynamoDB, per table.
const writes = { cases: 0, engine: 0, other: 0 };
let reads = 0;
const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READ_OPS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
stack.dynamoServer.on('request', (req) => {
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  if (READ_OPS.has(op)) reads++;
  if (!WRITE_OPS.has(op)) return;
  let body = '';
  req.on('data', (c: Buffer) => (body += c));
  req.on('end', () => {
    if (body.includes(`"${stack.tableName}"`)) writes.cases++;
    else if (body.includes('"lienthong-local-sfn"')) writes.engine++;
    else writes.other++;
  });
});

// 1. Straight-through cases, with officers who approve whatever reaches their queue.
const agencies = [
  ['CIVIL_STATUS', deciderOf.BIRTH!],
  ['POLICE', deciderOf.RESIDENCE!],
  ['SOCIAL_SECURITY', deciderOf.HEALTH_INSURANCE!],
] as const;
let running = true;
const deciding = new Set<string>();
const officers = agencies.map(async ([agency, who]) => {
  while (running) {
    const q = await api.call<{ tasks: { caseId: string; procedure: string; kind: string }[] }>(
      'GET',
      `/queue?agency=${agency}`,
      { as: who },
    );
    const fresh = q.body.tasks.filter((t) => t.kind === 'DECISION' && !deciding.has(`${t.caseId}:${t.procedure}`));
    await Promise.all(
      fresh.map(async (t) => {
        deciding.add(`${t.caseId}:${t.procedure}`);
        await api.decide(t.caseId, t.procedure, 'APPROVED', who);
      }),
    );
    if (fresh.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
});

const latencies: number[] = [];
const caseIds: string[] = [];
const writesBefore = { ...writes };
const readsBefore = reads;
const t0 = performance.now();
await pool(
  Array.from({ length: CASES }, (_, i) => i),
  CONCURRENCY,
  async () => {
    const start = performance.now();
    const r = await api.file(demoDossier({ idCard: { requested: false } }));
    if (r.status !== 201) throw new Error(`filing failed: ${r.status} ${JSON.stringify(r.body)}`);
    const arn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${r.body.caseId}`;
    const d = await stack.engine.waitForExecution(arn, { timeoutMs: 120_000 });
    if (d.status !== 'SUCCEEDED' || JSON.parse(d.output ?? '{}').status !== 'COMPLETED')
      throw new Error(`case ${r.body.caseId} ended ${d.status} ${d.output}`);
    latencies.push(performance.now() - start);
    caseIds.push(r.body.caseId);
    progress('cases', caseIds.length, CASES);
  },
);
const seconds = (performance.now() - t0) / 1000;
running = false;
await Promise.all(officers);
await new Promise((r) => setTimeout(r, 200));
const caseWrites = (writes.cases - writesBefore.cases) / CASES;
const engineWrites = (writes.engine - writesBefore.engine) / CASES;
// Reads include the scripted officers' queue polling.
const readsPerCase = (reads - readsBefore) / CASES;

let transitions = 0;
for (const id of caseIds) {
  const arn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
  const h = await stack.engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
  transitions += h.events.filter((e) => e.type?.endsWith('StateEntered')).length;
}

// 2. Raw put rate of the same embedded DynamoDB (SDK client, same concurrency).
const ddb = new DynamoDBClient({
  endpoint: stack.dynamoUrl,
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
});
await ddb.send(
  new CreateTableCommand({
    TableName: 'bench-raw',
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  }),
);
const p0 = performance.now();
let puts = 0;
await pool(
  Array.from({ length: PUTS }, (_, i) => i),
  CONCURRENCY,
  async (i) => {
    await ddb.send(
      new PutItemCommand({ TableName: 'bench-raw', Item: { PK: { S: `K${i}` }, v: { S: 'x'.repeat(200) } } }),
    );
    progress('raw DynamoDB puts', ++puts, PUTS);
  },
);
const putRate = PUTS / ((performance.now() - p0) / 1000);

// 3. Bare interpreter: a 3-state machine with a trivial local task, same library as the engine.
const bare = new StateMachine(
  {
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Resource: 'arn:aws:lambda:ap-southeast-1:000000000000:function:noop', Next: 'B' },
      B: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'C' }], Default: 'C' },
      C: { Type: 'Pass', End: true },
    },
  },
  { validationOptions: { checkArn: false } },
);
const e0 = performance.now();
let execs = 0;
await pool(
  Array.from({ length: EXECUTIONS }, (_, i) => i),
  CONCURRENCY,
  async () => {
    const run = bare.run({}, { overrides: { taskResourceLocalHandlers: { A: async () => ({ ok: true }) } } });
    await run.result;
    progress('bare interpreter', ++execs, EXECUTIONS);
  },
);
const interpreterRate = EXECUTIONS / ((performance.now() - e0) / 1000);

await stack.stop();

const casesPerSecond = CASES / seconds;
const fmt = (n: number, d = 1) => n.toFixed(d);
console.log(`
Lienthong bench · ${CASES} straight-through cases, ${CONCURRENCY} in flight, Node ${process.version}
  cases/s (file → 3 approvals → COMPLETED)   ${fmt(casesPerSecond, 2)}
  latency filing → COMPLETED p50 / p99       ${fmt(percentile(latencies, 50), 0)} ms / ${fmt(percentile(latencies, 99), 0)} ms
  DynamoDB write requests per case           ${fmt(caseWrites)} case table + ${fmt(engineWrites)} engine history = ${fmt(caseWrites + engineWrites)}
  DynamoDB read requests per case            ${fmt(readsPerCase)} (with the officers' queue polling)
  state transitions per case                 ${fmt(transitions / CASES)}
  raw embedded DynamoDB puts/s               ${fmt(putRate, 0)}
  bare interpreter executions/s (3 states)   ${fmt(interpreterRate, 0)}
Ratios (same run):
  writes/s achieved ÷ raw put rate           ${fmt((casesPerSecond * (caseWrites + engineWrites)) / putRate, 2)}
  cases/s ÷ raw puts/s                       1 : ${fmt(putRate / casesPerSecond, 0)}
  cases/s ÷ bare executions/s                1 : ${fmt(interpreterRate / casesPerSecond, 0)}
`);
process.exit(0);
