/**
 * The case state is a projection of the event log: it can always be rebuilt from the events.
 */
import type { Deadlines } from './deadlines.js';
import type { CaseEvent, CaseStatus } from './events.js';
import { type Agency, type Procedure, procedureOf, registry } from './procedures/index.js';
import type { Regime } from './regime.js';
import { unitIn } from './tasks.js';

export type ProcedureStatus =
  | 'NOT_STARTED'
  | 'IN_REVIEW'
  | 'SUPPLEMENT_REQUESTED'
  | 'COMPLETED'
  | 'REFUSED'
  | 'NOT_REQUESTED';

export interface ProcedureState {
  procedure: Procedure;
  name: { vi: string; en: string };
  status: ProcedureStatus;
  round: number;
  dueAt?: string;
  overdue: boolean;
  escalations: number;
  /** Deadlines extended with an apology slip. */
  extensions?: number;
  /** The round whose deadline was last extended (one extension a round: the officer's page hides the action). */
  extendedRound?: number;
  supplementDueAt?: string;
  lastReason?: string;
  refusal?: { reason: 'REFUSED' | 'SUPPLEMENT_MISSED'; note?: string };
  result?: Record<string, unknown>;
  decidedAt?: string;
}

export interface CaseState {
  caseId: string;
  dossierCode: string;
  status: CaseStatus;
  registrationCommuneCode: string;
  residenceCommuneCode: string;
  /** The unit of each agency that handles the case (who may see and decide it). */
  units: Record<Agency, string>;
  regime?: Regime;
  receivedAt: string;
  deadlines?: Deadlines;
  lateRegistration?: boolean;
  procedures: Record<Procedure, ProcedureState>;
  closedAt?: string;
  version: number;
}

const fresh = (procedure: string): ProcedureState => ({
  procedure: procedure as Procedure,
  name: procedureOf(procedure).name,
  status: 'NOT_STARTED',
  round: 0,
  overdue: false,
  escalations: 0,
});

export const projectCase = (events: CaseEvent[]): CaseState => {
  const filed = events[0];
  if (!filed || filed.data.type !== 'DOSSIER_FILED') throw new Error('A case starts with DOSSIER_FILED');
  const d = filed.data;
  const procedures = registry().procedures;
  const s: CaseState = {
    caseId: filed.caseId,
    dossierCode: d.dossierCode,
    status: 'RECEIVED',
    registrationCommuneCode: d.dossier.registrationCommuneCode,
    residenceCommuneCode: d.dossier.residence.address.communeCode,
    // Each procedure's agency and its unit for this dossier (the registry entry's unit scope); supplements are the
    // applicant's, followed by the registering commune.
    units: {
      ...Object.fromEntries(procedures.map((p) => [p.agency, unitIn(p.unit, d.dossier)])),
      APPLICANT: d.dossier.registrationCommuneCode,
    } as Record<Agency, string>,
    receivedAt: d.receivedAt,
    // A procedure the dossier did not ask for is NOT_REQUESTED from filing; one the regime must also offer, until
    // receipt says it is requested.
    procedures: Object.fromEntries(
      procedures.map((p) => {
        const r = p.request;
        const requested = r.kind === 'always' || (r.kind === 'dossier' && d.dossier[r.flag].requested === true);
        return [p.code, requested ? fresh(p.code) : { ...fresh(p.code), status: 'NOT_REQUESTED' }];
      }),
    ) as Record<Procedure, ProcedureState>,
    version: filed.seq,
  };
  for (const e of events.slice(1)) {
    s.version = e.seq;
    const x = e.data;
    switch (x.type) {
      case 'DOSSIER_RECEIVED':
        s.regime = x.regime;
        s.deadlines = x.deadlines;
        s.lateRegistration = x.lateRegistration;
        s.status = 'IN_PROGRESS';
        for (const p of procedures) {
          if (p.request.kind === 'regime' && x[p.request.recordedAs]) s.procedures[p.code as Procedure] = fresh(p.code);
        }
        break;
      case 'TASK_OPENED': {
        const p = s.procedures[x.procedure];
        p.round = x.round;
        if (x.kind === 'DECISION') {
          p.status = 'IN_REVIEW';
          p.dueAt = x.dueAt;
          p.overdue = false;
        } else {
          p.status = 'SUPPLEMENT_REQUESTED';
          p.supplementDueAt = x.dueAt;
        }
        break;
      }
      case 'DECISION_RECORDED': {
        const p = s.procedures[x.procedure];
        p.decidedAt = e.at;
        if (x.reason) p.lastReason = x.reason;
        if (x.decision === 'SUPPLEMENT_REQUESTED') {
          p.status = 'SUPPLEMENT_REQUESTED';
          if (x.dueAt) p.supplementDueAt = x.dueAt;
        }
        break;
      }
      case 'SUPPLEMENT_SUBMITTED': {
        const p = s.procedures[x.procedure];
        p.status = 'IN_REVIEW';
        p.dueAt = x.dueAt;
        p.overdue = false;
        delete p.supplementDueAt;
        break;
      }
      case 'DEADLINE_EXTENDED': {
        const p = s.procedures[x.procedure];
        p.dueAt = x.newDueAt;
        p.overdue = false;
        p.extensions = (p.extensions ?? 0) + 1;
        p.extendedRound = x.round;
        break;
      }
      case 'ESCALATED': {
        const p = s.procedures[x.procedure];
        p.overdue = true;
        p.escalations += 1;
        break;
      }
      case 'PROCEDURE_COMPLETED': {
        const p = s.procedures[x.procedure];
        p.status = 'COMPLETED';
        p.result = x.result;
        p.overdue = false;
        break;
      }
      case 'PROCEDURE_REFUSED': {
        const p = s.procedures[x.procedure];
        p.status = 'REFUSED';
        p.refusal = { reason: x.reason, ...(x.note ? { note: x.note } : {}) };
        p.overdue = false;
        break;
      }
      case 'CASE_CLOSED':
        s.status = x.status;
        s.closedAt = e.at;
        break;
      default:
        break;
    }
  }
  return s;
};

/**
 * COMPLETED when every requested procedure completed; REFUSED when the first one (the birth) was refused; else
 * PARTIALLY_COMPLETED.
 */
export const closingStatus = (s: CaseState): CaseStatus => {
  const first = registry().procedures.find((p) => p.stage === 'first')!;
  if (s.procedures[first.code as Procedure].status === 'REFUSED') return 'REFUSED';
  const requested = Object.values(s.procedures).filter((p) => p.status !== 'NOT_REQUESTED');
  return requested.every((p) => p.status === 'COMPLETED') ? 'COMPLETED' : 'PARTIALLY_COMPLETED';
};
