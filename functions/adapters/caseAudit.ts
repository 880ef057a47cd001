/**
 * The auditor's operations on one case, shared by the API (functions/api/audit.ts) and the command line
 * (scripts/audit.ts): verify the hash chain and every archived history against the digest the chain pins, replay the
 * recorded workflow, export the record with its proof.
 */
import {
  type ChainReport,
  canonicalJson,
  definitionHash,
  GENESIS_HASH,
  historyDigest,
  verifyChain,
} from '../domain/audit.js';
import type { CaseEvent } from '../domain/events.js';
import { eventsOfType } from '../domain/tasks.js';
import type { AuditStore } from './auditStore.js';
import type { CaseStore } from './caseStore.js';
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
  histories: HistoryCheck[];
}

/** The latest HISTORY_ARCHIVED event of each execution: what the chain says its archived history must hash to. */
const pinnedHistories = (events: CaseEvent[]) => {
  const latest = new Map<string, ReturnType<typeof eventsOfType<'HISTORY_ARCHIVED'>>[number]>();
  for (const e of eventsOfType(events, 'HISTORY_ARCHIVED')) {
    const prev = latest.get(e.data.executionName);
    if (!prev || e.data.events >= prev.data.events) latest.set(e.data.executionName, e);
  }
  return [...latest.values()];
};

export const verifyCase = async (caseId: string, deps: AuditDeps): Promise<CaseVerification> => {
  const events = await deps.caseStore.loadEvents(caseId);
  const chain = verifyChain(caseId, events, await deps.auditStore.stateVersion(caseId));
  const histories: HistoryCheck[] = [];
  for (const pin of pinnedHistories(events)) {
    const { executionName, events: count, historyHash, workflow } = pin.data;
    const archived = (await deps.auditStore.loadHistory(caseId, executionName)).sort((a, b) => a.id - b.id);
    const check = (problem?: string): HistoryCheck => ({
      executionName,
      verified: !problem,
      events: count,
      ...(problem ? { problem } : {}),
    });
    if (archived.length < count) {
      histories.push(
        check(`History of ${executionName}: ${count - archived.length} of ${count} archived events are missing`),
      );
      continue;
    }
    if (historyDigest(archived.slice(0, count)) !== historyHash) {
      histories.push(
        check(`History of ${executionName} was altered after it was archived (its digest no longer matches the chain)`),
      );
      continue;
    }
    const wf = await deps.auditStore.getWorkflow(workflow.definitionHash);
    if (!wf) {
      histories.push(check(`Workflow ${workflow.definitionHash} of ${executionName} is missing`));
      continue;
    }
    if (definitionHash(wf.definition) !== workflow.definitionHash) {
      histories.push(check(`Workflow ${workflow.definitionHash} of ${executionName} was altered`));
      continue;
    }
    histories.push(check());
  }
  return { caseId, verified: chain.verified && histories.every((h) => h.verified), chain, histories };
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
    ...(v.chain.problem ? { problem: v.chain.problem.message } : {}),
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
