/**
 * Replay: re-runs a recorded workflow definition through the interpreter (aws-local-stepfunctions), each Task state
 * answered with what its history recorded (a success's output; a failure thrown with its recorded error name, so Retry
 * and Catch take the same path), and compares the path, the decisions and the output with the record
 * (domain/audit.ts `compareReplay`). Nothing is invoked: no Lambda, no agency, no write.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  compareReplay,
  type HistoryEventJson,
  REDACTED_TOKEN,
  type ReplayedRun,
  type ReplayReport,
  readHistory,
  statesOf,
} from '../domain/audit.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** How long the interpreter may sit with no state moving before the replay stops where the record ends. */
const QUIET_MS = 100;

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
): Promise<ReplayResult> => {
  const definition = (typeof definitionText === 'string' ? JSON.parse(definitionText) : definitionText) as JsonObject;
  const recorded = readHistory(events, definition as never);
  const prepared = prepareForReplay(definition);
  const states = statesOf(definition as never);
  const queues = Object.fromEntries(Object.entries(recorded.outcomes).map(([k, v]) => [k, [...v]]));
  const replayed: ReplayedRun = { visits: [], status: 'STOPPED', waitingAt: [] };

  let lastMove = Date.now();
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  const waitTimeOverrides: Record<string, number> = {};
  for (const [name, s] of states) {
    if ((s as { Retry?: unknown }).Retry) retryIntervalOverrides[name] = 0;
    if (s.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (s.Type !== 'Task') continue;
    handlers[name] = async () => {
      lastMove = Date.now();
      const next = queues[name]?.shift();
      if (!next) {
        replayed.waitingAt.push(name);
        return new Promise<Json>(() => {}); // the record ends here: the replay is stopped when everything is quiet
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
  const open = new Map<string, { name: string; type: string; input: unknown; output?: unknown }>();
  const consume = (async () => {
    for await (const raw of execution.eventLogs) {
      lastMove = Date.now();
      const e = raw as { type: string; state?: { name: string; type: string; input: unknown; output?: unknown } };
      if (e.type === 'StateEntered' && e.state) {
        const v = { name: e.state.name, type: e.state.type, input: e.state.input };
        replayed.visits.push(v);
        open.set(e.state.name, v);
      } else if (e.type === 'StateExited' && e.state) {
        const v = open.get(e.state.name);
        if (v) v.output = e.state.output ?? null;
        open.delete(e.state.name);
      }
    }
  })();
  const quiet = new Promise<'quiet'>((resolve) => {
    const tick = setInterval(() => {
      if (replayed.waitingAt.length > 0 && Date.now() - lastMove > QUIET_MS) {
        clearInterval(tick);
        resolve('quiet');
      }
    }, 20);
    void execution.result.finally(() => clearInterval(tick)).catch(() => {});
  });
  try {
    const outcome = await Promise.race([execution.result.then((output) => ({ output })), quiet]);
    if (outcome === 'quiet') {
      execution.abort();
    } else {
      replayed.status = 'SUCCEEDED';
      replayed.output = outcome.output;
    }
  } catch (err) {
    replayed.status = 'FAILED';
    const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    replayed.error = inner instanceof Error ? inner.name : String(inner);
  }
  await Promise.race([consume, new Promise((r) => setTimeout(r, 50))]);
  return { ...compareReplay(recorded, replayed), replayed };
};
