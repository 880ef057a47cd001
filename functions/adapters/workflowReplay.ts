/**
 * Replay: re-runs a recorded workflow definition through the interpreter (aws-local-stepfunctions), each Task state
 * answered with what its history recorded (a success's output; a failure thrown with its recorded error name, so Retry
 * and Catch take the same path), and compares the path, the decisions and the output with the record
 * (domain/replay.ts `compareReplay`). Nothing is invoked: no Lambda, no agency, no write.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type HistoryEventJson, REDACTED_TOKEN } from '#domain/executionHistory.js';
import { compareReplay, type ReplayedRun, type ReplayReport, readHistory, statesOf } from '#domain/replay.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/**
 * A safety net, never the way a replay normally ends: if the interpreter has neither finished nor come to rest within
 * this much wall time, the replay reports "incomplete" (not "diverged"), so a slow machine cannot fake a divergence.
 */
export const REPLAY_SAFETY_TIMEOUT_MS = 60_000;

type StateDef = { Type?: string; Branches?: { States: Record<string, StateDef> }[] };

/** For each state name: the Parallel states it runs under (outermost first); and each Parallel's branch count. */
const parallelStructure = (machine: { States: Record<string, StateDef> }) => {
  const ancestors = new Map<string, string[]>();
  const branches = new Map<string, number>();
  const walk = (m: { States: Record<string, StateDef> }, chain: string[]) => {
    for (const [name, state] of Object.entries(m.States)) {
      ancestors.set(name, chain);
      if (state.Type === 'Parallel') {
        branches.set(name, state.Branches?.length ?? 0);
        for (const b of state.Branches ?? []) walk(b, [...chain, name]);
      }
    }
  };
  walk(machine, []);
  return { ancestors, branches };
};

/**
 * The definition as the interpreter should replay it: timeouts replaced (results come at once; timeouts that happened
 * are replayed as recorded States.Timeout failures), `ResultPath: "$"` dropped (same meaning in ASL; the library
 * mis-reads it, see infra/local/sfn/definition.ts), placeholders filled.
 */
export const prepareForReplay = (definition: JsonObject): JsonObject => {
  // A definition as written in workflows/ still has its `${Placeholders}`: any ARN will do, nothing is invoked.
  const filled = JSON.stringify(definition).replace(
    /\$\{([A-Za-z0-9_.-]+)\}/g,
    'arn:aws:lambda:us-east-1:000000000000:function:$1',
  );
  const copy = JSON.parse(filled) as JsonObject;
  const walk = (machine: JsonObject) => {
    for (const state of Object.values(machine.States as Record<string, JsonObject>)) {
      for (const k of ['TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'])
        delete state[k];
      // Answers come at once; a short timer (the library's default is 60 s) does not outlive a stopped replay, whose
      // abort leaves the library's task timer running.
      if (state.Type === 'Task') state.TimeoutSeconds = 1;
      if (state.ResultPath === '$') delete state.ResultPath;
      for (const c of (state.Catch as JsonObject[] | undefined) ?? []) if (c.ResultPath === '$') delete c.ResultPath;
      for (const b of (state.Branches as JsonObject[] | undefined) ?? []) walk(b);
      const inner = (state.ItemProcessor ?? state.Iterator) as JsonObject | undefined;
      if (inner) walk(inner);
    }
  };
  walk(copy);
  return copy;
};

class RecordedFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export interface ReplayResult extends ReplayReport {
  executionName?: string;
  replayed: ReplayedRun;
}

