/**
 * The auditor's rules, pure (architecture.md "Audit and replay"): the case log's hash chain, the digest of an archived
 * execution history, reading a Step Functions history (attributing each task's recorded result to its state), the
 * comparison of a replay with the record, and the timeline with deadlines met or missed.
 * No AWS import: the adapters fetch, this decides.
 */
import { createHash } from 'node:crypto';
import { type CaseState, projectCase } from './caseState.js';
import type { Actor, CaseEvent } from './events.js';
import { eventsOfType } from './tasks.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: keys sorted at every level, so a hash never depends on key order. */
export const canonicalJson = (v: unknown): string => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
};

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** hash = SHA-256(prevHash + canonical JSON of the event without its hashes). */
export const eventHash = (e: Omit<CaseEvent, 'hash'>): string =>
  createHash('sha256')
    .update(e.prevHash)
    .update(canonicalJson({ caseId: e.caseId, seq: e.seq, at: e.at, actor: e.actor, key: e.key, data: e.data }))
    .digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// Hash chain

export type ChainProblemKind =
  | 'EMPTY'
  | 'CASE_MISMATCH'
  | 'SEQ_GAP'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'MISSING_TAIL'
  | 'ANCHOR_MISMATCH';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first event that is wrong or missing. */
  seq: number;
  expected?: string | number;
  actual?: string | number;
  message: string;
}

/** A head the chain reached, as the anchor kept it (adapters/chainAnchor.ts): out of reach of the table's writer. */
export interface AnchoredHead {
  seq: number;
  hash: string;
}

export interface ChainReport {
  caseId: string;
  verified: boolean;
  events: number;
  /** Hash of the last event: what an external anchor (an export, a signed receipt) pins. */
  head: string;
  /** The highest anchored seq (0: none): events after it were written after the last anchored head. */
  anchoredSeq?: number;
  problem?: ChainProblem;
}

