/**
 * `npm run bench`: N straight-through cases on the local stack, officers' decisions scripted through the HTTP API,
 * and in the same run the embedded DynamoDB's raw put rate and the bare interpreter's rate, so the figures read as
 * ratios on a shared, noisy machine. Options: --cases N (200), --concurrency C (20), --puts N (2000),
 * --executions N (2000), --out DIR (bench).
 *
 * `npm run bench -- --reads`: the same straight-through run (its cases are the data), then each read path (a family's
 * tracking page, a case's status, an agency's queue) at --connections C (200) for --seconds S (10) each, spread over
 * the run's cases.
 *
 * The report goes to stdout (the handlers' log lines are silenced: `LOG_LEVEL=SILENT` in package.json),
 * and with it `bench/<mode>.json` (every figure) and, for the straight-through run, `bench/<mode>.svg` (throughput
 * and latency percentiles over the run). DynamoDB request units are counted on the wire as AWS bills them
 * (scripts/bench/units.ts), and the AWS cost of one case is derived from the same counts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { startLocalStack } from '#infra/local/stack.js';
import { apiClient, deciderOf } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { type Completion, renderChart } from './bench/chart.js';
import { addCounts, emptyCount, PRICES, type UnitCount, unitsOf } from './bench/units.js';

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
const READS = process.argv.includes('--reads');
const CONNECTIONS = arg('connections', 200);
const READ_SECONDS = arg('seconds', 10);
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex >= 0 ? process.argv[outIndex + 1]! : 'bench';
const MODE = READS ? 'reads' : 'straight-through';
/** Lambda memory of every function (infra/cdk/constructs/lambdaDefaults.ts). */
const LAMBDA_GB = 0.5;

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

// Count requests and request units on the embedded DynamoDB, per table, from each request and its response.
const counts: Record<'cases' | 'engine' | 'other', UnitCount> = {
  cases: emptyCount(),
  engine: emptyCount(),
  other: emptyCount(),
};
let apiCalls = 0;
stack.dynamoServer.on('request', (req, res) => {
  const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  let body = '';
  req.on('data', (c: Buffer) => (body += c));
  const chunks: Buffer[] = [];
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (chunk) chunks.push(Buffer.from(chunk as Buffer));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk: unknown, ...rest: unknown[]) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
    try {
      const request = JSON.parse(body || '{}') as Record<string, unknown>;
      const response = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const table = body.includes(`"${stack.tableName}"`)
        ? 'cases'
        : body.includes('"lienthong-local-sfn"')
          ? 'engine'
          : 'other';
      counts[table] = addCounts(counts[table], unitsOf(op, request, response));
    } catch {
      /* not JSON: not counted */
    }
    return (end as (...a: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as typeof res.end;
});
const snapshot = () => ({ cases: { ...counts.cases }, engine: { ...counts.engine } });
const perCase = (before: ReturnType<typeof snapshot>, n: number) => {
  const d = (k: 'cases' | 'engine', f: keyof UnitCount) => (counts[k][f] - before[k][f]) / n;
  return {
    writeRequests: { cases: d('cases', 'writeRequests'), engine: d('engine', 'writeRequests') },
    readRequests: { cases: d('cases', 'readRequests'), engine: d('engine', 'readRequests') },
    writeUnits: { cases: d('cases', 'writeUnits'), engine: d('engine', 'writeUnits') },
    readUnits: { cases: d('cases', 'readUnits'), engine: d('engine', 'readUnits') },
  };
};

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
        apiCalls++;
      }),
    );
    if (fresh.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
});