/** Replays one history against the definition it ran on. */
export const replayHistory = async (
  definitionText: string | object,
  events: HistoryEventJson[],
  options: { safetyTimeoutMs?: number } = {},
): Promise<ReplayResult> => {
  const definition = (typeof definitionText === 'string' ? JSON.parse(definitionText) : definitionText) as JsonObject;
  const recorded = readHistory(events, definition as never);
  const prepared = prepareForReplay(definition);
  const states = statesOf(definition as never);
  const queues = Object.fromEntries(Object.entries(recorded.outcomes).map(([k, v]) => [k, [...v]]));
  const replayed: ReplayedRun = { visits: [], status: 'STOPPED', waitingAt: [] };

  // The replay ends on a fact: the interpreter finishes, or every thread of it is at rest at a Task whose result the
  // record does not have (the recorded run had not got further). Threads are counted from the definition: one, plus
  // for each open Parallel the branches still running beyond the first (a branch count is known statically, so it
  // does not depend on when the interpreter's branch events arrive).
  const structure = parallelStructure(definition as never);
  const openParallels = new Map<string, number>(); // Parallel state -> branches ended
  let openMaps = 0;
  const hung: string[] = []; // Task states whose handler is waiting for good
  const open = new Map<string, { name: string; type: string; input: unknown; output?: unknown }>();
  let settle: (v: 'rest') => void = () => {};
  const atRest = new Promise<'rest'>((resolve) => {
    settle = resolve;
  });
  const check = () => {
    if (openMaps > 0 || hung.length === 0) return;
    // Each waiting Task's own StateEntered must have been read, so the view below is at least as new as the waits.
    if (!hung.every((name) => open.has(name))) return;
    let threads = 1;
    for (const [p, ended] of openParallels) threads += Math.max((structure.branches.get(p) ?? 0) - ended - 1, 0);
    if (threads === hung.length) settle('rest');
  };

  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  const waitTimeOverrides: Record<string, number> = {};
  for (const [name, s] of states) {
    if ((s as { Retry?: unknown }).Retry) retryIntervalOverrides[name] = 0;
    if (s.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (s.Type !== 'Task') continue;
    handlers[name] = async () => {
      const next = queues[name]?.shift();
      if (!next) {
        replayed.waitingAt.push(name);
        hung.push(name);
        check();
        return new Promise<Json>(() => {}); // the record ends here
      }
      if (!next.ok) throw new RecordedFailure(next.error, next.cause);
      return next.output as Json;
    };
  }

  const machine = new StateMachine(prepared as unknown as StateMachineDefinition, {
    validationOptions: { checkArn: false },
  });
  const input = (recorded.input ?? {}) as Json;
  const execution = machine.run(input, {
    noThrowOnAbort: true,
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides, waitTimeOverrides },
    context: {
      Execution: { Id: 'replay', Name: 'replay', Input: input, StartTime: new Date(0).toISOString() },
      Task: { Token: REDACTED_TOKEN },
    },
  });
  const closeParallel = (name: string) => {
    openParallels.delete(name);
    // Tasks waiting inside a Parallel that ended (a branch failed and the others were dropped) hold no thread.
    for (let i = hung.length - 1; i >= 0; i--) if (structure.ancestors.get(hung[i]!)?.includes(name)) hung.splice(i, 1);
  };
  const consume = (async () => {
    for await (const raw of execution.eventLogs) {
      const e = raw as {
        type: string;
        state?: { name: string; type: string; input: unknown; output?: unknown };
        parentState?: { name: string };
      };
      if (e.type === 'StateEntered' && e.state) {
        const v = { name: e.state.name, type: e.state.type, input: e.state.input };
        replayed.visits.push(v);
        open.set(e.state.name, v);
        if (e.state.type === 'Parallel') openParallels.set(e.state.name, 0);
        if (e.state.type === 'Map') openMaps++;
      } else if ((e.type === 'StateExited' || e.type === 'StateFailed') && e.state) {
        if (e.type === 'StateExited') {
          const v = open.get(e.state.name);
          if (v) v.output = e.state.output ?? null;
        }
        open.delete(e.state.name);
        if (e.state.type === 'Parallel') closeParallel(e.state.name);
        if (e.state.type === 'Map') openMaps--;
      } else if ((e.type === 'ParallelBranchSucceeded' || e.type === 'ParallelBranchFailed') && e.parentState) {
        const ended = openParallels.get(e.parentState.name);
        if (ended !== undefined) openParallels.set(e.parentState.name, ended + 1);
      }
      check();
    }
  })();
  let safetyTimer: NodeJS.Timeout | undefined;
  const safety = new Promise<'incomplete'>((resolve) => {
    safetyTimer = setTimeout(() => resolve('incomplete'), options.safetyTimeoutMs ?? REPLAY_SAFETY_TIMEOUT_MS);
  });
  let incomplete = false;
  try {
    const outcome = await Promise.race([execution.result.then((output) => ({ output })), atRest, safety]);
    if (outcome === 'rest' || outcome === 'incomplete') {
      incomplete = outcome === 'incomplete';
      execution.abort();
    } else {
      replayed.status = 'SUCCEEDED';
      replayed.output = outcome.output;
    }
  } catch (err) {
    replayed.status = 'FAILED';
    const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    replayed.error = inner instanceof Error ? inner.name : String(inner);
  } finally {
    clearTimeout(safetyTimer);
  }
  await Promise.race([consume, new Promise((r) => setTimeout(r, 50))]);
  if (incomplete) {
    return {
      verdict: 'incomplete',
      inProgress: recorded.status === 'RUNNING',
      states: recorded.visits.length,
      replayed,
    };
  }
  return { ...compareReplay(recorded, replayed), replayed };
};