interface Linked {
  caseId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * Walks a chain (case events or access entries): seq 1, 2, … without gaps, each pointing at the previous hash, each
 * hash recomputed; then the chain against every anchored head and the projection's version. Names the first problem.
 */
const walkChain = <T extends Linked>(
  caseId: string,
  items: T[],
  hashOf: (item: Omit<T, 'hash'>) => string,
  describe: (item: T) => string,
  opts: { stateVersion?: number; anchors?: AnchoredHead[]; from?: AnchoredHead },
): ChainProblem | undefined => {
  // From a checkpoint (an anchored head): `items` are the ones after it, the first pointing at its hash.
  const base = opts.from?.seq ?? 0;
  if (items.length === 0) {
    // An anchored head proves there were events: then "no events" is a deleted log, not an empty one.
    const anchored = Math.max(0, ...(opts.anchors ?? []).map((a) => a.seq));
    if (opts.from && anchored <= base) return undefined;
    return anchored > base
      ? {
          kind: 'MISSING_TAIL',
          seq: base + 1,
          expected: anchored,
          actual: base,
          message: `Entries ${base + 1}..${anchored} are missing (the anchor holds a head at ${anchored})`,
        }
      : { kind: 'EMPTY', seq: 1, message: `Case ${caseId} has no events` };
  }
  let prevHash = opts.from?.hash ?? GENESIS_HASH;
  for (const [i, e] of items.entries()) {
    const expectedSeq = base + i + 1;
    if (e.seq !== expectedSeq) {
      return {
        kind: 'SEQ_GAP',
        seq: expectedSeq,
        expected: expectedSeq,
        actual: e.seq,
        message: `Event ${expectedSeq} is missing (next recorded event is ${e.seq})`,
      };
    }
    if (e.caseId !== caseId) {
      return {
        kind: 'CASE_MISMATCH',
        seq: e.seq,
        expected: caseId,
        actual: e.caseId,
        message: `Event ${e.seq} belongs to case ${e.caseId}`,
      };
    }
    if (e.prevHash !== prevHash) {
      return {
        kind: 'PREV_HASH_MISMATCH',
        seq: e.seq,
        expected: prevHash,
        actual: e.prevHash,
        message: `Event ${e.seq} does not point at the hash of event ${e.seq - 1}`,
      };
    }
    const { hash, ...rest } = e;
    const computed = hashOf(rest);
    if (computed !== hash) {
      return {
        kind: 'HASH_MISMATCH',
        seq: e.seq,
        expected: computed,
        actual: hash,
        message: `Event ${e.seq} (${describe(e)}) was altered after it was written`,
      };
    }
    prevHash = hash;
  }
  const last = items.at(-1)!.seq;
  // Anchored heads, lowest first: the first that disagrees is where the rewrite starts.
  for (const a of [...(opts.anchors ?? [])].filter((x) => x.seq > base).sort((x, y) => x.seq - y.seq)) {
    if (a.seq > last) {
      return {
        kind: 'MISSING_TAIL',
        seq: last + 1,
        expected: a.seq,
        actual: last,
        message: `Events ${last + 1}..${a.seq} are missing (the anchor holds the head of event ${a.seq})`,
      };
    }
    const e = items[a.seq - base - 1]!;
    if (e.hash !== a.hash) {
      return {
        kind: 'ANCHOR_MISMATCH',
        seq: a.seq,
        expected: a.hash,
        actual: e.hash,
        message: `Event ${a.seq} (${describe(e)}) is not the one anchored: the chain was rewritten from here on`,
      };
    }
  }
  if (opts.stateVersion !== undefined && opts.stateVersion > last) {
    return {
      kind: 'MISSING_TAIL',
      seq: last + 1,
      expected: opts.stateVersion,
      actual: last,
      message: `Events ${last + 1}..${opts.stateVersion} are missing (the case state has seen up to ${opts.stateVersion})`,
    };
  }
  return undefined;
};

/**
 * Recomputes the chain and names the first bad or missing event. `stateVersion` (the STATE item's `version`, the last
 * seq the projection saw) and the anchored heads catch a deleted last event, which the chain alone cannot (the
 * shortened chain is valid); the anchored heads also catch a chain edited and re-hashed from some event on.
 */
export const verifyChain = (
  caseId: string,
  events: CaseEvent[],
  stateVersion?: number,
  anchors?: AnchoredHead[],
): ChainReport => {
  const problem = walkChain(caseId, events, eventHash, (e) => e.data?.type ?? '?', {
    ...(stateVersion !== undefined ? { stateVersion } : {}),
    ...(anchors ? { anchors } : {}),
  });
  return {
    caseId,
    verified: problem === undefined,
    events: events.length,
    head: events.at(-1)?.hash ?? GENESIS_HASH,
    ...(anchors ? { anchoredSeq: Math.max(0, ...anchors.map((a) => a.seq)) } : {}),
    ...(problem ? { problem } : {}),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// The state projection

export interface ProjectionReport {
  verified: boolean;
  /** The STATE item's version (the last seq it saw). */
  version?: number;
  /** Where the stored projection differs from one rebuilt from the events (dotted paths, at most 10). */
  differences: string[];
  problem?: string;
}

const differingPaths = (a: unknown, b: unknown, path: string, out: string[]) => {
  if (out.length >= 10) return;
  const objA = a !== null && typeof a === 'object';
  const objB = b !== null && typeof b === 'object';
  if (!objA || !objB || Array.isArray(a) !== Array.isArray(b)) {
    if (canonicalJson(a) !== canonicalJson(b)) out.push(path || '(root)');
    return;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const k of keys) {
    if (ra[k] === undefined && rb[k] === undefined) continue;
    differingPaths(ra[k], rb[k], path ? `${path}.${k}` : k, out);
  }
};

/**
 * The STATE item drives access control and the parent's page, so it must be exactly what the events say: rebuilt
 * from the events (`projectCase`) and compared field by field.
 */
export const verifyProjection = (events: CaseEvent[], stored: CaseState | undefined): ProjectionReport => {
  if (events.length === 0) return { verified: true, differences: [] };
  if (!stored) {
    return { verified: false, differences: ['(root)'], problem: 'The case state (projection) is missing' };
  }
  const differences: string[] = [];
  differingPaths(stored, projectCase(events), '', differences);
  return differences.length === 0
    ? { verified: true, version: stored.version, differences }
    : {
        verified: false,
        version: stored.version,
        differences,
        problem: `The case state disagrees with its events at ${differences.join(', ')}`,
      };
};

// ---------------------------------------------------------------------------------------------------------------
// The access log: who read which case, when and why; its own partition and its own chain, never the case's

export interface AccessEntry {
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
  purpose: string;
  prevHash: string;
  hash: string;
}

/** hash = SHA-256(prevHash + canonical JSON of the entry without its hashes), as for case events. */
export const accessEntryHash = (e: Omit<AccessEntry, 'hash'>): string =>
  createHash('sha256')
    .update(e.prevHash)
    .update(canonicalJson({ caseId: e.caseId, seq: e.seq, at: e.at, actor: e.actor, purpose: e.purpose }))
    .digest('hex');

export interface AccessChainReport {
  verified: boolean;
  /** The entries checked: all of them, or those after the checkpoint (`from`). */
  entries: number;
  /** The anchored checkpoint the check started from (its entries before it are checked by a full verify only). */
  from?: number;
  head: string;
  problem?: ChainProblem;
}

/** The access log's chain, like the case's (a case nobody read yet has an empty, valid log). */
export const verifyAccessChain = (
  caseId: string,
  entries: AccessEntry[],
  anchors?: AnchoredHead[],
  from?: AnchoredHead,
) => {
  const problem =
    entries.length === 0 && !(anchors ?? []).some((a) => a.seq > (from?.seq ?? 0))
      ? undefined
      : walkChain(caseId, entries, accessEntryHash, (e) => e.purpose, {
          ...(anchors ? { anchors } : {}),
          ...(from ? { from } : {}),
        });
  const report: AccessChainReport = {
    verified: problem === undefined,
    entries: entries.length,
    ...(from ? { from: from.seq } : {}),
    head: entries.at(-1)?.hash ?? from?.hash ?? GENESIS_HASH,
    ...(problem ? { problem } : {}),
  };
  return report;
};

// ---------------------------------------------------------------------------------------------------------------
// Execution history (the shape of GetExecutionHistory events)

/** One history event as GetExecutionHistory returns it; `timestamp` as the SDK (Date), the CLI (ISO or epoch) prints it. */
export interface HistoryEventJson {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: string | number | Date;
  [details: string]: unknown;
}

export const REDACTED_TOKEN = '<redacted task token>';
const TOKEN_KEYS = /^(task)?token$/i;

const redactTokensIn = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(redactTokensIn);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        k,
        TOKEN_KEYS.test(k) && typeof x === 'string' ? REDACTED_TOKEN : redactTokensIn(x),
      ]),
    );
  }
  return v;
};

