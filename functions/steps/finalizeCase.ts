/** Step FinalizeCase: the case closes COMPLETED, PARTIALLY_COMPLETED or REFUSED, with each procedure's result. */

import { caseStore, clock } from '../adapters/store.js';
import { closingStatus, projectCase } from '../domain/caseState.js';
import { systemActor } from '../domain/events.js';

export const handler = async ({ caseId }: { caseId: string }) => {
  const r = await caseStore().appendOnce(
    caseId,
    'close',
    (events) => ({
      actor: systemActor,
      key: 'close',
      data: { type: 'CASE_CLOSED', status: closingStatus(projectCase(events)) },
    }),
    clock().now(),
  );
  const s = r!.state;
  return {
    caseId,
    status: s.status,
    procedures: Object.fromEntries(Object.values(s.procedures).map((p) => [p.procedure, p.status])),
  };
};
