/**
 * Who decides what, by when, and what the waiting workflow step is told: pure functions over the event log,
 * shared by the open-task step and the API, so both compute the same answer.
 */
import { bundleDeadlines, downstreamDeadline, secondsUntil } from './deadlines.js';
import type { Dossier } from './dossier.js';
import type { CaseEvent, EventData } from './events.js';
import { type Agency, agencyOf, type Procedure, type TaskKind } from './procedures.js';

type Of<T extends EventData['type']> = CaseEvent<Extract<EventData, { type: T }>>;
export const eventsOfType = <T extends EventData['type']>(events: CaseEvent[], type: T): Of<T>[] =>
  events.filter((e): e is Of<T> => e.data.type === type);

/** The dossier as filed, with every accepted supplement's and correction's changes applied in log order. */
export const effectiveDossier = (events: CaseEvent[]): Dossier => {
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  if (!filed) throw new Error('No DOSSIER_FILED event');
  let d: Dossier = filed.data.dossier;
  for (const e of events) {
    if ((e.data.type === 'SUPPLEMENT_SUBMITTED' || e.data.type === 'DOSSIER_CORRECTED') && e.data.changes) {
      d = deepMerge(d, e.data.changes) as Dossier;
    }
  }
  return d;
};

/**
 * The dossier's version: the seq of the event that made the current dossier (its filing, or the last supplement with
 * changes or correction). A supplement is checked against one version and recorded only if it is still current.
 */
export const dossierVersion = (events: CaseEvent[]): number =>
  events.findLast(
    (e) =>
      e.data.type === 'DOSSIER_FILED' ||
      ((e.data.type === 'SUPPLEMENT_SUBMITTED' || e.data.type === 'DOSSIER_CORRECTED') && e.data.changes !== undefined),
  )?.seq ?? 0;

export const deepMerge = (base: unknown, patch: unknown): unknown => {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
  return out;
};

/**
 * The administrative unit whose officers decide a task: the registering commune for the birth, the commune of the
 * requested residence for the police, the province (provincial social security, BHXH tỉnh) for the card.
 * Supplements are the applicant's, followed by the registering commune.
 */
export const taskUnit = (procedure: Procedure, kind: TaskKind, d: Dossier): { agency: Agency; unit: string } => {
  if (kind === 'SUPPLEMENT') return { agency: 'APPLICANT', unit: d.registrationCommuneCode };
  switch (procedure) {
    case 'BIRTH':
      return { agency: agencyOf.BIRTH, unit: d.registrationCommuneCode };
    case 'RESIDENCE':
      return { agency: agencyOf.RESIDENCE, unit: d.residence.address.communeCode };
    case 'HEALTH_INSURANCE':
      return { agency: agencyOf.HEALTH_INSURANCE, unit: d.residence.address.provinceCode };
    case 'ID_CARD':
      return { agency: agencyOf.ID_CARD, unit: d.residence.address.communeCode };
  }
};

const stateKey: Record<Procedure, 'birth' | 'residence' | 'healthInsurance' | 'idCard'> = {
  BIRTH: 'birth',
  RESIDENCE: 'residence',
  HEALTH_INSURANCE: 'healthInsurance',
  ID_CARD: 'idCard',
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
  const deadlines = received?.data.deadlines ?? bundleDeadlines(new Date(filed!.data.receivedAt));
  if (procedure === 'BIRTH') return deadlines.birth;
  const birth = eventsOfType(events, 'PROCEDURE_COMPLETED').find((e) => e.data.procedure === 'BIRTH');
  if (!birth || birth.at <= deadlines.birth) return deadlines[stateKey[procedure]];
  return downstreamDeadline(new Date(birth.at));
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

/** The workflow's state-data object for a downstream procedure at the start of its branch. */
export const branchStart = (events: CaseEvent[], procedure: Procedure, requested: boolean, now: Date) => ({
  requested,
  round: 1,
  timeoutSeconds: secondsUntil(decisionDueAt(events, procedure, 1), now),
});
