/**
 * The auditor's operations on one case, shared by the API (functions/api/audit.ts) and the command line
 * (scripts/audit.ts): verify the record (the hash chain against its anchored heads, the state projection against the
 * events, every archived history against the digest the chain pins, the access log's own chain), replay the recorded
 * workflow (a check of the workflow's record), export the record with its proof. docs/audit.md says what verify
 * proves and what it cannot.
 */

import { archivedHistoryProblem, definitionHash, latestPins, unpinnedCompletion } from '#domain/executionHistory.js';
import {
  type AccessChainReport,
  type ChainReport,
  canonicalJson,
  GENESIS_HASH,
  verifyAccessChain,
  verifyChain,
} from '#domain/hashChain.js';
import { type ProjectionReport, verifyProjection } from '#domain/projectionCheck.js';
import type { AuditStore } from './auditStore.js';
import type { CaseStore } from './caseStore.js';
import { accessChain, accessCheckpointChain, caseChain } from './chainAnchor.js';
import { type ReplayResult, replayHistory } from './workflowReplay.js';

export interface AuditDeps {
  caseStore: CaseStore;
  auditStore: AuditStore;
}

export interface HistoryCheck {
  executionName: string;
  verified: boolean;
  events: number;
  problem?: string;
}

export interface CaseVerification {
  caseId: string;
  verified: boolean;
  chain: ChainReport;
  projection: ProjectionReport;
  histories: HistoryCheck[];
  access: AccessChainReport;
  /** The first problem found, in words (chain, projection, histories, access log, in that order). */
  problem?: string;
}

/**
 * Verifies one case's record. The one function behind `npm run audit -- verify` and `GET /audit/cases/{id}/verify`.
 * A case still running may be written between the reads (its state or a new anchored head seen ahead of the events
 * read): a failed verification is therefore done once more, and only a record that fails twice is reported altered.
 */
export const verifyCase = async (
  caseId: string,
  deps: AuditDeps,
  opts: { full?: boolean } = {},
): Promise<CaseVerification> => {
  const first = await verifyOnce(caseId, deps, opts);
  return first.verified ? first : verifyOnce(caseId, deps, opts);
};

/**
 * The access log's chain, from its last anchored checkpoint (every 1,000th entry, `ACCESS_CHECKPOINT_EVERY`): one
 * query reads the entries after it, however long the log grew. `full` checks it from its first entry.
 */
export const verifyAccess = async (caseId: string, deps: AuditDeps, opts: { full?: boolean } = {}) => {
  const from = opts.full ? undefined : (await deps.auditStore.anchoredHeads(accessCheckpointChain(caseId)))?.at(-1);
  return verifyAccessChain(
    caseId,
    await deps.auditStore.loadAccess(caseId, from?.seq ?? 0),
    await deps.auditStore.anchoredHeads(accessChain(caseId)),
    from,
  );
};

const verifyOnce = async (caseId: string, deps: AuditDeps, opts: { full?: boolean }): Promise<CaseVerification> => {
  const events = await deps.caseStore.loadEvents(caseId);
  const stored = await deps.auditStore.stateItem(caseId);
  const chain = verifyChain(caseId, events, stored.version, await deps.auditStore.anchoredHeads(caseChain(caseId)));
  const projection = verifyProjection(events, stored.state);

  const histories: HistoryCheck[] = [];
  const pins = new Map(latestPins(events).map((p) => [p.executionName, p]));
  const archived = await deps.auditStore.listHistories(caseId);
  for (const executionName of [...new Set([...pins.keys(), ...archived.keys()])].sort()) {
    const pin = pins.get(executionName);
    const check = (problem?: string): HistoryCheck => ({
      executionName,
      verified: !problem,
      events: pin?.events ?? 0,
      ...(problem ? { problem } : {}),
    });
    const problem = archivedHistoryProblem(executionName, pin, archived.get(executionName) ?? []);
    if (problem || !pin) {
      histories.push(check(problem));
      continue;
    }
    const wf = await deps.auditStore.getWorkflow(pin.workflow.definitionHash);
    if (!wf) histories.push(check(`Workflow ${pin.workflow.definitionHash} of ${executionName} is missing`));
    else if (definitionHash(wf.definition) !== pin.workflow.definitionHash)
      histories.push(check(`Workflow ${pin.workflow.definitionHash} of ${executionName} was altered`));
    else histories.push(check());
  }
  const unpinned = unpinnedCompletion(events);
  if (unpinned && !histories.some((h) => h.executionName === unpinned && !h.verified)) {
    const at = histories.findIndex((h) => h.executionName === unpinned);
    const missing: HistoryCheck = {
      executionName: unpinned,
      verified: false,
      events: histories[at]?.events ?? 0,
      problem: `The case is closed but the history of ${unpinned} is not archived at completion (no final HISTORY_ARCHIVED)`,
    };
    if (at >= 0) histories[at] = missing;
    else histories.push(missing);
  }

  const access = await verifyAccess(caseId, deps, opts);
  const problem =
    chain.problem?.message ??
    projection.problem ??
    histories.find((h) => !h.verified)?.problem ??
    (access.problem ? `Access log: ${access.problem.message}` : undefined);
  return {
    caseId,
    verified: problem === undefined,
    chain,
    projection,
    histories,
    access,
    ...(problem ? { problem } : {}),
  };
};

