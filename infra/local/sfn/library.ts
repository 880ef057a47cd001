/**
 * aws-local-stepfunctions 3.0.0 with the project's maintained patch: where the interpreter itself diverges from AWS
 * (JSONPath, Choice, intrinsics, the context object, Fail states), the engine runs a patched copy of the library.
 *
 * The patch is applied by this module at load, never by editing node_modules: it reads the installed bundle, applies
 * each replacement below (each must match exactly once, so a library upgrade that moves the code fails loudly here
 * instead of silently running unpatched), writes the result next to the original (content-addressed, so concurrent
 * processes agree) and imports it. Every replacement is covered by a case of `test/conformance/`; each says what AWS
 * does. See docs/local-engine.md.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Library from 'aws-local-stepfunctions';

export const LIBRARY_VERSION = '3.0.0';

/** Run option the patched library reads for `$$.State.EnteredTime` (the engine's time source, virtual in tests). */
export const NOW_OPTION = '__lienthongNow';

const HELPERS = `
// --- Lienthong patch helpers (infra/local/sfn/library.ts) ---
function __lienthongIndefinitePath(path) {
  return /\\[\\s*\\*\\s*\\]|\\[[^\\]]*:[^\\]]*\\]|\\.\\.|\\[\\s*\\?|\\.\\*/.test(path);
}
function __lienthongStateContext(context, name, state, options) {
  const { Task, State: _previous, Map: _map, ...rest } = context;
  const now = options.runOptions?.${NOW_OPTION}?.() ?? new Date();
  const State = { Name: name, EnteredTime: now.toISOString() };
  if (state.Type === "Task" || state.Type === "Parallel" || state.Type === "Map") State.RetryCount = 0;
  const out = { ...rest, State };
  if (Task && state.Type === "Task" && String(state.Resource).endsWith(".waitForTaskToken")) out.Task = Task;
  return out;
}
function __lienthongJavaString(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "[" + value.map(__lienthongJavaString).join(", ") + "]";
  if (typeof value === "object") return "{" + Object.entries(value).map(([k, v]) => k + "=" + __lienthongJavaString(v)).join(", ") + "}";
  return String(value);
}
function __lienthongPathOrIntrinsic(path, input, context) {
  if (/^States\\.[A-Za-z]+\\(/.test(path)) return evaluateIntrinsicFunction(path, input, context);
  return jsonPathQuery(path, input, context, { constraints: [StringConstraint] });
}
// --- end of helpers ---
`;

