/**
 * The procedures of the bundle and the agencies that decide them (domain.md §2.1, §3).
 * Defined once; narrow with `.extract` / `.exclude` on the zod enums.
 */
import { z } from 'zod';

export const Procedure = z.enum(['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD']);
export type Procedure = z.infer<typeof Procedure>;
export const DownstreamProcedure = Procedure.exclude(['BIRTH']);

/** Đăng ký khai sinh · Đăng ký thường trú · Cấp thẻ BHYT · Cấp căn cước. */
export const procedureNames: Record<Procedure, { vi: string; en: string }> = {
  BIRTH: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
  RESIDENCE: { vi: 'Đăng ký thường trú', en: 'Permanent residence registration' },
  HEALTH_INSURANCE: { vi: 'Cấp thẻ BHYT cho trẻ dưới 6 tuổi', en: 'Health-insurance card (child under 6)' },
  ID_CARD: { vi: 'Cấp thẻ căn cước cho trẻ dưới 6 tuổi', en: 'ID card (child under 6)' },
};

export const Agency = z.enum(['CIVIL_STATUS', 'POLICE', 'SOCIAL_SECURITY', 'IDENTITY', 'APPLICANT']);
export type Agency = z.infer<typeof Agency>;

/** Who decides each procedure. IDENTITY is the police's ID-card desk, with its own queue (Decree 301/2026). */
export const agencyOf: Record<Procedure, Agency> = {
  BIRTH: 'CIVIL_STATUS',
  RESIDENCE: 'POLICE',
  HEALTH_INSURANCE: 'SOCIAL_SECURITY',
  ID_CARD: 'IDENTITY',
};

/** Key of each procedure in the workflow's state data (`$.birth`, `$.residence`, ...). */
export const stateKeyOf: Record<Procedure, string> = {
  BIRTH: 'birth',
  RESIDENCE: 'residence',
  HEALTH_INSURANCE: 'healthInsurance',
  ID_CARD: 'idCard',
};

export const Role = z.enum(['civil-status-officer', 'police-officer', 'insurance-officer', 'auditor', 'applicant']);
export type Role = z.infer<typeof Role>;

/** The agencies whose queues and decisions each officer role may touch. */
export const agenciesOfRole: Record<Role, Agency[]> = {
  'civil-status-officer': ['CIVIL_STATUS'],
  'police-officer': ['POLICE', 'IDENTITY'],
  'insurance-officer': ['SOCIAL_SECURITY'],
  auditor: [],
  applicant: ['APPLICANT'],
};

/** A decision task is answered by an officer; a supplement task by the applicant (or an officer on their behalf). */
export const TaskKind = z.enum(['DECISION', 'SUPPLEMENT']);
export type TaskKind = z.infer<typeof TaskKind>;

export const Decision = z.enum(['APPROVED', 'SUPPLEMENT_REQUESTED', 'REFUSED']);
export type Decision = z.infer<typeof Decision>;
