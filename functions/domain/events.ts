/**
 * The case event log is the record (architecture.md "Data: event log first"). Each event is immutable and
 * hash-chained; `key` makes a step idempotent: an event with the same key is never written twice.
 */

import type { ApologySlip, Deadlines, DelayReason } from './deadlines.js';
import type { Dossier } from './dossier.js';
import type { Decision, Procedure, Role, TaskKind } from './procedures.js';
import type { Regime } from './regime.js';
import type { Note } from './rules.js';

export interface Actor {
  id: string;
  role: Role | 'system';
  unit?: string;
}

export const systemActor: Actor = { id: 'workflow', role: 'system' };

export type EventData =
  | { type: 'DOSSIER_FILED'; dossier: Dossier; dossierCode: string; receivedAt: string; executionName: string }
  | {
      type: 'DOSSIER_RECEIVED';
      regime: Regime;
      deadlines: Deadlines;
      idCardRequested: boolean;
      lateRegistration: boolean;
      notes: Note[];
    }
  | { type: 'TASK_OPENED'; procedure: Procedure; kind: TaskKind; round: number; dueAt: string; queue: string }
  | {
      type: 'DECISION_RECORDED';
      procedure: Procedure;
      round: number;
      decision: Decision;
      reason?: string;
      data?: Record<string, unknown>;
      dueAt?: string;
      /** SUPPLEMENT_REQUESTED: the dossier parts the family may change (else the procedure's whole scope). */
      fields?: string[];
    }
  | {
      type: 'SUPPLEMENT_SUBMITTED';
      procedure: Procedure;
      round: number;
      note: string;
      changes?: Record<string, unknown>;
      dueAt: string;
    }
  | {
      /** The civil-status officer's correction of the dossier before the birth is registered (identity keys included). */
      type: 'DOSSIER_CORRECTED';
      changes: Record<string, unknown>;
      reason: string;
    }
  | { type: 'ESCALATED'; procedure: Procedure; round: number; day: string; dueAt: string }
  | { type: 'PROCEDURE_COMPLETED'; procedure: Procedure; result: Record<string, unknown> }
  | {
      type: 'PROCEDURE_REFUSED';
      procedure: Procedure;
      round: number;
      reason: 'REFUSED' | 'SUPPLEMENT_MISSED';
      note?: string;
    }
  | {
      type: 'DEADLINE_EXTENDED';
      procedure: Procedure;
      round: number;
      oldDueAt: string;
      newDueAt: string;
      reason: DelayReason;
      note?: string;
      /** The apology and new appointment slip sent to the applicant (Phiếu xin lỗi và hẹn lại). */
      slip: ApologySlip;
    }
  | { type: 'CASE_CLOSED'; status: CaseStatus }
  /** The family's tracking secret replaced (lost); the old one stops working. The secret itself is never recorded. */
  | { type: 'TRACKING_SECRET_REISSUED'; reason: string }
  | { type: 'NOTIFICATION_SENT'; channel: string; template: string; procedure?: Procedure }
  /** A message handed to SMS / e-mail / the supervisors' topic (locally the outbox); the destination is masked. */
  | {
      type: 'NOTIFICATION_DELIVERED';
      channel: string;
      template: string;
      destination: string;
      providerMessageId: string;
      procedure?: Procedure;
    }
  /** A message the channel refused or could not take; the legal step that asked for it went on. */
  | {
      type: 'NOTIFICATION_FAILED';
      channel: string;
      template: string;
      destination: string;
      error: string;
      procedure?: Procedure;
    }
  | { type: 'CASE_VIEWED'; purpose: string }
  | {
      type: 'HISTORY_ARCHIVED';
      executionName: string;
      status: string;
      events: number;
      historyHash: string;
      workflow: WorkflowRef;
    };

/** The workflow definition an execution ran on: its content hash (`PK=WORKFLOW#<hash>` keeps it forever) and version. */
export interface WorkflowRef {
  stateMachineArn: string;
  definitionHash: string;
  /** The version ARN, else the revision id, else `unversioned`. */
  version: string;
}

export type EventType = EventData['type'];

/** Every event type, at run time (what must name each one, e.g. the web app's labels). The compiler keeps it complete. */
export const eventTypes = Object.keys({
  DOSSIER_FILED: true,
  DOSSIER_RECEIVED: true,
  TASK_OPENED: true,
  DECISION_RECORDED: true,
  SUPPLEMENT_SUBMITTED: true,
  DOSSIER_CORRECTED: true,
  ESCALATED: true,
  PROCEDURE_COMPLETED: true,
  PROCEDURE_REFUSED: true,
  DEADLINE_EXTENDED: true,
  CASE_CLOSED: true,
  TRACKING_SECRET_REISSUED: true,
  NOTIFICATION_SENT: true,
  NOTIFICATION_DELIVERED: true,
  NOTIFICATION_FAILED: true,
  CASE_VIEWED: true,
  HISTORY_ARCHIVED: true,
} satisfies Record<EventType, true>) as EventType[];

export type CaseStatus = 'RECEIVED' | 'IN_PROGRESS' | 'COMPLETED' | 'PARTIALLY_COMPLETED' | 'REFUSED';

export interface CaseEvent<D extends EventData = EventData> {
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
  /** Idempotency key: the same effect, retried, finds this event instead of writing a second. */
  key: string;
  data: D;
  prevHash: string;
  hash: string;
}

export type NewEvent = Pick<CaseEvent, 'actor' | 'key' | 'data'>;
