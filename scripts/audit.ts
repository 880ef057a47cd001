/**
 * npm run audit -- verify|replay|export [--case ID | --from DATE --to DATE | --all] [--format jsonl|csv] [--out FILE] [--full]
 *                                       [--history FILE.json [--definition FILE.asl.json]]
 *                                       [--endpoint URL] [--table NAME] [--region R] [--anchor SETTING]
 *
 * Talks to the case table directly (the local stack's dynalite by default: http://127.0.0.1:8000, `lienthong-cases`;
 * env DYNAMODB_ENDPOINT / TABLE_NAME, or real DynamoDB with `--endpoint aws`), and to the chain anchor where the heads
 * are kept (`--anchor` or env CHAIN_ANCHOR: `file:<path>`, default `file:.data/chain-anchors.jsonl` as `npm start`
 * writes it; `s3://<bucket>` on AWS). verify is `verifyCase`, the same function as `GET /audit/cases/{id}/verify`. Progress on stderr, results on stdout
 * (or --out); exits 1 when anything fails verification or diverges on replay, 2 on a usage error.
 * `replay --history` replays a file from `aws stepfunctions get-execution-history --output json` without any table:
 * its definition comes from --definition (default workflows/birth-bundle.asl.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuditStore } from '#adapters/auditStore.js';
import { CaseStore } from '#adapters/caseStore.js';
import { exportCase, replayCase, verifyCase } from '#adapters/caseVerification.js';
import { anchorFromSetting } from '#adapters/chainAnchor.js';
import { replayHistory } from '#adapters/workflowReplay.js';
import { parseHistoryFile } from '#domain/executionHistory.js';

const usage = `usage: npm run audit -- verify|replay|export [--case ID | --from DATE --to DATE | --all] [--full]
       [--format jsonl|csv] [--out FILE] [--history FILE.json [--definition FILE]] [--endpoint URL] [--table NAME]
       [--anchor file:PATH|s3://BUCKET]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    case: { type: 'string', multiple: true },
    from: { type: 'string' },
    to: { type: 'string' },
    all: { type: 'boolean', default: false },
    format: { type: 'string', default: 'jsonl' },
    out: { type: 'string' },
    history: { type: 'string' },
    definition: { type: 'string', default: 'workflows/birth-bundle.asl.json' },
    endpoint: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    anchor: { type: 'string' },
    actor: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
  },
});

const fail = (message: string, code = 2): never => {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(code);
};

const command = positionals[0];
if (!command || !['verify', 'replay', 'export'].includes(command)) fail(`unknown command: ${command ?? '(none)'}`);
const format =
  values.format === 'csv' ? 'csv' : values.format === 'jsonl' ? 'jsonl' : fail(`--format must be jsonl or csv`);

const output: string[] = [];
const emit = (line: string) => {
  if (values.out) output.push(line);
  else process.stdout.write(`${line}\n`);
};
const finish = (failed: number) => {
  if (values.out) writeFileSync(values.out, `${output.join('\n')}\n`);
  process.exit(failed > 0 ? 1 : 0);
};

/** One line on stderr, redrawn in place on a terminal. */
const progress = (done: number, total: number, failed: number) => {
  if (values.quiet || total < 2) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${failed ? `  ${failed} failed` : ''}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${bar}${done === total ? '\n' : ''}`);
  else if (done === total || done % 50 === 0) process.stderr.write(`${bar}\n`);
};

// A history file from the AWS CLI: no table needed.
if (values.history) {
  if (command !== 'replay') fail('--history goes with replay');
  const events = parseHistoryFile(JSON.parse(readFileSync(values.history, 'utf8')));
  const definition = readFileSync(values.definition!, 'utf8');
  const { replayed: _r, ...report } = await replayHistory(definition, events);
  emit(JSON.stringify({ history: values.history, ...report }));
  process.stderr.write(
    `${report.verdict === 'verified' ? 'verified' : report.verdict.toUpperCase()}: ${values.history} (${report.states} states)\n`,
  );
  finish(report.verdict === 'verified' ? 0 : 1);
}

const endpoint = values.endpoint ?? process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000';
const tableName = values.table ?? process.env.TABLE_NAME ?? 'lienthong-cases';
const region = values.region ?? process.env.AWS_REGION ?? 'ap-southeast-1';
const raw = new DynamoDBClient({
  region,
  ...(endpoint === 'aws' ? {} : { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
});
const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const anchor = anchorFromSetting(
  values.anchor ?? process.env.CHAIN_ANCHOR ?? `file:${process.env.LIENTHONG_DATA_DIR ?? '.data'}/chain-anchors.jsonl`,
  region,
);
// Read-only on the case log: this tool writes nothing there (an export's read goes to the access log).
const deps = { caseStore: new CaseStore(doc, tableName), auditStore: new AuditStore(doc, tableName, anchor) };

let caseIds: string[];
if (values.case?.length) caseIds = values.case;
else if (values.all || values.from || values.to) {
  const day = (d: string | undefined) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00.000Z` : d);
  caseIds = (
    await deps.auditStore.listCases({
      ...(values.from ? { from: day(values.from) } : {}),
      ...(values.to ? { to: day(values.to) } : {}),
    })
  ).map((c) => c.caseId);
} else caseIds = fail('say which cases: --case ID, --from DATE --to DATE, or --all');

let failed = 0;
for (const [i, caseId] of caseIds.entries()) {
  try {
    if (command === 'verify') {
      const v = await verifyCase(caseId, deps, { full: values.full });
      if (!v.verified) {
        failed++;
        process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}ALTERED ${caseId}: ${v.problem ?? 'not verified'}\n`);
      } else if (!v.chain.anchoredSeq) {
        process.stderr.write(
          `WARNING ${caseId}: no anchored head: a deleted tail or a re-hashed chain would go unseen\n`,
        );
      }
      emit(JSON.stringify(v));
    } else if (command === 'replay') {
      const r = await replayCase(caseId, deps);
      if (r.verdict !== 'verified') {
        failed++;
        const d = r.executions.find((x) => x.divergence)?.divergence;
        process.stderr.write(
          `${process.stderr.isTTY ? '\n' : ''}${r.verdict.toUpperCase()} ${caseId}${d ? `: state #${d.index} ${d.state} (${d.what}) expected ${JSON.stringify(d.expected)} got ${JSON.stringify(d.actual)}` : ''}\n`,
        );
      }
      emit(JSON.stringify(r));
    } else {
      // An export holds personal data: the read is recorded in the case's access log like any other.
      if ((await deps.caseStore.loadEvents(caseId)).length === 0) throw new Error('no such case');
      const actor = { id: values.actor ?? `cli:${userInfo().username}`, role: 'auditor' as const };
      await deps.auditStore.recordAccess(caseId, actor, `audit.export.${format}`, new Date());
      const { text, proof } = await exportCase(caseId, format, deps, new Date());
      if (!proof.verified) failed++;
      emit(text.trimEnd());
    }
  } catch (err) {
    failed++;
    process.stderr.write(`ERROR ${caseId}: ${(err as Error).message}\n`);
  }
  progress(i + 1, caseIds.length, failed);
}
process.stderr.write(
  `${command}: ${caseIds.length - failed} of ${caseIds.length} case(s) ${command === 'replay' ? 'replayed to the same result' : 'verified'}\n`,
);
raw.destroy();
finish(failed);