/** [why, find, replace]: each `find` must occur exactly once in the bundle. */
const PATCHES: [string, string, string][] = [
  [
    'A path with [*], a slice, .. or a filter is indefinite: AWS returns an array, [] when nothing matches; "$" is the input itself, also when it is 0, false, "" or null',
    `  let evaluation;
  if (pathExpression.startsWith("$$")) {
    evaluation = jp({ path: pathExpression.slice(1), json: context ?? null, wrap: false });
  } else {
    evaluation = jp({ path: pathExpression, json, wrap: false });
  }`,
    `  let evaluation;
  const indefinite = __lienthongIndefinitePath(pathExpression);
  if (pathExpression === "$") {
    evaluation = json;
  } else if (pathExpression === "$$") {
    evaluation = context ?? null;
  } else if (pathExpression.startsWith("$$")) {
    evaluation = jp({ path: pathExpression.slice(1), json: context ?? null, wrap: indefinite });
  } else {
    evaluation = jp({ path: pathExpression, json, wrap: indefinite });
  }
  if (indefinite && evaluation === void 0) evaluation = [];`,
  ],
  [
    'IsNull: false matches a non-null value',
    'return isNullTrue && varValue === null;',
    'return isNullTrue === (varValue === null);',
  ],
  [
    'IsPresent: false matches a missing path',
    'return IsPresentTrue && varValue !== void 0;',
    'return IsPresentTrue === (varValue !== void 0);',
  ],
  [
    'IsNumeric: false',
    'return IsNumericTrue && typeof varValue === "number";',
    'return IsNumericTrue === (typeof varValue === "number");',
  ],
  [
    'IsString: false',
    'return IsStringTrue && typeof varValue === "string";',
    'return IsStringTrue === (typeof varValue === "string");',
  ],
  [
    'IsBoolean: false',
    'return IsBooleanTrue && typeof varValue === "boolean";',
    'return IsBooleanTrue === (typeof varValue === "boolean");',
  ],
  [
    'IsTimestamp: false',
    'return IsTimestampTrue && isRFC3339Timestamp(varValue);',
    'return IsTimestampTrue === isRFC3339Timestamp(varValue);',
  ],
  [
    'States.MathAdd rounds each operand to an integer (Math.round) before adding',
    `  execute(num1, num2) {
    return num1 + num2;
  }`,
    `  execute(num1, num2) {
    return Math.round(num1) + Math.round(num2) + 0;
  }`,
  ],
  [
    'States.StringSplit splits on every character of the delimiter and drops empty parts',
    `  execute(str, separator) {
    return str.split(separator);
  }`,
    `  execute(str, separator) {
    const chars = [...separator];
    if (chars.length === 0) return [str];
    let parts = [str];
    for (const c of chars) parts = parts.flatMap((p) => p.split(c));
    return parts.filter((p) => p.length > 0);
  }`,
  ],
  [
    'States.StringToJson of an empty or blank string is null',
    `  execute(jsonString) {
    return JSON.parse(jsonString);
  }`,
    `  execute(jsonString) {
    if (jsonString.trim() === "") return null;
    return JSON.parse(jsonString);
  }`,
  ],
  [
    'States.Format accepts object and array arguments and prints them as Java does ({k=v}, [a, b])',
    `      variadicArguments: {
        allowedTypes: ["string", "boolean", "number", "null"]
      }`,
    `      variadicArguments: {
        allowedTypes: ["string", "boolean", "number", "null", "object", "array"]
      }`,
  ],
  [
    'States.Format: object and array arguments in Java notation',
    'return templateStr.replace(/\\{\\}/g, () => placeholderValues[i++]);',
    'return templateStr.replace(/\\{\\}/g, () => __lienthongJavaString(placeholderValues[i++]));',
  ],
  [
    'States.MathRandom accepts non-integer bounds (AWS truncates them)',
    `  execute(min, max, seed) {
    const [s1, s2, s3, s4] = cyrb128((seed ?? Date.now()).toString());`,
    `  execute(min, max, seed) {
    min = Math.trunc(min);
    max = Math.trunc(max);
    const [s1, s2, s3, s4] = cyrb128((seed ?? Date.now()).toString());`,
  ],
  [
    'States.MathRandom: the bounds are numbers, not only integers',
    `      name: "States.MathRandom",
      minArgs: 2,
      arguments: [
        {
          allowedTypes: ["number"],
          constraints: ["INTEGER"]
        },
        {
          allowedTypes: ["number"],
          constraints: ["INTEGER"]
        },`,
    `      name: "States.MathRandom",
      minArgs: 2,
      arguments: [
        {
          allowedTypes: ["number"]
        },
        {
          allowedTypes: ["number"]
        },`,
  ],
  [
    'Fail: ErrorPath and CausePath may hold an intrinsic function',
    `    if (state.ErrorPath) {
      error = jsonPathQuery(state.ErrorPath, input, context, {
        constraints: [StringConstraint]
      });
    }
    if (state.CausePath) {
      cause = jsonPathQuery(state.CausePath, input, context, {
        constraints: [StringConstraint]
      });
    }
    throw new FailStateError(error, cause);`,
    `    if (state.ErrorPath) {
      error = __lienthongPathOrIntrinsic(state.ErrorPath, input, context);
    }
    if (state.CausePath) {
      cause = __lienthongPathOrIntrinsic(state.CausePath, input, context);
    }
    const failure = new FailStateError(error, cause);
    failure.lienthongNoError = error === void 0;
    failure.lienthongNoCause = cause === void 0;
    throw failure;`,
  ],
  [
    'A caught error without Error/Cause (Fail without them, SendTaskFailure without them) gives null; a timeout has Cause ""',
    `          const errorOutput = {
            Error: error.name,
            Cause: error.message
          };`,
    `          const errorOutput = {
            Error: error.lienthongNoError ? null : error.name,
            Cause: error.lienthongNoCause ? null : error.name === "States.Timeout" && error.message === "States.Timeout" ? "" : error.message
          };`,
  ],
  [
    "Context: $$.Execution.Input and StartTime are the execution's, also inside Parallel and Map branches",
    `      Execution: {
        ...options.runOptions?.context?.Execution,
        Input: input,
        StartTime: (/* @__PURE__ */ new Date()).toISOString()
      }`,
    `      Execution: {
        ...options.runOptions?.context?.Execution,
        Input: options.runOptions?.context?.Execution?.Input ?? input,
        StartTime: options.runOptions?.context?.Execution?.StartTime ?? (/* @__PURE__ */ new Date()).toISOString()
      }`,
  ],
  [
    'Context: $$.State (Name, EnteredTime, RetryCount) per state; $$.Task only in callback Task states',
    `        const stateExecutor = new StateExecutor(currStateName, currState);
        ({ stateResult: currResult, nextState, isEndState } = await stateExecutor.execute(currInput, context, options));`,
    `        const stateExecutor = new StateExecutor(currStateName, currState);
        const stateContext = __lienthongStateContext(context, currStateName, currState, options);
        ({ stateResult: currResult, nextState, isEndState } = await stateExecutor.execute(currInput, stateContext, options));`,
  ],
  [
    'Context: $$.State.RetryCount counts the retries of the state',
    `        return this.execute(input, context, options);`,
    `        if (context.State) context.State = { ...context.State, RetryCount: this.retrierAttempts.reduce((a, b) => a + b, 0) };
        return this.execute(input, context, options);`,
  ],
  [
    'Map: ToleratedFailureCountPath must give a non-negative integer (States.Runtime); #{entered} is filled by the engine',
    `    const state = this.stateDefinition;
    let items = input;`,
    `    const state = this.stateDefinition;
    if (state.ToleratedFailureCountPath) {
      const tolerated = jsonPathQuery(state.ToleratedFailureCountPath, input, context, { ignoreDefinedValueConstraint: true });
      const where = "An error occurred while executing the state '" + this.stateName + "' (entered at the event id #{entered}). ";
      if (!Number.isInteger(tolerated)) {
        throw new StatesRuntimeError(where + "The ToleratedFailureCountPath field refers to value \\"" + (typeof tolerated === "string" ? tolerated : JSON.stringify(tolerated)) + "\\" which is not a valid integer: " + state.ToleratedFailureCountPath);
      }
      if (tolerated < 0) throw new StatesRuntimeError(where + "ToleratedFailureCount cannot be negative.");
    }
    let items = input;`,
  ],
  [
    'Map: an iteration ends (MapIterationSucceeded/Failed in the history) before the next one starts, as on AWS',
    `    this.forwardEventsToRootEventLogger(options.eventLogger, execution.eventLogs, index, options.rawInput);
    return execution.result;`,
    `    const forwarded = this.forwardEventsToRootEventLogger(options.eventLogger, execution.eventLogs, index, options.rawInput);
    return execution.result.then(
      async (result) => {
        await forwarded;
        return result;
      },
      async (error) => {
        await forwarded;
        throw error;
      }
    );`,
  ],
  [
    'Export the timeout error: the engine raises the same class, so States.TaskFailed does not catch a timeout',
    `export {
  ExecutionAbortedError,`,
    `${HELPERS}
export {
  StatesTimeoutError,
  ExecutionAbortedError,`,
  ],
];

