/**
 * Agency and supplement tasks: who decides (the unit), by when (the due time), and what the waiting workflow step is
 * told (the callback's answer). Pure functions over the event log, shared by the open-task step and the API, so both
 * compute the same answer.
 */
import { bundleDeadlines, procedureDeadline, secondsUntil } from './deadlines.js';
import type { Dossier } from './dossier.js';
import { eventsOfType } from './eventLog.js';
import type { CaseEvent, EventData } from './events.js';
import {
  type Agency,
  firstProcedure,
  type Procedure,
  type ProcedureDefinition,
  procedureOf,
  type TaskKind,
  type UnitScope,
} from './procedures/index.js';

type Of<T extends EventData['type']> = CaseEvent<Extract<EventData, { type: T }>>;

/** The unit of each scope in a dossier (procedures/types.ts `UnitScope`). */
export const unitIn = (scope: UnitScope, d: Dossier): string => {
  switch (scope) {
    case 'REGISTRATION_COMMUNE':
      return d.registrationCommuneCode;
    case 'RESIDENCE_COMMUNE':
      return d.residence.address.communeCode;
    case 'RESIDENCE_PROVINCE':
      return d.residence.address.provinceCode;
  }
};

/**
 * The agency and administrative unit whose officers decide a task: the procedure's own (its registry entry: the
 * registering commune for the birth, the commune of the requested residence for the police, the province for the
 * card). Supplements are the applicant's, followed by the registering commune.
 */
export const taskUnit = (procedure: Procedure, kind: TaskKind, d: Dossier): { agency: Agency; unit: string } => {
  if (kind === 'SUPPLEMENT') return { agency: 'APPLICANT', unit: d.registrationCommuneCode };
  const p = procedureOf(procedure);
  return { agency: p.agency as Agency, unit: unitIn(p.unit, d) };
};

/**
 * When a decision task of `round` is due.
 * Round 1: the birth by the bundle's birth deadline; a downstream step by the bundle's deadline when the birth was
 * registered on time, else 2 working days after the birth was registered. Later rounds: counted again from the
 * supplement (a complete dossier received).
 */
export const decisionDueAt = (events: CaseEvent[], procedure: Procedure, round: number): string => {
  // An extension (with its apology slip) moves the appointment of this round.
  const extended = eventsOfType(events, 'DEADLINE_EXTENDED')
    .filter((e) => e.data.procedure === procedure && e.data.round === round)
    .at(-1);
  if (extended) return extended.data.newDueAt;
  if (round > 1) {
    const s = eventsOfType(events, 'SUPPLEMENT_SUBMITTED').find(
      (e) => e.data.procedure === procedure && e.data.round === round - 1,
    );
    if (s) return s.data.dueAt;
  }
  const received = eventsOfType(events, 'DOSSIER_RECEIVED')[0];
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  const deadlines = (received?.data.deadlines ??
    bundleDeadlines(new Date(filed!.data.receivedAt))) as unknown as Record<string, string | undefined>;
  const p = procedureOf(procedure);
  // A case received before this procedure joined the registry has no deadline of it: its rule from the counting day.
  const own = deadlines[p.key] ?? procedureDeadline(procedure, new Date(filed!.data.receivedAt));
  const first = firstProcedure();
  if (p.stage === 'first') return own;
  const done = eventsOfType(events, 'PROCEDURE_COMPLETED').find((e) => e.data.procedure === first.code);
  const firstDue = deadlines[first.key]!;
  if (!done || done.at <= firstDue) return own;
  return procedureDeadline(procedure, new Date(done.at));
};

/**
 * The answer a decision or supplement gives the waiting step, built from the recorded event (re-sent as is on
 * re-drive). A decision names its event (`recorded`: sequence number and hash), which the step that completes or
 * refuses the procedure looks up in the log before it records anything (`decisionOnRecord`).
 */
export const callbackOutput = (
  e: Of<'DECISION_RECORDED'> | Of<'SUPPLEMENT_SUBMITTED'>,
  now: Date,
): Record<string, unknown> => {
  if (e.data.type === 'DECISION_RECORDED') {
    return {
      round: e.data.round,
      decision: e.data.decision,
      recorded: { seq: e.seq, hash: e.hash },
      ...(e.data.decision === 'SUPPLEMENT_REQUESTED' && e.data.dueAt
        ? { supplementTimeoutSeconds: secondsUntil(e.data.dueAt, now) }
        : {}),
    };
  }
  return { round: e.data.round + 1, decision: 'SUPPLIED', timeoutSeconds: secondsUntil(e.data.dueAt, now) };
};

/** What a callback answer says of the decision it carries (`callbackOutput`); anything may arrive here. */
export interface DecisionAnswer {
  round?: unknown;
  decision?: unknown;
  recorded?: { seq?: unknown; hash?: unknown };
}

/** The recorded answer to a task, if any. */
export const recordedAnswer = (events: CaseEvent[], procedure: Procedure, kind: TaskKind, round: number) =>
  kind === 'DECISION'
    ? eventsOfType(events, 'DECISION_RECORDED').find((e) => e.data.procedure === procedure && e.data.round === round)
    : eventsOfType(events, 'SUPPLEMENT_SUBMITTED').find(
        (e) => e.data.procedure === procedure && e.data.round === round,
      );

/**
 * Whether a procedure is part of the case (its entry's request rule): recorded at filing (the dossier's request) or at
 * receipt (when the regime, fixed then, must also offer it: `DOSSIER_RECEIVED.idCardRequested`).
 */
export const isRequested = (p: ProcedureDefinition, events: CaseEvent[]): boolean => {
  const rule = p.request;
  if (rule.kind === 'always') return true;
  if (rule.kind === 'dossier') {
    const filed = eventsOfType(events, 'DOSSIER_FILED')[0]!;
    return filed.data.dossier[rule.flag].requested === true;
  }
  const received = eventsOfType(events, 'DOSSIER_RECEIVED')[0];
  return received?.data[rule.recordedAs] === true;
};

/** The workflow's state-data object for a downstream procedure at the start of its branch. */
export const branchStart = (events: CaseEvent[], procedure: Procedure, requested: boolean, now: Date) => ({
  requested,
  round: 1,
  timeoutSeconds: secondsUntil(decisionDueAt(events, procedure, 1), now),
});