/**
 * What is archived: timestamps as ISO strings, and no callback token. On AWS, TaskScheduled `parameters` show the
 * `$$.Task.Token` a callback task was given: a bearer secret, so every `taskToken` value inside a JSON string field is
 * replaced (the local engine already redacts; this is for histories from AWS).
 */
export const sanitizeHistoryEvent = (e: HistoryEventJson): HistoryEventJson => {
  const out: HistoryEventJson = { ...e, timestamp: toIso(e.timestamp) };
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') continue;
    const details: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const field of ['parameters', 'input', 'output']) {
      const text = details[field];
      if (typeof text !== 'string') continue;
      const parsed = parseJson(text);
      if (parsed !== undefined) {
        const redacted = redactTokensIn(parsed);
        if (canonicalJson(redacted) !== canonicalJson(parsed)) details[field] = JSON.stringify(redacted);
      }
    }
    out[k] = details;
  }
  return out;
};

/** The CLI prints timestamps as ISO strings with an offset (v2) or epoch seconds (v1); the SDK gives Dates. */
export const toIso = (t: string | number | Date): string => {
  if (t instanceof Date) return t.toISOString();
  if (typeof t === 'number') return new Date(t > 1e11 ? t : t * 1000).toISOString();
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
};

/** Digest of an archived history: what the case log's HISTORY_ARCHIVED event pins. */
export const historyDigest = (events: HistoryEventJson[]): string =>
  sha256(canonicalJson(events.map(sanitizeHistoryEvent)));

/** What a HISTORY_ARCHIVED event pins: an execution's archived history, by count and digest, and its workflow. */
export type HistoryPin = Extract<CaseEvent['data'], { type: 'HISTORY_ARCHIVED' }>;

/** The latest pin of each execution (the one covering the most events): what its archive must hash to. */
export const latestPins = (events: CaseEvent[]): HistoryPin[] => {
  const latest = new Map<string, HistoryPin>();
  for (const e of eventsOfType(events, 'HISTORY_ARCHIVED')) {
    const prev = latest.get(e.data.executionName);
    if (!prev || e.data.events >= prev.events) latest.set(e.data.executionName, e.data);
  }
  return [...latest.values()];
};