export interface CaseReplay {
  caseId: string;
  verdict: 'verified' | 'diverged' | 'incomplete' | 'no-history';
  executions: (Omit<ReplayResult, 'replayed'> & { executionName: string; workflow: string })[];
}

/** Replays every archived execution of the case on the definition it recorded. */
export const replayCase = async (caseId: string, deps: AuditDeps): Promise<CaseReplay> => {
  const executions = await deps.auditStore.listExecutions(caseId);
  const out: CaseReplay['executions'] = [];
  for (const x of executions) {
    const wf = await deps.auditStore.getWorkflow(x.workflow.definitionHash);
    const history = (await deps.auditStore.loadHistory(caseId, x.executionName)).sort((a, b) => a.id - b.id);
    if (!wf || history.length === 0) {
      out.push({
        executionName: x.executionName,
        workflow: x.workflow.definitionHash,
        verdict: 'diverged',
        inProgress: false,
        states: 0,
        divergence: {
          index: -1,
          state: '',
          what: 'path',
          expected: 'an archived history and its workflow',
          actual: null,
        },
      });
      continue;
    }
    const { replayed: _r, ...report } = await replayHistory(wf.definition, history);
    out.push({ executionName: x.executionName, workflow: x.workflow.definitionHash, ...report });
  }
  // A divergence anywhere is the verdict; otherwise a replay that could not come to an end leaves it open.
  const verdict =
    out.length === 0
      ? 'no-history'
      : out.some((r) => r.verdict === 'diverged')
        ? 'diverged'
        : out.some((r) => r.verdict === 'incomplete')
          ? 'incomplete'
          : 'verified';
  return { caseId, verdict, executions: out };
};

export interface ChainProof {
  type: 'CHAIN_PROOF';
  caseId: string;
  algorithm: 'sha256(prevHash || canonicalJson({caseId,seq,at,actor,key,data}))';
  genesis: string;
  events: number;
  head: string;
  verified: boolean;
  problem?: string;
  histories: HistoryCheck[];
  exportedAt: string;
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'type',
  'actorId',
  'actorRole',
  'actorUnit',
  'key',
  'prevHash',
  'hash',
  'data',
] as const;
const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/**
 * The record as a file: every event as written (so anyone can recompute the chain with the algorithm in the proof),
 * then the proof: head hash, count, and this export's verification. JSON lines, or CSV (`data` as canonical JSON).
 */
export const exportCase = async (
  caseId: string,
  format: 'jsonl' | 'csv',
  deps: AuditDeps,
  now: Date,
): Promise<{ text: string; proof: ChainProof }> => {
  const events = await deps.caseStore.loadEvents(caseId);
  const v = await verifyCase(caseId, deps);
  const proof: ChainProof = {
    type: 'CHAIN_PROOF',
    caseId,
    algorithm: 'sha256(prevHash || canonicalJson({caseId,seq,at,actor,key,data}))',
    genesis: GENESIS_HASH,
    events: events.length,
    head: v.chain.head,
    verified: v.verified,
    ...(v.problem ? { problem: v.problem } : {}),
    histories: v.histories,
    exportedAt: now.toISOString(),
  };
  if (format === 'jsonl')
    return { text: `${[...events.map((e) => canonicalJson(e)), canonicalJson(proof)].join('\n')}\n`, proof };
  const rows = events.map((e) =>
    [
      e.seq,
      e.at,
      e.data.type,
      e.actor.id,
      e.actor.role,
      e.actor.unit ?? '',
      e.key,
      e.prevHash,
      e.hash,
      canonicalJson(e.data),
    ]
      .map(csvCell)
      .join(','),
  );
  const proofRow = [
    '',
    proof.exportedAt,
    'CHAIN_PROOF',
    '',
    '',
    '',
    '',
    proof.genesis,
    proof.head,
    canonicalJson(proof),
  ]
    .map(csvCell)
    .join(',');
  return { text: `${[CSV_COLUMNS.join(','), ...rows, proofRow].join('\n')}\n`, proof };
};
