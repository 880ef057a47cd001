/**
 * Step Record<Stem>Refusal / Record<Stem>SupplementMissed: the procedure ends refused, by the officer's decision or because the
 * applicant's supplement window (7 working days) passed. A downstream refusal never undoes the birth registration
 * nor the other branches (domain.md §6.4): the branch ends with this result, not an error.
 */

import { clock } from '#adapters/config.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';
import { systemActor } from '#domain/events.js';
import type { Procedure } from '#domain/procedures.js';
import { type DecisionAnswer, recordedAnswer } from '#domain/tasks.js';
import { branchResult, requireRecordedDecision } from './completion.js';

export interface RecordRefusalInput {
  caseId: string;
  procedure: Procedure;
  round: number;
  reason: 'REFUSED' | 'SUPPLEMENT_MISSED';
  /** For REFUSED: the callback answer, which names the recorded refusal (see completion.ts). */
  answer?: DecisionAnswer;
}

export const handler = async (input: RecordRefusalInput) => {
  const { caseId, procedure, round, reason } = input;
  const store = caseStore();
  const now = clock().now();
  const key = `refuse:${procedure}`;
  // An officer's refusal is on record (a missed supplement window is the workflow's own timeout: nothing to check).
  if (reason === 'REFUSED') requireRecordedDecision(await store.loadEvents(caseId), input, 'REFUSED');
  await store.appendOnce(
    caseId,
    key,
    (events) => {
      const decision = recordedAnswer(events, procedure, 'DECISION', round);
      const note = decision?.data.type === 'DECISION_RECORDED' ? decision.data.reason : undefined;
      return {
        actor: systemActor,
        key,
        data: { type: 'PROCEDURE_REFUSED', procedure, round, reason, ...(note ? { note } : {}) },
      };
    },
    now,
  );
  await store.closeTask(caseId, procedure, round, reason === 'REFUSED' ? 'DECISION' : 'SUPPLEMENT');
  await notify(
    store,
    caseId,
    `refused:${procedure}`,
    { channel: 'SMS', template: 'PROCEDURE_REFUSED', procedure },
    now,
  );
  return { ...branchResult(procedure, 'REFUSED'), reason };
};
