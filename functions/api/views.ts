/** What each reader sees of a case. Officers and auditors: the state, the dossier and the timeline. Parents: their case. */

import type { CaseState } from '#domain/caseState.js';
import { isOverdue } from '#domain/deadlines.js';
import { dossierVersion, effectiveDossier, eventsOfType } from '#domain/eventLog.js';
import type { CaseEvent } from '#domain/events.js';

/** Timeline entries: who did what, when; data without the dossier itself (it is shown once, separately). */
export const timeline = (events: CaseEvent[]) =>
  events
    // Reads and history copies are the auditors' business (GET /audit/cases/{id}/timeline), not the officers'.
    .filter((e) => e.data.type !== 'CASE_VIEWED' && e.data.type !== 'HISTORY_ARCHIVED')
    .map((e) => ({
      seq: e.seq,
      at: e.at,
      type: e.data.type,
      actor: e.actor,
      data:
        e.data.type === 'DOSSIER_FILED' ? { dossierCode: e.data.dossierCode, receivedAt: e.data.receivedAt } : e.data,
    }));

export const officerView = (state: CaseState, events: CaseEvent[], now: Date) => ({
  ...withOverdue(state, now),
  dossier: effectiveDossier(events),
  dossierVersion: dossierVersion(events),
  timeline: timeline(events),
});

const withOverdue = (state: CaseState, now: Date): CaseState => ({
  ...state,
  procedures: Object.fromEntries(
    Object.entries(state.procedures).map(([k, p]) => [
      k,
      {
        ...p,
        overdue: isOverdue({ ...p, waiting: p.status === 'IN_REVIEW' }, now),
      },
    ]),
  ) as CaseState['procedures'],
});

/** The parent's one view: every procedure's status, deadline and result, and what is asked of them. */
export const applicantView = (state: CaseState, events: CaseEvent[], now: Date) => {
  const d = effectiveDossier(events);
  const s = withOverdue(state, now);
  const requests = eventsOfType(events, 'DECISION_RECORDED')
    .filter((e) => e.data.decision === 'SUPPLEMENT_REQUESTED')
    .map((e) => ({
      procedure: e.data.procedure,
      round: e.data.round,
      reason: e.data.reason,
      dueAt: e.data.dueAt,
      // What the officer asked to change (absent: anything the procedure's supplement may change).
      ...(e.data.fields ? { fields: e.data.fields } : {}),
      at: e.at,
    }));
  return {
    dossierCode: s.dossierCode,
    status: s.status,
    regime: s.regime,
    receivedAt: s.receivedAt,
    deadlines: s.deadlines,
    child: {
      surname: d.child.surname,
      middleName: d.child.middleName,
      givenName: d.child.givenName,
      dateOfBirth: d.child.dateOfBirth,
    },
    procedures: s.procedures,
    // The version of the dossier the family sees: a supplement sent with it is refused if another changed it since.
    dossierVersion: dossierVersion(events),
    supplementRequests: requests,
    // Phiếu xin lỗi và hẹn lại: every appointment moved, with the agency's apology.
    apologySlips: eventsOfType(events, 'DEADLINE_EXTENDED').map((e) => ({ at: e.at, ...e.data.slip })),
    // What the family was told, and whether each SMS / e-mail reached its channel (destinations masked).
    notifications: eventsOfType(events, 'NOTIFICATION_SENT')
      .filter((e) => e.data.channel !== 'SUPERVISOR')
      .map((e) => {
        const key = e.key?.replace(/^notify:/, '');
        const deliveries = events
          .filter((o) => o.key?.startsWith(`delivery:${key}:`))
          .map((o) =>
            o.data.type === 'NOTIFICATION_DELIVERED' || o.data.type === 'NOTIFICATION_FAILED'
              ? {
                  channel: o.data.channel,
                  destination: o.data.destination,
                  status: o.data.type === 'NOTIFICATION_DELIVERED' ? 'DELIVERED' : 'FAILED',
                }
              : undefined,
          )
          .filter((d) => d !== undefined);
        return { at: e.at, template: e.data.template, procedure: e.data.procedure, deliveries };
      }),
  };
};