const latencies: number[] = [];
const completions: Completion[] = [];
const caseIds: string[] = [];
const cases: { caseId: string; dossierCode: string; trackingSecret: string }[] = [];
const before = snapshot();
const t0 = performance.now();
await pool(
  Array.from({ length: CASES }, (_, i) => i),
  CONCURRENCY,
  async () => {
    const start = performance.now();
    const r = await api.file(demoDossier({ idCard: { requested: false } }));
    apiCalls++;
    if (r.status !== 201) throw new Error(`filing failed: ${r.status} ${JSON.stringify(r.body)}`);
    const arn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${r.body.caseId}`;
    const d = await stack.engine.waitForExecution(arn, { timeoutMs: 120_000 });
    if (d.status !== 'SUCCEEDED' || JSON.parse(d.output ?? '{}').status !== 'COMPLETED')
      throw new Error(`case ${r.body.caseId} ended ${d.status} ${d.output}`);
    latencies.push(performance.now() - start);
    completions.push({ at: (performance.now() - t0) / 1000, latencyMs: performance.now() - start });
    caseIds.push(r.body.caseId);
    cases.push(r.body);
    progress('cases', caseIds.length, CASES);
  },
);
const seconds = (performance.now() - t0) / 1000;
running = false;
await Promise.all(officers);
await new Promise((r) => setTimeout(r, 200));
// Reads include the scripted officers' queue polling.
const units = perCase(before, CASES);
const apiCallsPerCase = apiCalls / CASES;

let transitions = 0;
let stepInvocations = 0;
let stepSeconds = 0;
let stepsTimed = 0;
for (const id of caseIds) {
  const arn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
  const h = await stack.engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
  transitions += h.events.filter((e) => e.type?.endsWith('StateEntered')).length;
  // A step's run: from LambdaFunctionScheduled to its result (in-process here: what the handler itself took).
  const scheduled = new Map<number, number>();
  for (const e of h.events) {
    if (e.type === 'LambdaFunctionScheduled' || e.type === 'TaskScheduled') {
      stepInvocations++;
      if (e.type === 'LambdaFunctionScheduled') scheduled.set(e.id!, new Date(e.timestamp!).getTime());
    }
    if (e.type === 'LambdaFunctionSucceeded' || e.type === 'LambdaFunctionFailed') {
      const from = [...scheduled.entries()].filter(([sid]) => sid < e.id!).at(-1);
      if (from) {
        stepSeconds += (new Date(e.timestamp!).getTime() - from[1]) / 1000;
        stepsTimed++;
        scheduled.delete(from[0]);
      }
    }
  }
}
const transitionsPerCase = transitions / CASES;
const stepsPerCase = stepInvocations / CASES;
// Callback tasks' invocations (TaskScheduled) are timed like the others: the mean of the timed ones.
const meanStepSeconds = stepSeconds / Math.max(1, stepsTimed);

// 1b. Reads at scale over the run's cases (--reads).
interface ReadFigure {
  path: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}
const readFigures: ReadFigure[] = [];
if (READS) {
  const token = await api.token('hotich.badinh');
  const paths = [
    {
      path: 'GET /tracking/{code}',
      call: (i: number) => {
        const c = cases[i % cases.length]!;
        return fetch(`${stack.apiUrl}/tracking/${c.dossierCode}`, {
          headers: { 'x-tracking-secret': c.trackingSecret },
        });
      },
    },
    {
      path: 'GET /cases/{id}/status',
      call: (i: number) =>
        fetch(`${stack.apiUrl}/cases/${cases[i % cases.length]!.caseId}/status`, {
          headers: { authorization: `Bearer ${token}` },
        }),
    },
    {
      path: 'GET /queue',
      call: () => fetch(`${stack.apiUrl}/queue?agency=CIVIL_STATUS`, { headers: { authorization: `Bearer ${token}` } }),
    },
  ];
  for (const p of paths) {
    const times: number[] = [];
    let errors = 0;
    let i = 0;
    const r0 = performance.now();
    const until = r0 + READ_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < until) {
          const s0 = performance.now();
          try {
            const r = await p.call(i++);
            await r.arrayBuffer();
            if (r.status >= 400) errors++;
          } catch {
            errors++;
          }
          times.push(performance.now() - s0);
        }
      }),
    );
    const elapsed = (performance.now() - r0) / 1000;
    readFigures.push({
      path: p.path,
      requests: times.length,
      perSecond: times.length / elapsed,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      errors,
    });
    progress(`reads ${p.path}`, readFigures.length, paths.length);
  }
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
const writeRequests = units.writeRequests.cases + units.writeRequests.engine;
const readRequests = units.readRequests.cases + units.readRequests.engine;
const writeUnits = units.writeUnits.cases + units.writeUnits.engine;
const readUnits = units.readUnits.cases + units.readUnits.engine;
const lambdaInvocations = stepsPerCase + apiCallsPerCase;
const cost = {
  dynamo: (writeUnits * PRICES.dynamoWritePerMillion + readUnits * PRICES.dynamoReadPerMillion) / 1e6,
  stepFunctions: (transitionsPerCase * PRICES.stepFunctionsPerThousandTransitions) / 1000,
  lambda:
    lambdaInvocations * meanStepSeconds * LAMBDA_GB * PRICES.lambdaArmPerGbSecond +
    (lambdaInvocations * PRICES.lambdaPerMillionRequests) / 1e6,
};
const costPerCase = cost.dynamo + cost.stepFunctions + cost.lambda;
const efficiency = (casesPerSecond * writeRequests) / putRate;
const fmt = (n: number, d = 1) => n.toFixed(d);
const usd = (n: number) => `$${n.toFixed(6)}`;
const figures = {
  mode: MODE,
  node: process.version,
  cases: CASES,
  concurrency: CONCURRENCY,
  casesPerSecond,
  latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99) },
  perCase: {
    ...units,
    total: { writeRequests, readRequests, writeUnits, readUnits },
    transitions: transitionsPerCase,
    lambdaInvocations: { steps: stepsPerCase, api: apiCallsPerCase },
  },
  meanStepSeconds,
  costPerCaseUsd: { ...cost, total: costPerCase, prices: PRICES, lambdaMemoryGb: LAMBDA_GB },
  rawPutsPerSecond: putRate,
  bareExecutionsPerSecond: interpreterRate,
  ratios: {
    efficiency,
    rawPutsPerCasePerSecond: putRate / casesPerSecond,
    bareExecutionsPerCasePerSecond: interpreterRate / casesPerSecond,
  },
  reads: readFigures,
  completions,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, `${MODE}.json`), `${JSON.stringify(figures, null, 2)}\n`);
const chartFile = join(OUT, `${MODE}.svg`);
writeFileSync(
  chartFile,
  renderChart(
    completions,
    `Lienthong bench · ${CASES} cases, ${CONCURRENCY} in flight · ${fmt(casesPerSecond, 2)} cases/s`,
  ),
);

console.log(`
Lienthong bench · ${MODE} · ${CASES} straight-through cases, ${CONCURRENCY} in flight, Node ${process.version}
  cases/s (file → 3 approvals → COMPLETED)   ${fmt(casesPerSecond, 2)}
  latency filing → COMPLETED p50 / p99       ${fmt(percentile(latencies, 50), 0)} ms / ${fmt(percentile(latencies, 99), 0)} ms
  DynamoDB write requests per case           ${fmt(units.writeRequests.cases)} case table + ${fmt(units.writeRequests.engine)} engine history = ${fmt(writeRequests)}
  DynamoDB read requests per case            ${fmt(readRequests)} (with the officers' queue polling)
  DynamoDB request units per case (billed)   ${fmt(writeUnits)} write + ${fmt(readUnits)} read
  state transitions per case                 ${fmt(transitionsPerCase)}
  Lambda invocations per case                ${fmt(stepsPerCase)} steps + ${fmt(apiCallsPerCase)} API calls, step mean ${fmt(meanStepSeconds * 1000, 0)} ms
  AWS cost of one case (list prices)         ${usd(costPerCase)} = DynamoDB ${usd(cost.dynamo)} + Step Functions ${usd(cost.stepFunctions)} + Lambda ${usd(cost.lambda)}
  raw embedded DynamoDB puts/s               ${fmt(putRate, 0)}
  bare interpreter executions/s (3 states)   ${fmt(interpreterRate, 0)}
Ratios (same run):
  efficiency = writes/s achieved ÷ raw puts/s ${fmt(efficiency, 2)}
  cases/s ÷ raw puts/s                       1 : ${fmt(putRate / casesPerSecond, 0)}
  cases/s ÷ bare executions/s                1 : ${fmt(interpreterRate / casesPerSecond, 0)}
${
  readFigures.length
    ? `Reads (${CONNECTIONS} connections, ${READ_SECONDS} s each, over the ${cases.length} cases of this run):
${readFigures
  .map(
    (r) =>
      `  ${r.path.padEnd(26)} ${fmt(r.perSecond, 0).padStart(6)} req/s  p50 ${fmt(r.p50, 0)} ms  p99 ${fmt(r.p99, 0)} ms  errors ${r.errors}`,
  )
  .join('\n')}
`
    : ''
}Written: ${join(OUT, `${MODE}.json`)}, ${chartFile}
`);
process.exit(0);
