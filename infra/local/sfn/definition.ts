/**
 * Turns an ASL definition as written in `workflows/` into what aws-local-stepfunctions can run faithfully:
 * placeholders filled, Task timeouts rewritten around the library's limits, and an index of Task states by name
 * (the library's task overrides are keyed by state name).
 */
import { InvalidDefinition } from './errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Node's timers overflow above 2^31-1 ms (~24.8 days) and then fire at once; no timer is ever set above this. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Hidden Parameters keys added by `prepareForLibrary`; stripped before a handler sees the input. */
export const HIDDEN_TIMEOUT_KEY = '__localSfnTimeoutSeconds';
export const HIDDEN_INPUT_KEY = '__localSfnInput';
export const HIDDEN_HEARTBEAT_KEY = '__localSfnHeartbeatSeconds';

export type TaskKind = 'lambda' | 'lambdaInvoke' | 'callback';

export interface TaskInfo {
  stateName: string;
  kind: TaskKind;
  /** Resource after placeholder substitution (a function ARN or name for `lambda`). */
  resource: string;
  /** Parallel states this Task runs under (innermost last): their failure abandons it. */
  parallelAncestors: string[];
  /** The effective input always carries `HIDDEN_TIMEOUT_KEY`; it is wrapped as `{ [HIDDEN_INPUT_KEY]: input, [HIDDEN_TIMEOUT_KEY]: n }` (Task without Parameters). */
  wrappedInput: boolean;
}

const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const INVOKE_RESOURCE = 'arn:aws:states:::lambda:invoke';
const UNSUPPORTED_FIELDS = ['Assign', 'Arguments', 'Output', 'Condition', 'QueryLanguage', 'Items'];

/** Fills every `${Name}` in string values; an unknown name is a definition error, never a silent empty string. */
export function fillPlaceholders(value: Json, substitutions: Record<string, string>): Json {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z0-9_.-]+)\}/g, (_, name: string) => {
      const filled = substitutions[name];
      if (filled === undefined) throw new InvalidDefinition(`No substitution for placeholder \${${name}}`);
      return filled;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, substitutions));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, substitutions)]));
  }
  return value;
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function taskKind(resource: string): TaskKind {
  if (resource === CALLBACK_RESOURCE) return 'callback';
  if (resource === INVOKE_RESOURCE) return 'lambdaInvoke';
  if (resource.startsWith('arn:aws:states:::')) {
    throw new InvalidDefinition(`Resource ${resource} is not supported by the local engine (only Lambda)`);
  }
  return 'lambda';
}

/**
 * Returns the definition handed to the library, and the index of its Task states.
 *
 * Timeouts, and why they are rewritten:
 * - AWS evaluates `TimeoutSecondsPath` against the state input; the library evaluates it against the effective input
 *   (after `Parameters`), where `$.birth.timeoutSeconds` usually no longer exists. So each such Task gets a hidden
 *   Parameters key `"__localSfnTimeoutSeconds.$": <original path>` (evaluated by the library against the state input
 *   after InputPath, like every Parameters path) and its `TimeoutSecondsPath` points at `$.__localSfnTimeoutSeconds`.
 *   A Task without Parameters gets `{ "__localSfnInput.$": "$", "__localSfnTimeoutSeconds.$": <path> }`. The engine
 *   strips (or unwraps) these keys before calling the handler and before recording the TaskScheduled parameters.
 * - A `TimeoutSeconds` goes through the same key (as a number), so the engine can shorten it on a re-drive.
 * - A Task without a timeout fails after 60 s in the library, whereas AWS waits (Lambda's own timeout aside), so it
 *   gets the largest timer Node can honour.
 * - Timers above ~24.8 days fire at once in Node, so fixed timeouts are clamped here (dynamic ones by the engine).
 * - `ResultPath: "$"` is dropped (same meaning in ASL; the library stores the result under a key named "$").
 */
