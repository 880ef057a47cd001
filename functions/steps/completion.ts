/**
 * What completing a procedure does, whatever the procedure (completeProcedure.ts): check that an officer's approval is on record, record the
 * procedure's result exactly once, close its task and tell the applicant. A step that runs again (retry, re-drive)
 * gets the recorded result back.
 * Decisions are the only way a procedure completes: the answer the workflow got must name the DECISION_RECORDED event
 * (sequence number and hash) of this procedure and round; if it does not (a callback token used outside the decision
 * path), the step throws `Decision.NotRecorded` and records nothing. No Retry or Catch matches that error, so the
 * execution fails there (issue 11 will route it to NEEDS_ATTENTION instead).
 */

import type { CaseStore } from '#adapters/caseStore.js';
import { clock } from '#adapters/config.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';
import { decisionOnRecord } from '#domain/decisionRecord.js';
import type { Dossier } from '#domain/dossier.js';
import { DecisionNotRecordedError } from '#domain/errors.js';
import { effectiveDossier, eventsOfType } from '#domain/eventLog.js';
import type { CaseEvent } from '#domain/events.js';
import { systemActor } from '#domain/events.js';
import type { Procedure } from '#domain/procedures.js';
import type { DecisionAnswer } from '#domain/tasks.js';

export interface CompletionInput {
  caseId: string;
  procedure: Procedure;
  round: number;
  /** The callback answer the workflow received (`$.birth`, `$.residence`, ...): it names the recorded decision. */
  answer?: DecisionAnswer;
}

/** Throws `Decision.NotRecorded` unless `answer` names the recorded `decision` of this procedure and round. */
export const requireRecordedDecision = (
  events: CaseEvent[],
  { caseId, procedure, round, answer }: CompletionInput,
  decision: 'APPROVED' | 'REFUSED',
) => {
  if (!decisionOnRecord(events, procedure, round, decision, answer)) {
    throw new DecisionNotRecordedError(
      `Case ${caseId}: no ${decision} decision of ${procedure} round ${round} on record for this answer`,
    );
  }
};

export interface Completed {
  events: CaseEvent[];
  result: Record<string, unknown>;
  now: Date;
  store: CaseStore;
}

export const completeWith = async (
  input: CompletionInput,
  makeResult: (ctx: {
    store: CaseStore;
    dossier: Dossier;
    events: CaseEvent[];
    now: Date;
  }) => Promise<Record<string, unknown>>,
): Promise<Completed> => {
  const { caseId, procedure, round } = input;
  const store = caseStore();
  const now = clock().now();
  const key = `complete:${procedure}`;
  const before = await store.loadEvents(caseId);
  requireRecordedDecision(before, input, 'APPROVED');
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
