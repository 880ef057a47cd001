/**
 * The enumerations of the registry, defined once (zod enums; narrow with `.extract` / `.exclude`), with the names of
 * agencies and roles (kept in names.ts, without zod, for the web app's first load; re-exported here). A new procedure adds its code here (and its agency and role if they are new) and its entry to
 * the list in index.ts; the entries are checked against these (`satisfies`).
 */
import { z } from 'zod';

export { agencyNames, roleNames } from './names.js';

export const Procedure = z.enum(['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD']);
export type Procedure = z.infer<typeof Procedure>;

/** The agencies that decide, and the applicant (who answers supplement requests). */
export const Agency = z.enum(['CIVIL_STATUS', 'POLICE', 'SOCIAL_SECURITY', 'IDENTITY', 'APPLICANT']);
export type Agency = z.infer<typeof Agency>;

export const Role = z.enum(['civil-status-officer', 'police-officer', 'insurance-officer', 'auditor', 'applicant']);
export type Role = z.infer<typeof Role>;

/** A decision task is answered by an officer; a supplement task by the applicant (or an officer on their behalf). */
export const TaskKind = z.enum(['DECISION', 'SUPPLEMENT']);
export type TaskKind = z.infer<typeof TaskKind>;

export const Decision = z.enum(['APPROVED', 'SUPPLEMENT_REQUESTED', 'REFUSED']);
export type Decision = z.infer<typeof Decision>;

/** Why a deadline is extended (domain.md §6.1: verification is the usual reason). */
export const DelayReason = z.enum([
  'VERIFICATION',
  'MARRIAGE_VERIFICATION',
  'POPULATION_DATABASE',
  'SYSTEM_OUTAGE',
  'OTHER',
]);
export type DelayReason = z.infer<typeof DelayReason>;