/**
 * One execution's archive against its latest pin: every archived event must be covered by the digest the chain pins
 * (an event outside every digest could be edited unseen), none may be missing, and the digest must match.
 */
export const archivedHistoryProblem = (
  executionName: string,
  pin: HistoryPin | undefined,
  archived: HistoryEventJson[],
): string | undefined => {
  const sorted = [...archived].sort((a, b) => a.id - b.id);
  if (!pin) {
    return `History of ${executionName}: ${sorted.length} archived events are outside every digest (no HISTORY_ARCHIVED pins them)`;
  }
  if (sorted.length < pin.events) {
    return `History of ${executionName}: ${pin.events - sorted.length} of ${pin.events} archived events are missing`;
  }
  if (sorted.length > pin.events) {
    return `History of ${executionName}: ${sorted.length - pin.events} archived events are outside every digest (the chain pins ${pin.events})`;
  }
  if (historyDigest(sorted) !== pin.historyHash) {
    return `History of ${executionName} was altered after it was archived (its digest no longer matches the chain)`;
  }
  return undefined;
};

/**
 * A closed case's execution has ended: its whole history must be archived and pinned (a pin with its final status).
 * Returns the execution that lacks it, if any.
 */
export const unpinnedCompletion = (events: CaseEvent[]): string | undefined => {
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  if (!filed || eventsOfType(events, 'CASE_CLOSED').length === 0) return undefined;
  const name = filed.data.executionName;
  const final = eventsOfType(events, 'HISTORY_ARCHIVED').some(
    (e) => e.data.executionName === name && e.data.status !== 'RUNNING',
  );
  return final ? undefined : name;
};

/** Content hash of a workflow definition: canonical JSON, so formatting does not change it. */
export const definitionHash = (definition: string | object): string =>
  sha256(canonicalJson(typeof definition === 'string' ? JSON.parse(definition) : definition));

/** A file from `aws stepfunctions get-execution-history --output json` (or the SDK's output, or a bare array). */
export const parseHistoryFile = (json: unknown): HistoryEventJson[] => {
  const events = Array.isArray(json) ? json : (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new Error('Not an execution history: expected { "events": [...] }');
  return (events as HistoryEventJson[])
    .map((e) => {
      if (typeof e?.id !== 'number' || typeof e.type !== 'string') throw new Error('Not an execution history event');
      return sanitizeHistoryEvent(e);
    })
    .sort((a, b) => a.id - b.id);
};

const parseJson = (text: unknown): unknown => {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Reading a history: which state was visited with what, and what each task returned

type AslState = {
  Type: string;
  Resource?: string;
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
};

/** Every state of a definition, branches included, by name (the local engine requires names to be unique). */
export const statesOf = (definition: { States: Record<string, AslState> }): Map<string, AslState> => {
  const out = new Map<string, AslState>();
  const walk = (states: Record<string, AslState>) => {
    for (const [name, s] of Object.entries(states)) {
      out.set(name, s);
      for (const b of s.Branches ?? []) walk(b.States);
      const inner = s.ItemProcessor ?? s.Iterator;
      if (inner) walk(inner.States);
    }
  };
  walk(definition.States);
  return out;
};

/** Task events of a Lambda ARN resource are `LambdaFunction*`; of an `arn:aws:states:::` integration, `Task*`. */
type Family = 'lambda' | 'task';
const familyOf = (s: AslState): Family =>
  String(s.Resource ?? '').startsWith('arn:aws:states:::') ? 'task' : 'lambda';

export type TaskOutcome =
  | { ok: true; output: unknown; eventId: number }
  | { ok: false; error: string; cause: string; eventId: number };

export interface StateVisit {
  name: string;
  type: string;
  input: unknown;
  output?: unknown;
  enteredEventId: number;
}

export interface RecordedRun {
  visits: StateVisit[];
  /** Each Task state's results, in the order they came (a retried or looped state has several). */
  outcomes: Record<string, TaskOutcome[]>;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  input: unknown;
  output?: unknown;
  error?: string;
  /** Task result events that could not be tied to a state (should be none). */
  unattributed: number[];
}

const SUCCESS = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded']);
const FAILURE = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
]);
const detailsOf = (e: HistoryEventJson): Record<string, unknown> => {
  const k = Object.keys(e).find((x) => x.endsWith('EventDetails'));
  return (k ? (e[k] as Record<string, unknown>) : {}) ?? {};
};
const eventFamily = (type: string): Family => (type.startsWith('Lambda') ? 'lambda' : 'task');

