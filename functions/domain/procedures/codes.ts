/**
 * The enumerations of the registry, defined once (zod enums; narrow with `.extract` / `.exclude`), with the names of
 * agencies and roles. A new procedure adds its code here (and its agency and role if they are new) and its entry to
 * the list in index.ts; the entries are checked against these (`satisfies`).
 */
import { z } from 'zod';
import type { Text } from './types.js';

export const Procedure = z.enum(['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD']);
export type Procedure = z.infer<typeof Procedure>;

/** The agencies that decide, and the applicant (who answers supplement requests). */
export const Agency = z.enum(['CIVIL_STATUS', 'POLICE', 'SOCIAL_SECURITY', 'IDENTITY', 'APPLICANT']);
export type Agency = z.infer<typeof Agency>;
/** IDENTITY is the police's ID-card desk, with its own queue (Decree 301/2026). */
export const agencyNames: Record<Agency, Text> = {
  CIVIL_STATUS: { vi: 'Tư pháp – hộ tịch', en: 'Civil status' },
  POLICE: { vi: 'Công an (cư trú)', en: 'Police (residence)' },
  SOCIAL_SECURITY: { vi: 'Bảo hiểm xã hội', en: 'Social security' },
  IDENTITY: { vi: 'Công an (căn cước)', en: 'Police (ID cards)' },
  APPLICANT: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
};

export const Role = z.enum(['civil-status-officer', 'police-officer', 'insurance-officer', 'auditor', 'applicant']);
export type Role = z.infer<typeof Role>;
export const roleNames: Record<Role, Text> = {
  'civil-status-officer': { vi: 'Cán bộ tư pháp – hộ tịch', en: 'Civil-status officer' },
  'police-officer': { vi: 'Công an xã', en: 'Commune police officer' },
  'insurance-officer': { vi: 'Cán bộ BHXH', en: 'Social-security officer' },
  auditor: { vi: 'Thanh tra', en: 'Auditor' },
  applicant: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
};

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
