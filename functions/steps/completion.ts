/**
 * What every completion step does the same way: record the procedure's result exactly once, close its task and
 * tell the applicant. A step that runs again (retry, re-drive) gets the recorded result back.
 */

import type { CaseStore } from '../adapters/caseStore.js';
import { notify } from '../adapters/notifier.js';
import { caseStore, clock } from '../adapters/store.js';
import type { Dossier } from '../domain/dossier.js';
import type { CaseEvent } from '../domain/events.js';
import { systemActor } from '../domain/events.js';
import type { Procedure } from '../domain/procedures.js';
import { effectiveDossier, eventsOfType } from '../domain/tasks.js';

export interface CompletionInput {
  caseId: string;
  procedure: Procedure;
  round: number;
}

export interface Completed {
  events: CaseEvent[];
  result: Record<string, unknown>;
  now: Date;
  store: CaseStore;
}

export const completeProcedure = async (
  { caseId, procedure, round }: CompletionInput,
  makeResult: (ctx: {
    store: CaseStore;
    dossier: Dossier;
    events: CaseEvent[];
    now: Date;
  }) => Promise<Record<string, unknown>>,
): Promise<Completed> => {
  const store = caseStore();
  const now = clock().now();
  const key = `complete:${procedure}`;
  const before = await store.loadEvents(caseId);
  const recorded = before.find((e) => e.key === key);
  let events = before;
  if (!recorded) {
    const result = await makeResult({ store, dossier: effectiveDossier(before), events: before, now });
    const r = await store.appendOnce(
      caseId,
      key,
      () => ({ actor: systemActor, key, data: { type: 'PROCEDURE_COMPLETED', procedure, result } }),
      now,
    );
    events = r!.events;
  }
  await store.closeTask(caseId, procedure, round, 'DECISION');
  await notify(store, caseId, `result:${procedure}`, { channel: 'SMS', template: 'RESULT_READY', procedure }, now);
  const done = eventsOfType(events, 'PROCEDURE_COMPLETED').find((e) => e.data.procedure === procedure)!;
  return { events, result: done.data.result, now, store };
};

/** What a branch returns to the Parallel state: the procedure's outcome, no personal data. */
export const branchResult = (procedure: Procedure, status: 'COMPLETED' | 'REFUSED') => ({ procedure, status });
