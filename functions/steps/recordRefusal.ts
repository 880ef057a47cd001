/**
 * Step Record*Refusal / *SupplementMissed: the procedure ends refused, by the officer's decision or because the
 * applicant's supplement window (7 working days) passed. A downstream refusal never undoes the birth registration
 * nor the other branches (domain.md §6.4): the branch ends with this result, not an error.
 */

import { notify } from '../adapters/notifier.js';
import { caseStore, clock } from '../adapters/store.js';
import { systemActor } from '../domain/events.js';
import type { Procedure } from '../domain/procedures.js';
import { recordedAnswer } from '../domain/tasks.js';
import { branchResult } from './completion.js';

export interface RecordRefusalInput {
  caseId: string;
  procedure: Procedure;
  round: number;
  reason: 'REFUSED' | 'SUPPLEMENT_MISSED';
}

export const handler = async ({ caseId, procedure, round, reason }: RecordRefusalInput) => {
  const store = caseStore();
  const now = clock().now();
  const key = `refuse:${procedure}`;
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
