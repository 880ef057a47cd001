/**
 * `npm run crash-run -- --cases 200 --kills 5`: the crash figure of issue 9. Starts `npm start`'s entry
 * (infra/local/main.ts) as a child process on a data folder of its own (under the OS temp dir), on ports the OS says
 * are free, with a pinned clock (LIENTHONG_CLOCK `from:` the suite's Monday 09:00 plus the run's elapsed time, so time
 * runs on across restarts). Officers file N cases while the civil-status, police, identity and insurance officers
 * decide them concurrently (everything approved; every `--supplement-every`-th case goes through a supplement
 * round-trip answered by the family with its tracking secret). The server is SIGKILLed `--kills` times at random
 * moments (about half while filing, the rest while deciding) and started again; every request a client saw fail
 * (no answer, a 5xx, a 409 `dossier.filingInProgress`) is sent again as a real client would: the same `requestId`,
 * the same decision, the same supplement.
 *
 * At the end it measures and prints:
 *   cases filed / completed;
 *   lost secrets: a family whose tracking secret does not open its case, or a filing that got no secret and whose
 *     case's office cannot re-issue one;
 *   duplicated legal acts: two cases for one child, a procedure completed twice, two birth registration numbers or
 *     two personal IDs for one child, or one number given twice;
 *   archive gaps: a succeeded execution without its history pinned at completion, archived events outside every digest;
 *   verify failures: `npm run audit -- verify --all` (a child process) and `verifyCase` across all cases.
 * Exit 1 when any of those is not 0 (or a case did not complete), 2 on a usage error.
 *
 * Options: --cases N (200) --kills K (5) --filers F (6) --deciders D (4, per agency) --supplement-every S (10)
 * --id-card-every C (4) --seed X (random) --keep (keep the data folder) --json FILE (the figures as JSON).
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AuditStore } from '#adapters/auditStore.js';
import { CaseStore } from '#adapters/caseStore.js';
import { verifyCase } from '#adapters/caseVerification.js';
import { anchorFromSetting } from '#adapters/chainAnchor.js';
import type { CaseEvent } from '#domain/events.js';
import { archivedHistoryProblem, latestPins } from '#domain/executionHistory.js';
import { repoRoot, STATE_MACHINE_NAME } from '#infra/local/stack.js';
import { deciderOf } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { startServerProcess } from '#support/localServer.js';
import { freePort } from '#support/net.js';
import { MONDAY_0900_VIETNAM } from '#support/time.js';

const usage = `usage: npm run crash-run -- [--cases N] [--kills K] [--filers F] [--deciders D] [--supplement-every S]
       [--id-card-every C] [--seed X] [--keep] [--json FILE]`;
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    kills: { type: 'string', default: '5' },
    filers: { type: 'string', default: '6' },
    deciders: { type: 'string', default: '4' },
    'supplement-every': { type: 'string', default: '10' },
    'id-card-every': { type: 'string', default: '4' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const int = (name: keyof typeof values, min: number) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < min) {
    process.stderr.write(`--${name} must be a whole number ≥ ${min}\n${usage}\n`);
    process.exit(2);
  }
  return v;
};
const CASES = int('cases', 1);
const KILLS = int('kills', 0);
const FILERS = int('filers', 1);
const DECIDERS = int('deciders', 1);
const SUPPLEMENT_EVERY = int('supplement-every', 1);
const ID_CARD_EVERY = int('id-card-every', 1);

// A small seeded generator, so a run's kill moments can be replayed (`--seed`).
let seed = values.seed !== undefined ? Number(values.seed) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const SEED = seed;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
const t0 = performance.now();

// ---------------------------------------------------------------------------------------------------------------
// The server: npm start's entry, killed with SIGKILL and started again on the same folder and ports.

const dataDir = mkdtempSync(join(tmpdir(), 'lienthong-crash-run-'));
const ports = { api: await freePort(), sfn: await freePort(), ddb: await freePort() };
const baseUrl = `http://127.0.0.1:${ports.api}`;
let server: ChildProcess | undefined;
let serverOut = '';
let up = false;

const startServer = async () => {
  // Time runs on across restarts: the pinned Monday 09:00 (Vietnam) plus the run's elapsed time.
  const clock = `from:${new Date(Date.parse(MONDAY_0900_VIETNAM) + (performance.now() - t0)).toISOString()}`;
  const started = await startServerProcess({ ports, dataDir, clock });
  server = started.process;
  server.once('exit', () => (serverOut += started.output()));
  up = true;
  return { redriven: started.redriven ?? 0 };
};

const killServer = async () => {
  const p = server!;
  up = false;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
};

// ---------------------------------------------------------------------------------------------------------------
// Clients: what a browser or an officer's app does, retrying what failed.

const tokens = new Map<string, string>();
const unexpected: string[] = [];
/** A failure a real client retries: no answer (the server died or is starting), a 5xx, a 429. */
type Answer = { status: number; body: Record<string, unknown> };
const request = async (
  method: string,
  path: string,
  opts: { as?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer | undefined> => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
  try {
    if (opts.as) {
      let t = tokens.get(opts.as);
      if (!t) {
        const r = await fetch(`${baseUrl}/local/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: opts.as, password: 'demo' }),
          signal: AbortSignal.timeout(60_000),
        });
        if (r.status !== 200) return undefined;
        t = ((await r.json()) as { token: string }).token;
        tokens.set(opts.as, t);
      }
      headers.authorization = `Bearer ${t}`;
    }
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await r.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { text };
    }
    if (r.status === 401 && opts.as) tokens.delete(opts.as);
    return { status: r.status, body };
  } catch {
    return undefined; // no answer: connection refused or reset (a kill), or a timeout
  }
};
const rule = (a: Answer) => (a.body.error as { rule?: string } | undefined)?.rule;
const retryable = (a: Answer | undefined) =>
  a === undefined || a.status >= 500 || a.status === 429 || a.status === 401 || rule(a) === 'dossier.filingInProgress';

/** Sends the same request until it gets an answer that is not a failure; counts the retries. */
const stats = { failedRequests: 0, retriedFilings: 0 };
const persist = async (method: string, path: string, opts: Parameters<typeof request>[2], what: string) => {
  for (let attempt = 1; ; attempt++) {
    const a = await request(method, path, opts);
    if (!retryable(a)) return { answer: a!, attempts: attempt };
    stats.failedRequests++;
    if (a && a.status >= 500) unexpected.push(`${what}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
    if (performance.now() - t0 > deadlineMs) throw new Error(`${what}: still failing at the run's end`);
    // Down or starting: back off, as a browser's retry would, so the restart is not slowed by a storm of retries.
    await sleep(up ? 100 + random() * 200 : 1000);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// The run.

interface Filed {
  index: number;
  requestId: string;
  dossier: Record<string, unknown>;
  caseId: string;
  code: string;
  secret?: string;
  attempts: number;
  status: number;
  supplement: boolean;
  idCard: boolean;
}
const filed: Filed[] = [];
const deadlineMs = 40 * 60_000;
let decisions = 0;
const expectedDecisions = Array.from({ length: CASES }, (_, i) => 3 + (i % ID_CARD_EVERY === 0 ? 1 : 0)).reduce(
  (a, b) => a + b,
  // a supplement case: the request for it, and the family's answer
  2 * (Math.floor((CASES - 1) / SUPPLEMENT_EVERY) + 1),
);

const fileOne = async (index: number) => {
  const idCard = index % ID_CARD_EVERY === 0;
  const supplement = index % SUPPLEMENT_EVERY === 0;
  const dossier = demoDossier(idCard ? {} : { idCard: { requested: false } });
  const requestId = randomUUID();
  const { answer, attempts } = await persist(
    'POST',
    '/applications',
    { as: 'hotich.badinh', body: { requestId, dossier } },
    `filing #${index}`,
  );
  if (attempts > 1) stats.retriedFilings++;
  if (answer.status !== 201 && answer.status !== 200) {
    unexpected.push(`filing #${index}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return;
  }
  const b = answer.body as { caseId: string; dossierCode: string; trackingSecret?: string };
  filed.push({
    index,
    requestId,
    dossier,
    caseId: b.caseId,
    code: b.dossierCode,
    ...(b.trackingSecret ? { secret: b.trackingSecret } : {}),
    attempts,
    status: answer.status,
    supplement,
    idCard,
  });
};

const byCase = () => new Map(filed.map((f) => [f.caseId, f]));
let filingDone = false;
let allDone = false;

const agencies = [
  ['CIVIL_STATUS', deciderOf.BIRTH!],
  ['POLICE', deciderOf.RESIDENCE!],
  ['IDENTITY', deciderOf.ID_CARD!],
  ['SOCIAL_SECURITY', deciderOf.HEALTH_INSURANCE!],
] as const;
/** `${caseId}:${procedure}:${round}` answered 2xx (or in flight): not decided again unless it lingers. */
const decided = new Map<string, number>();

const decideOne = async (task: { caseId: string; procedure: string; round: number }, as: string) => {
  const f = byCase().get(task.caseId);
  const askSupplement = task.procedure === 'BIRTH' && task.round === 1 && f?.supplement === true;
  const body = askSupplement
    ? {
        procedure: task.procedure,
        round: task.round,
        decision: 'SUPPLEMENT_REQUESTED',
        reason: 'Thiếu tên đệm của trẻ',
      }
    : { procedure: task.procedure, round: task.round, decision: 'APPROVED' };
  const what = `decision ${task.caseId} ${task.procedure} round ${task.round}`;
  const { answer } = await persist('POST', `/cases/${task.caseId}/decisions`, { as, body }, what);
  if (answer.status === 202 || answer.status === 200) decisions++;
  else if (rule(answer) !== 'task.notOpen') {
    unexpected.push(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
};

const officer = async (agency: string, as: string) => {
  const inFlight = new Set<Promise<void>>();
  while (!allDone) {
    const q = await request('GET', `/queue?agency=${agency}`, { as });
    const tasks =
      q?.status === 200
        ? (q.body.tasks as { caseId: string; procedure: string; kind: string; round: number }[]).filter(
            (t) => t.kind === 'DECISION',
          )
        : [];
    for (const t of tasks) {
      const key = `${t.caseId}:${t.procedure}:${t.round}`;
      const at = decided.get(key);
      // Answered already: the queue may show it until the task is closed; only a task still open 20 s later is
      // decided again (the same decision, as an officer would press the button again).
      if (at !== undefined && performance.now() - at < 20_000) continue;
      if (inFlight.size >= DECIDERS) break;
      decided.set(key, Number.POSITIVE_INFINITY);
      const p = decideOne(t, as)
        .then(() => void decided.set(key, performance.now()))
        .catch((e: Error) => void unexpected.push(e.message));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await sleep(inFlight.size >= DECIDERS ? 50 : 250);
  }
  await Promise.all([...inFlight]);
};

/** The family of a supplement case answers the request from its tracking page, with a change to the child's name. */
const family = async (f: Filed) => {
  if (!f.secret) return;
  const headers = { 'x-tracking-secret': f.secret };
  while (!allDone) {
    const t = await request('GET', `/tracking/${f.code}`, { headers });
    const birth = (t?.body.procedures as Record<string, { status: string; round: number }> | undefined)?.BIRTH;
    if (birth && birth.status !== 'SUPPLEMENT_REQUESTED' && birth.round >= 2) return;
    if (birth?.status === 'COMPLETED' || birth?.status === 'REFUSED') return;
    if (birth?.status === 'SUPPLEMENT_REQUESTED') {
      const body = { procedure: 'BIRTH', note: 'Đã bổ sung tên đệm', changes: { child: { middleName: 'Minh Bảo' } } };
      const { answer } = await persist(
        'POST',
        `/tracking/${f.code}/supplements`,
        { headers, body },
        `supplement ${f.caseId}`,
      );
      if (answer.status === 202 || answer.status === 200) {
        decisions++;
        return;
      }
      if (rule(answer) !== 'task.notOpen') {
        unexpected.push(`supplement ${f.caseId}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        return;
      }
    }
    await sleep(500);
  }
};

// Kill moments: about half while filing (a fraction of the cases filed), the rest while deciding (a fraction of
// the decisions answered), each a random few hundred milliseconds after its mark.
const filingKills = Math.ceil(KILLS / 2);
const marks = [
  ...Array.from({ length: filingKills }, () => ({ phase: 'filing' as const, at: 0.1 + 0.8 * random() })),
  ...Array.from({ length: KILLS - filingKills }, () => ({ phase: 'deciding' as const, at: 0.15 + 0.7 * random() })),
].sort((a, b) => (a.phase === b.phase ? a.at - b.at : a.phase === 'filing' ? -1 : 1));
const killLog: { phase: string; filed: number; decisions: number; redriven: number; restartSeconds: number }[] = [];

const killer = async () => {
  // Work answered since the last start: a kill lands on a server that is serving, not one still starting.
  let since = 0;
  for (const m of marks) {
    for (;;) {
      const progress = m.phase === 'filing' ? filed.length / CASES : decisions / expectedDecisions;
      const served = filed.length + decisions - since >= 5;
      if ((progress >= m.at && served) || (m.phase === 'filing' && filingDone) || allDone) break;
      await sleep(20);
    }
    await sleep(random() * 400);
    const at = { phase: m.phase, filed: filed.length, decisions };
    await killServer();
    log(`SIGKILL ${killLog.length + 1}/${KILLS} (${m.phase}: ${at.filed} filed, ${at.decisions} decisions answered)`);
    const killedAt = performance.now();
    const { redriven } = await startServer();
    const restartSeconds = Math.round((performance.now() - killedAt) / 100) / 10;
    killLog.push({ ...at, redriven, restartSeconds });
    since = filed.length + decisions;
    log(`restarted in ${restartSeconds} s, ${redriven} executions re-driven`);
  }
};

const caseStatus = async (f: Filed) => {
  const r = await request('GET', `/cases/${f.caseId}/status`, { as: 'kiemtra' });
  return r?.status === 200 ? String(r.body.status) : undefined;
};

log(`data ${dataDir}, seed ${SEED}, ${CASES} cases, ${KILLS} kills`);
await startServer();
log('server started');

const officers = agencies.map(([agency, as]) => officer(agency, as));
const killing = killer();
const families: Promise<void>[] = [];
let nextIndex = 0;
await Promise.all(
  Array.from({ length: FILERS }, async () => {
    while (nextIndex < CASES) {
      const i = nextIndex++;
      await fileOne(i);
      const f = filed.at(-1);
      if (f?.index === i && f.supplement) families.push(family(f));
      if (filed.length % 25 === 0) log(`${filed.length} filed, ${decisions} decisions answered`);
    }
  }),
);
filingDone = true;
log(`filing done: ${filed.length} cases`);

// Every case to its end (or the run's deadline), the kills all made.
const closed = new Set(['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
const statuses = new Map<string, string>();
let lastProgress = performance.now();
for (;;) {
  for (const f of filed) {
    if (closed.has(statuses.get(f.caseId) ?? '')) continue;
    const s = await caseStatus(f);
    if (s && s !== statuses.get(f.caseId)) lastProgress = performance.now();
    if (s) statuses.set(f.caseId, s);
  }
  const open = filed.filter((f) => !closed.has(statuses.get(f.caseId) ?? '')).length;
  const killsDone = killLog.length === KILLS;
  if (open === 0 && killsDone) break;
  if (killsDone && performance.now() - lastProgress > 180_000) {
    log(`${open} cases made no progress for 3 minutes: measuring as they are`);
    break;
  }
  if (performance.now() - t0 > deadlineMs) {
    log(`the run's deadline: measuring as it is (${open} open)`);
    break;
  }
  await sleep(1000);
}
await killing;
allDone = true;
await Promise.all([...officers, ...families]);
log(`${[...statuses.values()].filter((s) => s === 'COMPLETED').length} completed; measuring`);

// ---------------------------------------------------------------------------------------------------------------
// Measures.

const region = 'ap-southeast-1';
const tableName = 'lienthong-cases';
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region,
    endpoint: `http://127.0.0.1:${ports.ddb}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const anchorSetting = `file:${join(dataDir, 'chain-anchors.jsonl')}`;
const deps = {
  caseStore: new CaseStore(doc, tableName),
  auditStore: new AuditStore(doc, tableName, anchorFromSetting(anchorSetting, region)),
};
const sfn = new SFNClient({
  region,
  endpoint: `http://127.0.0.1:${ports.sfn}`,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const stateMachineArn = `arn:aws:states:${region}:000000000000:stateMachine:${STATE_MACHINE_NAME}`;
const executions: { name: string; status: string }[] = [];
let nextToken: string | undefined;
do {
  const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken }));
  for (const x of page.executions ?? []) executions.push({ name: x.name ?? '', status: String(x.status) });
  nextToken = page.nextToken;
} while (nextToken);

// The archive of an execution's end is written just after it ends: give the last ones a moment (not a gap yet).
const pinnedFinal = (events: CaseEvent[], name: string, status: string) =>
  events.some((e) => e.data.type === 'HISTORY_ARCHIVED' && e.data.executionName === name && e.data.status === status);
const succeeded = executions.filter((x) => x.status === 'SUCCEEDED');
for (const until = performance.now() + 60_000; performance.now() < until; await sleep(1000)) {
  let missing = 0;
  for (const x of succeeded) if (!pinnedFinal(await deps.caseStore.loadEvents(x.name), x.name, x.status)) missing++;
  if (missing === 0) break;
}

// Every case in the table (the clients' and any other), from its first event.
const scanned: { caseId: string; type: string; event: CaseEvent }[] = [];
let start: Record<string, unknown> | undefined;
do {
  const r = await doc.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(SK, :ev) AND (#t = :filed OR #t = :done)',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':ev': 'EVENT#', ':filed': 'DOSSIER_FILED', ':done': 'PROCEDURE_COMPLETED' },
      ExclusiveStartKey: start,
    }),
  );
  for (const item of r.Items ?? []) {
    const event = item.event as CaseEvent;
    scanned.push({ caseId: event.caseId, type: event.data.type, event });
  }
  start = r.LastEvaluatedKey;
} while (start);

const duplicates: string[] = [];
// Two cases for one child (the birth-certificate number of the filed dossier).
const casesOfChild = new Map<string, string[]>();
for (const s of scanned) {
  if (s.event.data.type !== 'DOSSIER_FILED') continue;
  const child = s.event.data.dossier.birthCertificate?.number ?? s.caseId;
  casesOfChild.set(child, [...(casesOfChild.get(child) ?? []), s.caseId]);
}
for (const [child, ids] of casesOfChild) if (ids.length > 1) duplicates.push(`child ${child}: cases ${ids.join(', ')}`);
// A procedure completed twice in one case; a number given twice anywhere; two numbers for one child.
const completions = new Map<string, number>();
const numbers = new Map<string, string>();
/** The numbers each procedure issues (a card or an ID card repeats the personal ID the birth issued: not a new act). */
const ISSUED: Record<string, string[]> = {
  BIRTH: ['birthRegistrationNumber', 'personalIdNumber'],
  RESIDENCE: ['noticeNumber'],
  HEALTH_INSURANCE: ['cardNumber'],
  ID_CARD: [],
};
const childOfCase = new Map(
  scanned.flatMap((s) =>
    s.event.data.type === 'DOSSIER_FILED'
      ? [[s.caseId, s.event.data.dossier.birthCertificate?.number ?? s.caseId]]
      : [],
  ),
);
const perChild = new Map<string, Set<string>>();
for (const s of scanned) {
  if (s.event.data.type !== 'PROCEDURE_COMPLETED') continue;
  const key = `${s.caseId}:${s.event.data.procedure}`;
  completions.set(key, (completions.get(key) ?? 0) + 1);
  for (const field of ISSUED[s.event.data.procedure] ?? []) {
    const v = s.event.data.result[field];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const n = `${field}=${v}`;
    const owner = numbers.get(n);
    if (owner !== undefined && owner !== key) duplicates.push(`${n} given to ${owner} and ${key}`);
    numbers.set(n, key);
    if (field === 'birthRegistrationNumber' || field === 'personalIdNumber') {
      const c = `${childOfCase.get(s.caseId)}:${field}`;
      perChild.set(c, new Set([...(perChild.get(c) ?? []), String(v)]));
    }
  }
}
for (const [key, n] of completions) if (n > 1) duplicates.push(`${key} completed ${n} times`);
for (const [c, vs] of perChild) if (vs.size > 1) duplicates.push(`child ${c}: ${[...vs].join(', ')}`);

// Lost secrets: each family's secret opens its case; a filing answered without one gets one re-issued, or it is lost.
const lost: string[] = [];
let reissued = 0;
for (const f of filed) {
  if (!f.secret) {
    const { answer } = await persist(
      'POST',
      `/cases/${f.caseId}/tracking-secret`,
      { as: 'hotich.badinh', body: { reason: 'Gia đình chưa nhận được mã tra cứu (crash run)' } },
      `re-issue ${f.caseId}`,
    );
    if (answer.status !== 201 || typeof answer.body.trackingSecret !== 'string') {
      lost.push(`${f.caseId}: answered without a secret, re-issue ${answer.status} ${rule(answer) ?? ''}`);
      continue;
    }
    reissued++;
    f.secret = answer.body.trackingSecret;
  }
  const { answer } = await persist(
    'GET',
    `/tracking/${f.code}`,
    { headers: { 'x-tracking-secret': f.secret! } },
    `tracking ${f.code}`,
  );
  if (answer.status !== 200) lost.push(`${f.caseId}: its secret answers ${answer.status} ${rule(answer) ?? ''}`);
}

// Archive gaps: a succeeded execution not pinned at completion; archived events outside every digest.
const gaps: string[] = [];
const caseIds = [...new Set([...scanned.map((s) => s.caseId), ...filed.map((f) => f.caseId)])].sort();
for (const x of succeeded) {
  if (!pinnedFinal(await deps.caseStore.loadEvents(x.name), x.name, x.status)) {
    gaps.push(`${x.name}: succeeded, history not pinned at completion`);
  }
}
for (const caseId of caseIds) {
  const pins = new Map(latestPins(await deps.caseStore.loadEvents(caseId)).map((p) => [p.executionName, p]));
  for (const [name, archived] of await deps.auditStore.listHistories(caseId)) {
    const problem = archivedHistoryProblem(name, pins.get(name), archived);
    if (problem?.includes('outside every digest')) gaps.push(`${caseId}: ${problem}`);
  }
}

// Verify: the command line over every case, and verifyCase on each.
const cli = spawnSync(
  join(repoRoot, 'node_modules/.bin/node'),
  ['--import', 'tsx', 'scripts/audit.ts', 'verify', '--all', '--quiet'],
  {
    cwd: repoRoot,
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${ports.ddb}`,
      TABLE_NAME: tableName,
      CHAIN_ANCHOR: anchorSetting,
    },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  },
);
const cliLines = cli.stdout
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { caseId: string; verified: boolean; problem?: string });
const cliFailures = cliLines.filter((l) => !l.verified).map((l) => `${l.caseId}: ${l.problem}`);
if (cli.status !== 0 && cliFailures.length === 0) cliFailures.push(`exit ${cli.status}: ${cli.stderr.slice(-2000)}`);
const verifyFailures: string[] = [];
for (const caseId of caseIds) {
  const v = await verifyCase(caseId, deps);
  if (!v.verified) verifyFailures.push(`${caseId}: ${v.problem}`);
}

await killServer();
const completed = filed.filter((f) => statuses.get(f.caseId) === 'COMPLETED').length;
const figures = {
  command: `npm run crash-run -- --cases ${CASES} --kills ${KILLS} --seed ${SEED}`,
  seconds: Math.round((performance.now() - t0) / 1000),
  casesFiled: filed.length,
  casesInTable: casesOfChild.size === 0 ? 0 : [...casesOfChild.values()].flat().length,
  casesCompleted: completed,
  kills: killLog.length,
  killsDuringFiling: killLog.filter((k) => k.phase === 'filing').length,
  killsDuringDecisions: killLog.filter((k) => k.phase === 'deciding').length,
  retriedFilings: stats.retriedFilings,
  failedRequestsRetried: stats.failedRequests,
  secretsReissued: reissued,
  supplementRoundTrips: filed.filter((f) => f.supplement).length,
  executionsSucceeded: succeeded.length,
  lostSecrets: lost.length,
  duplicatedLegalActs: duplicates.length,
  archiveGaps: gaps.length,
  verifyFailuresCli: cliFailures.length,
  verifyFailuresVerifyCase: verifyFailures.length,
  unexpectedAnswers: unexpected.length,
};
const details = { lost, duplicates, gaps, cliFailures, verifyFailures, unexpected: unexpected.slice(0, 50), killLog };
const bad =
  figures.lostSecrets +
    figures.duplicatedLegalActs +
    figures.archiveGaps +
    figures.verifyFailuresCli +
    figures.verifyFailuresVerifyCase >
    0 ||
  completed !== CASES ||
  figures.kills !== KILLS;

const row = (label: string, v: unknown) => `  ${label.padEnd(44)} ${v}`;
console.log(`Crash run: ${figures.command}  (${figures.seconds} s)
${row('cases filed', figures.casesFiled)}
${row('cases completed', figures.casesCompleted)}
${row('SIGKILLs (during filing / during decisions)', `${figures.kills} (${figures.killsDuringFiling} / ${figures.killsDuringDecisions})`)}
${row('restart after each kill (s)', killLog.map((k) => k.restartSeconds).join(', '))}
${row('filings retried by their client', figures.retriedFilings)}
${row('failed requests retried', figures.failedRequestsRetried)}
${row('supplement round-trips', figures.supplementRoundTrips)}
${row('secrets re-issued (answered without one)', figures.secretsReissued)}
${row('lost secrets', figures.lostSecrets)}
${row('duplicated legal acts', figures.duplicatedLegalActs)}
${row('archive gaps', figures.archiveGaps)}
${row('npm run audit -- verify failures', figures.verifyFailuresCli)}
${row('verifyCase failures', figures.verifyFailuresVerifyCase)}
${row('5xx / unexpected answers seen', figures.unexpectedAnswers)}`);
for (const [name, list] of Object.entries(details)) {
  if (name === 'killLog' || !Array.isArray(list) || list.length === 0) continue;
  console.log(
    `\n${name}:\n${(list as string[])
      .slice(0, 20)
      .map((l) => `  ${l}`)
      .join('\n')}`,
  );
}
if (values.json) writeFileSync(values.json, `${JSON.stringify({ figures, ...details }, null, 2)}\n`);
if (bad) {
  console.log(`\nserver output (tail):\n${serverOut.slice(-3000)}`);
  console.log(`FAILED (data kept in ${dataDir})`);
} else if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
else console.log(`data kept in ${dataDir}`);
process.exit(bad ? 1 : 0);
