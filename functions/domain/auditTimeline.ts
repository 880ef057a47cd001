/**
 * The auditor's timeline, pure: who did what and when, each act against the deadline it answered.
 */

import { eventsOfType } from './eventLog.js';
import type { CaseEvent } from './events.js';

export interface AuditTimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: CaseEvent['actor'];
  procedure?: string;
  round?: number;
  /** TASK_OPENED: whose turn it is, the agency's (DECISION) or the family's (SUPPLEMENT). */
  kind?: 'DECISION' | 'SUPPLEMENT';
  decision?: string;
  reason?: string;
  /** The deadline this act answered, and whether it was met. */
  dueAt?: string;
  deadline?: 'MET' | 'MISSED';
}

/**
 * Who did what and when, against which deadline: a decision against its task's due time, a supplement against the
 * supplement deadline, an escalation is a missed deadline. Reads of the case are listed by the access endpoint.
 */
export const auditTimeline = (events: CaseEvent[]): AuditTimelineEntry[] => {
  const opened = eventsOfType(events, 'TASK_OPENED');
  const dueOf = (procedure: string, round: number, kind: 'DECISION' | 'SUPPLEMENT') =>
    opened.filter((o) => o.data.procedure === procedure && o.data.round === round && o.data.kind === kind).at(-1)?.data
      .dueAt;
  const judged = (at: string, dueAt: string | undefined) =>
    dueAt ? { dueAt, deadline: at <= dueAt ? ('MET' as const) : ('MISSED' as const) } : {};
  return events
    .filter((e) => e.data.type !== 'CASE_VIEWED')
    .map((e) => {
      const base = { seq: e.seq, at: e.at, type: e.data.type, actor: e.actor };
      const x = e.data;
      switch (x.type) {
        case 'TASK_OPENED':
          return { ...base, procedure: x.procedure, round: x.round, kind: x.kind, dueAt: x.dueAt };
        case 'DECISION_RECORDED':
          return {
            ...base,
            procedure: x.procedure,
            round: x.round,
            decision: x.decision,
            ...(x.reason ? { reason: x.reason } : {}),
            ...judged(e.at, dueOf(x.procedure, x.round, 'DECISION')),
          };
        case 'SUPPLEMENT_SUBMITTED': {
          const asked = eventsOfType(events, 'DECISION_RECORDED').find(
            (d) =>
              d.data.procedure === x.procedure &&
              d.data.round === x.round &&
              d.data.decision === 'SUPPLEMENT_REQUESTED',
          );
          return {
            ...base,
            procedure: x.procedure,
            round: x.round,
            ...judged(e.at, asked?.data.dueAt ?? dueOf(x.procedure, x.round, 'SUPPLEMENT')),
          };
        }
        case 'ESCALATED':
          return { ...base, procedure: x.procedure, round: x.round, dueAt: x.dueAt, deadline: 'MISSED' as const };
        case 'PROCEDURE_COMPLETED':
          return { ...base, procedure: x.procedure };
        case 'PROCEDURE_REFUSED':
          return { ...base, procedure: x.procedure, round: x.round, decision: x.reason };
        case 'CASE_CLOSED':
          return { ...base, decision: x.status };
        default:
          return base;
      }
    });
};
