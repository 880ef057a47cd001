/**
 * The local stand-in for the EventBridge rule on `aws.states` "Step Functions Execution Status Change": the embedded
 * engine's status changes, delivered to the same archive handler (functions/steps/archiveExecutionHistory.ts) as the
 * events AWS sends (functions/adapters/historyArchive.ts archives; this only watches and delivers).
 */
import type { ExecutionStatusChangeEvent } from '#adapters/historyArchive.js';
import type { LocalStepFunctions } from './sfn/engine.js';

/** What of the engine this watches: its public API only. */
type Engine = Pick<
  LocalStepFunctions,
  'region' | 'startExecution' | 'waitForExecution' | 'listStateMachines' | 'listExecutions'
>;

/** Longest wait Node's timers honour; the wait ends earlier when the execution ends or the engine closes. */
const FOREVER_MS = 2 ** 31 - 1;

/**
 * Calls `handler` with an EventBridge-shaped status-change event when an execution of the embedded engine starts
 * (RUNNING) and when it ends, like the EventBridge rule on AWS. Uses only the engine's public API (it wraps
 * `startExecution` and waits on each execution); executions already running (re-driven) are watched too, and every
 * execution that ended before this start is handed to `handler` once with its final status, as EventBridge's
 * redelivery would: the handler archives those whose final status was never pinned (a crash) and skips the others.
 * `idle()` resolves once every archive call started so far has finished (tests); `close()` stops watching.
 */
export const attachHistoryArchive = (
  engine: Engine,
  handler: (event: ExecutionStatusChangeEvent) => Promise<unknown>,
) => {
  const archives = new Set<Promise<unknown>>();
  /** Per execution: settles once its final status has been archived. */
  const finals = new Map<string, Promise<void>>();
  let closed = false;
  const emit = (detail: ExecutionStatusChangeEvent['detail']): Promise<void> => {
    if (closed) return Promise.resolve();
    const p = handler({
      version: '0',
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      time: new Date().toISOString(),
      region: engine.region,
      resources: [detail.executionArn],
      detail,
    })
      .then(() => undefined)
      .catch((err: unknown) =>
        console.error('history archive failed', { executionArn: detail.executionArn, error: (err as Error).message }),
      );
    archives.add(p);
    void p.finally(() => archives.delete(p));
    return p;
  };
  const watch = (executionArn: string) => {
    const final = engine
      .waitForExecution(executionArn, { timeoutMs: FOREVER_MS })
      .then(async (d) => {
        if (!d.status || d.status === 'RUNNING') return; // the engine closed: a restart re-drives it
        await emit({
          executionArn,
          stateMachineArn: d.stateMachineArn ?? '',
          name: d.name ?? '',
          status: d.status,
          ...(d.startDate ? { startDate: new Date(d.startDate).getTime() } : {}),
          ...(d.stopDate ? { stopDate: new Date(d.stopDate).getTime() } : {}),
        });
      })
      .catch(() => {});
    finals.set(executionArn, final);
  };
  const start = engine.startExecution.bind(engine);
  engine.startExecution = async (input) => {
    const r = await start(input);
    void emit({
      executionArn: r.executionArn,
      stateMachineArn: input.stateMachineArn,
      name: input.name ?? '',
      status: 'RUNNING',
      startDate: r.startDate.getTime(),
    });
    if (!finals.has(r.executionArn)) watch(r.executionArn);
    return r;
  };
  const watchingRunning = (async () => {
    for (const m of engine.listStateMachines().stateMachines ?? []) {
      if (!m.stateMachineArn) continue;
      let nextToken: string | undefined;
      do {
        const page = await engine.listExecutions({ stateMachineArn: m.stateMachineArn, nextToken });
        for (const x of page.executions ?? []) {
          if (!x.executionArn || finals.has(x.executionArn)) continue;
          if (!x.status || x.status === 'RUNNING') {
            watch(x.executionArn);
            continue;
          }
          // Ended before this start: one at a time (a restart after months of cases must not flood the table).
          const final = emit({
            executionArn: x.executionArn,
            stateMachineArn: m.stateMachineArn,
            name: x.name ?? '',
            status: x.status,
            ...(x.startDate ? { startDate: new Date(x.startDate).getTime() } : {}),
            ...(x.stopDate ? { stopDate: new Date(x.stopDate).getTime() } : {}),
          });
          finals.set(x.executionArn, final);
          await final;
        }
        nextToken = page.nextToken;
      } while (nextToken);
    }
  })().catch(() => {});
  return {
    /** Resolves once the execution's final status is archived (at once for an execution never seen). */
    async archived(executionArn: string): Promise<void> {
      await watchingRunning;
      await finals.get(executionArn);
    },
    /** Resolves when every archive call started so far has finished. */
    async idle(): Promise<void> {
      await watchingRunning;
      while (archives.size > 0) await Promise.allSettled([...archives]);
    },
    /** Stops archiving (the engine's `startExecution` is given back). */
    close() {
      closed = true;
      engine.startExecution = start;
    },
  };
};
