/**
 * Step Escalate<Stem>Overdue: the deadline passed with the task still open. Marks it overdue, tells the supervisor
 * (once a day while it stays overdue) and lets the workflow keep waiting on the same task.
 */

import { clock } from '#adapters/config.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';
import { vnDate } from '#domain/calendar.js';
import { systemActor } from '#domain/events.js';
import type { Procedure } from '#domain/procedures.js';
import { decisionDueAt } from '#domain/tasks.js';

export interface EscalateOverdueInput {
  caseId: string;
  procedure: Procedure;
  round: number;
}

export const handler = async ({ caseId, procedure, round }: EscalateOverdueInput) => {
  const store = caseStore();
  const now = clock().now();
  const day = vnDate(now);
  const key = `escalate:${procedure}:${round}:${day}`;
  // The appointment may have been moved since the wait began (an extension with an apology slip): not overdue yet.
  const dueAt = decisionDueAt(await store.loadEvents(caseId), procedure, round);
  if (dueAt > now.toISOString()) return { escalated: false, dueAt };
  await store.appendOnce(
    caseId,
    key,
    (events) => ({
      actor: systemActor,
      key,
      data: { type: 'ESCALATED', procedure, round, day, dueAt: decisionDueAt(events, procedure, round) },
    }),
    now,
  );
  await store.markTaskOverdue(caseId, procedure, round);
  await notify(store, caseId, key, { channel: 'SUPERVISOR', template: 'TASK_OVERDUE', procedure, dueAt }, now);
  return { escalated: true };
};