const outcomeOf = (e: HistoryEventJson): TaskOutcome => {
  const d = detailsOf(e);
  if (SUCCESS.has(e.type)) return { ok: true, output: parseJson(d.output) ?? null, eventId: e.id };
  const error = String(d.error ?? (e.type.endsWith('TimedOut') ? 'States.Timeout' : 'States.TaskFailed'));
  return { ok: false, error, cause: String(d.cause ?? ''), eventId: e.id };
};

const catches = (s: AslState, error: string, next: string) =>
  (s.Catch ?? []).some(
    (c) =>
      c.Next === next &&
      c.ErrorEquals.some(
        (x) => x === error || x === 'States.ALL' || (x === 'States.TaskFailed' && error !== 'States.Timeout'),
      ),
  );

/**
 * Reads a history against its definition. Task result events carry no state name, so each is tied to its state:
 * - AWS links every event to its cause (`previousEventId` per branch): walk back to the `…StateEntered`;
 * - a history whose ids are one straight line (the local engine) is read by elimination: a result belongs to the one
 *   open Task state of its family; with several open (parallel branches), a success goes to the first of them to exit
 *   (a state exits right after its result), a failure to the state whose Catch leads to the next state entered.
 */
export const readHistory = (
  events: HistoryEventJson[],
  definition: { States: Record<string, AslState> },
): RecordedRun => {
  const states = statesOf(definition);
  const byId = new Map(events.map((e) => [e.id, e]));
  const causal = events.some((e) => e.id > 1 && e.previousEventId !== undefined && e.previousEventId !== e.id - 1);
  const run: RecordedRun = { visits: [], outcomes: {}, status: 'RUNNING', input: null, unattributed: [] };
  const give = (name: string, o: TaskOutcome) => {
    const list = run.outcomes[name] ?? [];
    list.push(o);
    run.outcomes[name] = list;
  };
  const openVisit = new Map<string, StateVisit>();
  const openTasks = new Map<string, { family: Family; resolved: boolean }>();
  const pendingSuccess: { family: Family; outcome: TaskOutcome }[] = [];
  const pendingFailure: { family: Family; outcome: Extract<TaskOutcome, { ok: false }> }[] = [];

  const stateOfCause = (e: HistoryEventJson): string | undefined => {
    let cur: HistoryEventJson | undefined = e;
    for (let guard = 0; cur && guard < 10000; guard++) {
      if (cur.type.endsWith('StateEntered')) return String(detailsOf(cur).name);
      cur = cur.previousEventId ? byId.get(cur.previousEventId) : undefined;
    }
    return undefined;
  };

  for (const e of events) {
    const d = detailsOf(e);
    if (e.type === 'ExecutionStarted') run.input = parseJson(d.input) ?? null;
    else if (e.type === 'ExecutionSucceeded') {
      run.status = 'SUCCEEDED';
      run.output = parseJson(d.output) ?? null;
    } else if (e.type === 'ExecutionFailed') {
      run.status = 'FAILED';
      run.error = String(d.error ?? '');
    } else if (e.type === 'ExecutionTimedOut') run.status = 'TIMED_OUT';
    else if (e.type === 'ExecutionAborted') run.status = 'ABORTED';
    else if (e.type.endsWith('StateEntered')) {
      const name = String(d.name);
      // A pending failure is settled by where its Catch led.
      for (let i = pendingFailure.length - 1; i >= 0; i--) {
        const f = pendingFailure[i]!;
        const owner = [...openTasks.entries()].find(
          ([n, t]) => t.family === f.family && catches(states.get(n)!, f.outcome.error, name),
        );
        if (owner) {
          give(owner[0], f.outcome);
          openTasks.delete(owner[0]);
          pendingFailure.splice(i, 1);
        }
      }
      const visit: StateVisit = {
        name,
        type: e.type.replace(/StateEntered$/, ''),
        input: parseJson(d.input) ?? null,
        enteredEventId: e.id,
      };
      run.visits.push(visit);
      openVisit.set(name, visit);
      const s = states.get(name);
      if (s?.Type === 'Task') openTasks.set(name, { family: familyOf(s), resolved: false });
    } else if (e.type.endsWith('StateExited')) {
      const name = String(d.name);
      const visit = openVisit.get(name);
      if (visit) visit.output = parseJson(d.output) ?? null;
      openVisit.delete(name);
      const t = openTasks.get(name);
      if (t && !t.resolved) {
        const i = pendingSuccess.findIndex((p) => p.family === t.family);
        if (i >= 0) give(name, pendingSuccess.splice(i, 1)[0]!.outcome);
      }
      openTasks.delete(name);
    } else if (SUCCESS.has(e.type) || FAILURE.has(e.type)) {
      const outcome = outcomeOf(e);
      const family = eventFamily(e.type);
      const candidates = [...openTasks.entries()].filter(([, t]) => t.family === family && !t.resolved);
      const named = causal ? stateOfCause(e) : candidates.length === 1 ? candidates[0]![0] : undefined;
      if (named !== undefined) {
        give(named, outcome);
        const t = openTasks.get(named);
        if (t && outcome.ok) t.resolved = true;
      } else if (outcome.ok) pendingSuccess.push({ family, outcome });
      else pendingFailure.push({ family, outcome });
    }
  }
  run.unattributed = [...pendingSuccess, ...pendingFailure].map((p) => p.outcome.eventId);
  for (const list of Object.values(run.outcomes)) list.sort((a, b) => a.eventId - b.eventId);
  return run;
};