function applyPatches(source: string): string {
  let text = source;
  for (const [why, find, replace] of PATCHES) {
    const first = text.indexOf(find);
    if (first < 0 || text.indexOf(find, first + 1) >= 0) {
      throw new Error(
        `aws-local-stepfunctions patch no longer applies (${why}); is the library still ${LIBRARY_VERSION}?`,
      );
    }
    text = text.slice(0, first) + replace + text.slice(first + find.length);
  }
  return text;
}

type PatchedLibrary = typeof Library & {
  /** The library's own `States.Timeout` error (not exported by the original). */
  StatesTimeoutError: new () => Error;
};

async function load(): Promise<PatchedLibrary> {
  const require = createRequire(import.meta.url);
  // The package's exports hide package.json; its entry point is build/main.node.*.
  const packageDir = dirname(dirname(require.resolve('aws-local-stepfunctions')));
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  if (pkg.version !== LIBRARY_VERSION) {
    throw new Error(
      `infra/local/sfn/library.ts patches aws-local-stepfunctions ${LIBRARY_VERSION}, found ${pkg.version}`,
    );
  }
  const original = readFileSync(join(packageDir, 'build', 'main.node.esm.js'), 'utf8');
  const patched = applyPatches(original);
  const hash = createHash('sha256').update(patched).digest('hex').slice(0, 16);
  // Next to the original, so its own imports (jsonpath-plus, p-limit, ...) resolve exactly as they do for it.
  const target = join(packageDir, 'build', `main.node.lienthong-${hash}.mjs`);
  if (!existsSync(target)) {
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, patched);
    renameSync(temporary, target);
  }
  return (await import(pathToFileURL(target).href)) as PatchedLibrary;
}

export const library: PatchedLibrary = await load();