export function prepareForLibrary(definition: JsonObject): { definition: JsonObject; tasks: Map<string, TaskInfo> } {
  // JSON, not structuredClone: under jest, structuredClone builds objects of another realm, which the library does
  // not recognise as plain objects (and then leaves nested Payload templates unevaluated).
  const prepared = JSON.parse(JSON.stringify(definition)) as JsonObject;
  const tasks = new Map<string, TaskInfo>();
  const seen = new Map<string, string>();
  if (prepared.QueryLanguage !== undefined && prepared.QueryLanguage !== 'JSONPath') {
    throw new InvalidDefinition('The local engine runs JSONPath only (no QueryLanguage: JSONata)');
  }

  const walk = (machine: JsonObject, parallelAncestors: string[]): void => {
    const states = machine.States;
    if (!isObject(states)) throw new InvalidDefinition('States must be an object');
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) throw new InvalidDefinition(`State ${name} must be an object`);
      for (const field of UNSUPPORTED_FIELDS) {
        if (field in state) throw new InvalidDefinition(`State ${name}: ${field} is not supported by the local engine`);
      }
      // The library's overrides are keyed by state name, so one name must mean one state across all branches.
      const fingerprint = JSON.stringify(state);
      const previous = seen.get(name);
      if (previous !== undefined && previous !== fingerprint) {
        throw new InvalidDefinition(`State name ${name} is used twice with different definitions`);
      }
      seen.set(name, fingerprint);

      // The library treats `ResultPath: "$"` as a key named "$" instead of "replace the whole input"; omitting
      // ResultPath means exactly that replacement, for the state and for its catchers.
      if (state.ResultPath === '$') delete state.ResultPath;
      if (Array.isArray(state.Catch)) {
        for (const catcher of state.Catch)
          if (isObject(catcher) && catcher.ResultPath === '$') delete catcher.ResultPath;
      }

      if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
        for (const branch of state.Branches) if (isObject(branch)) walk(branch, [...parallelAncestors, name]);
      }
      if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (isObject(processor)) walk(processor, parallelAncestors);
      }
      if (state.Type !== 'Task') continue;

      const resource = String(state.Resource);
      const info: TaskInfo = {
        stateName: name,
        kind: taskKind(resource),
        resource,
        parallelAncestors,
        wrappedInput: false,
      };
      // Every Task carries its timeout in the hidden key, a path (TimeoutSecondsPath) or a number (TimeoutSeconds),
      // so the engine can adjust it per attempt: clamp it, or shorten it by the time already waited before a restart.
      const timeout: Json =
        typeof state.TimeoutSecondsPath === 'string'
          ? state.TimeoutSecondsPath
          : Math.min(
              typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : MAX_TIMER_SECONDS,
              MAX_TIMER_SECONDS,
            );
      const timeoutKey = typeof timeout === 'string' ? `${HIDDEN_TIMEOUT_KEY}.$` : HIDDEN_TIMEOUT_KEY;
      // HeartbeatSeconds(Path) goes the same way; the engine runs the heartbeat timer (the library has none).
      const heartbeat: Record<string, Json> =
        typeof state.HeartbeatSecondsPath === 'string'
          ? { [`${HIDDEN_HEARTBEAT_KEY}.$`]: state.HeartbeatSecondsPath }
          : typeof state.HeartbeatSeconds === 'number'
            ? { [HIDDEN_HEARTBEAT_KEY]: state.HeartbeatSeconds }
            : {};
      delete state.HeartbeatSeconds;
      delete state.HeartbeatSecondsPath;
      if (isObject(state.Parameters)) {
        state.Parameters = { ...state.Parameters, [timeoutKey]: timeout, ...heartbeat };
      } else if (state.Parameters === undefined) {
        state.Parameters = { [`${HIDDEN_INPUT_KEY}.$`]: '$', [timeoutKey]: timeout, ...heartbeat };
        info.wrappedInput = true;
      } else {
        throw new InvalidDefinition(`State ${name}: the local engine needs Task Parameters to be an object`);
      }
      delete state.TimeoutSeconds;
      state.TimeoutSecondsPath = `$.${HIDDEN_TIMEOUT_KEY}`;
      tasks.set(name, info);
    }
  };
  walk(prepared, []);
  return { definition: prepared, tasks };
}