// ---------------------------------------------------------------------------------------------------------------
// Replay comparison

/** Fields whose value depends on when the step ran (seconds left until a deadline), not on what was decided. */
export const TIME_DEPENDENT_FIELDS = ['timeoutSeconds', 'supplementTimeoutSeconds'] as const;

export const withoutTimeDependent = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(withoutTimeDependent);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => !(TIME_DEPENDENT_FIELDS as readonly string[]).includes(k))
        .map(([k, x]) => [k, withoutTimeDependent(x)]),
    );
  }
  return v;
};

const same = (a: unknown, b: unknown) =>
  canonicalJson(withoutTimeDependent(a)) === canonicalJson(withoutTimeDependent(b));

export interface ReplayedRun {
  visits: { name: string; type: string; input: unknown; output?: unknown }[];
  status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  output?: unknown;
  error?: string;
  /** Task states that asked for a result the record does not have (the recorded run had not got further). */
  waitingAt: string[];
}

export interface Divergence {
  /** Index in the recorded path of states (0 = the first state entered); -1 for the final output. */
  index: number;
  state: string;
  what: 'path' | 'input' | 'output' | 'final-output' | 'status' | 'extra-state' | 'unattributed';
  expected: unknown;
  actual: unknown;
}

export interface ReplayReport {
  /** `incomplete`: the replay neither finished nor came to rest in time (a safety net); it proves nothing either way. */
  verdict: 'verified' | 'diverged' | 'incomplete';
  /** The recorded run had not ended: its path so far is what was compared. */
  inProgress: boolean;
  states: number;
  divergence?: Divergence;
}

/**
 * Compares a replay with the record. Parallel branches interleave differently each run, so visits are matched by
 * state name and occurrence (the 2nd visit of RegisterBirth with the 2nd), then checked in recorded order: that the
 * state was visited, with the same input and the same output. Then no extra state, then the final status and output.
 */
