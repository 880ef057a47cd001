/**
 * Replay, pure (docs/audit.md): reading a Step Functions history against its definition (which
 * state was visited with what, each task's recorded result attributed to its state), and comparing a replay with
 * that record. The interpreter run itself is adapters/workflowReplay.ts.
 */
import { type HistoryEventJson, parseJson } from './executionHistory.js';
import { canonicalJson } from './hashChain.js';

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