export const compareReplay = (recorded: RecordedRun, replayed: ReplayedRun): ReplayReport => {
  const inProgress = recorded.status === 'RUNNING';
  const diverged = (divergence: Divergence): ReplayReport => ({
    verdict: 'diverged',
    inProgress,
    states: recorded.visits.length,
    divergence,
  });
  if (recorded.unattributed.length > 0) {
    return diverged({
      index: -1,
      state: '',
      what: 'unattributed',
      expected: 'every task result tied to a state',
      actual: recorded.unattributed,
    });
  }
  const occurrences = (visits: { name: string }[]) => {
    const seen = new Map<string, number>();
    return visits.map((v) => {
      const n = (seen.get(v.name) ?? 0) + 1;
      seen.set(v.name, n);
      return `${v.name}#${n}`;
    });
  };
  const recKeys = occurrences(recorded.visits);
  const repKeys = occurrences(replayed.visits);
  const repIndex = new Map(repKeys.map((k, i) => [k, i]));
  for (const [i, key] of recKeys.entries()) {
    const rec = recorded.visits[i]!;
    const j = repIndex.get(key);
    if (j === undefined) {
      return diverged({
        index: i,
        state: rec.name,
        what: 'path',
        expected: rec.name,
        actual: replayed.visits[i]?.name ?? null,
      });
    }
    const rep = replayed.visits[j]!;
    if (!same(rec.input, rep.input))
      return diverged({ index: i, state: rec.name, what: 'input', expected: rec.input, actual: rep.input });
    // A state still running when the record was taken has no recorded output yet.
    if (rec.output !== undefined && rep.output !== undefined && !same(rec.output, rep.output)) {
      return diverged({ index: i, state: rec.name, what: 'output', expected: rec.output, actual: rep.output });
    }
  }
  const recSet = new Set(recKeys);
  const extra = repKeys.findIndex((k) => !recSet.has(k));
  if (extra >= 0) {
    return diverged({
      index: extra,
      state: replayed.visits[extra]!.name,
      what: 'extra-state',
      expected: null,
      actual: replayed.visits[extra]!.name,
    });
  }
  if (!inProgress) {
    const expectedStatus = recorded.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
    if (replayed.status !== expectedStatus) {
      return diverged({ index: -1, state: '', what: 'status', expected: recorded.status, actual: replayed.status });
    }
    if (recorded.status === 'SUCCEEDED' && !same(recorded.output, replayed.output)) {
      return diverged({
        index: -1,
        state: '',
        what: 'final-output',
        expected: recorded.output,
        actual: replayed.output,
      });
    }
  }
  return { verdict: 'verified', inProgress, states: recorded.visits.length };
};

// ---------------------------------------------------------------------------------------------------------------
// Timeline for auditors

export interface AuditTimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: CaseEvent['actor'];
  procedure?: string;
  round?: number;
  decision?: string;
  reason?: string;
  /** The deadline this act answered, and whether it was met. */
  dueAt?: string;
  deadline?: 'MET' | 'MISSED';
}

/**
 * Who did what and when, against which deadline: a decision against its task's due time, a supplement against the
 * supplement deadline, an escalation is a missed deadline. Reads of the case are listed by the access endpoint.
 */
export const auditTimeline = (events: CaseEvent[]): AuditTimelineEntry[] => {
  const opened = eventsOfType(events, 'TASK_OPENED');
  const dueOf = (procedure: string, round: number, kind: 'DECISION' | 'SUPPLEMENT') =>
    opened.filter((o) => o.data.procedure === procedure && o.data.round === round && o.data.kind === kind).at(-1)?.data
      .dueAt;
  const judged = (at: string, dueAt: string | undefined) =>
    dueAt ? { dueAt, deadline: at <= dueAt ? ('MET' as const) : ('MISSED' as const) } : {};
  return events
    .filter((e) => e.data.type !== 'CASE_VIEWED')
    .map((e) => {
      const base = { seq: e.seq, at: e.at, type: e.data.type, actor: e.actor };
      const x = e.data;
      switch (x.type) {
        case 'TASK_OPENED':
          return { ...base, procedure: x.procedure, round: x.round, dueAt: x.dueAt };
        case 'DECISION_RECORDED':
          return {
            ...base,
            procedure: x.procedure,
            round: x.round,
            decision: x.decision,
            ...(x.reason ? { reason: x.reason } : {}),
            ...judged(e.at, dueOf(x.procedure, x.round, 'DECISION')),
          };
        case 'SUPPLEMENT_SUBMITTED': {
          const asked = eventsOfType(events, 'DECISION_RECORDED').find(
            (d) =>
              d.data.procedure === x.procedure &&
              d.data.round === x.round &&
              d.data.decision === 'SUPPLEMENT_REQUESTED',
          );
          return {
            ...base,
            procedure: x.procedure,
            round: x.round,
            ...judged(e.at, asked?.data.dueAt ?? dueOf(x.procedure, x.round, 'SUPPLEMENT')),
          };
        }
        case 'ESCALATED':
          return { ...base, procedure: x.procedure, round: x.round, dueAt: x.dueAt, deadline: 'MISSED' as const };
        case 'PROCEDURE_COMPLETED':
          return { ...base, procedure: x.procedure };
        case 'PROCEDURE_REFUSED':
          return { ...base, procedure: x.procedure, round: x.round, decision: x.reason };
        case 'CASE_CLOSED':
          return { ...base, decision: x.status };
        default:
          return base;
      }
    });
};
