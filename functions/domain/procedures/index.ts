/**
 * The procedures of the bundle, their agencies and the roles that decide them: the one place a procedure is defined
 * (domain.md §2.1, §3). Each procedure is one entry (`birth.ts`, `residence.ts`, `healthInsurance.ts`, `idCard.ts`,
 * see `types.ts`); the workflow (`npm run generate:workflow`), the steps, the API, the web app and CDK read them here.
 * Enumerations are defined once, as zod enums; narrow with `.extract` / `.exclude`.
 * Adding a procedure: docs/adding-a-procedure.md.
 */
import { z } from 'zod';
import { birth } from './birth.js';
import * as codes from './codes.js';
import { type Agency, type Decision, type DelayReason, Procedure, Role } from './codes.js';
import { healthInsurance } from './healthInsurance.js';
import { idCard } from './idCard.js';
import { residence } from './residence.js';
import type { ProcedureDefinition, Text } from './types.js';

export { Agency, agencyNames, Decision, DelayReason, Procedure, Role, roleNames, TaskKind } from './codes.js';

export type {
  DeadlineRule,
  IssueContext,
  ProcedureDefinition,
  RequestRule,
  ResultDocument,
  ResultField,
  ResultPorts,
  Text,
  UnitScope,
} from './types.js';

/** The bundle, in the order the workflow, the case and the pages list them. */
export const bundleProcedures = [birth, residence, healthInsurance, idCard] as const;

export const DownstreamProcedure = Procedure.exclude(['BIRTH']);

/** The roles that decide procedures (their Cognito groups are the role names). */
export const OfficerRole = Role.exclude(['auditor', 'applicant']);
export type OfficerRole = z.infer<typeof OfficerRole>;

export const decisionNames: Record<Decision, Text> = {
  APPROVED: { vi: 'Phê duyệt', en: 'Approved' },
  SUPPLEMENT_REQUESTED: { vi: 'Yêu cầu bổ sung', en: 'Supplement requested' },
  REFUSED: { vi: 'Từ chối', en: 'Refused' },
};

/** Requesting a supplement, refusing and correcting the dossier need a reason of at least this many characters. */
export const REASON_MIN_LENGTH = 5;

/** Why a deadline is extended (domain.md §6.1: verification is the usual reason). */
/** `label`: the choice in a list; `text`: the same in a sentence of the apology slip ("Do …", "Because …"). */
export const delayReasons: Record<DelayReason, { label: Text; text: Text }> = {
  VERIFICATION: {
    label: { vi: 'Cần xác minh thông tin trong hồ sơ', en: 'Information in the dossier must be verified' },
    text: { vi: 'cần xác minh thông tin trong hồ sơ', en: 'information in the dossier must be verified' },
  },
  MARRIAGE_VERIFICATION: {
    label: { vi: 'Cần xác minh tình trạng hôn nhân của cha mẹ', en: "The parents' marriage must be verified" },
    text: {
      vi: 'cần xác minh tình trạng hôn nhân của cha mẹ tại nơi đăng ký kết hôn',
      en: "the parents' marriage must be verified with the commune that registered it",
    },
  },
  POPULATION_DATABASE: {
    label: {
      vi: 'Cơ sở dữ liệu quốc gia về dân cư chưa trả số định danh',
      en: 'The National Population Database has not returned the personal ID number',
    },
    text: {
      vi: 'Cơ sở dữ liệu quốc gia về dân cư chưa trả số định danh cá nhân',
      en: 'the National Population Database has not yet returned the personal identification number',
    },
  },
  SYSTEM_OUTAGE: {
    label: { vi: 'Hệ thống thông tin bị gián đoạn', en: 'An information system was interrupted' },
    text: { vi: 'hệ thống thông tin bị gián đoạn', en: 'an information system was interrupted' },
  },
  OTHER: {
    label: { vi: 'Lý do khác (ghi rõ)', en: 'Another reason (say which)' },
    text: { vi: 'lý do khác', en: 'another reason' },
  },
};

/**
 * A set of procedures the system runs: the bundle in production; a test may run another (a fifth procedure, through
 * the real interpreter: test/workflow/fifthProcedure.test.ts). Codes, agencies and roles are strings here: the zod
 * enums of codes.ts are the bundle's.
 */
export interface Registry {
  procedures: readonly ProcedureDefinition[];
  agencyNames: Readonly<Record<string, Text>>;
  roleNames: Readonly<Record<string, Text>>;
}

export const bundleRegistry: Registry = {
  procedures: bundleProcedures,
  agencyNames: codes.agencyNames,
  roleNames: codes.roleNames,
};

let active: Registry = bundleRegistry;
/** The registry the steps and the API read: the bundle, unless a test installed another (startLocalStack `registry`). */
export const registry = (): Registry => active;
/** Test-only (through startLocalStack): run another set of procedures. Deployed code always runs the bundle. */
export const installRegistry = (r: Registry): void => {
  active = r;
};

const byCode = (r: Registry, code: string) => {
  const p = r.procedures.find((x) => x.code === code);
  if (!p) throw new Error(`Unknown procedure ${code}`);
  return p;
};
/** The entry of a procedure of the active registry. */
export const procedureOf = (code: string): ProcedureDefinition => byCode(active, code);
/** The procedure decided first (the birth); the others run in parallel after it. */
export const firstProcedure = (r: Registry = active): ProcedureDefinition =>
  r.procedures.find((p) => p.stage === 'first')!;
export const parallelProcedures = (r: Registry = active): ProcedureDefinition[] =>
  r.procedures.filter((p) => p.stage === 'parallel');
/** The active registry's codes, as a zod enum (what the API accepts). */
export const procedureCode = () => z.enum(active.procedures.map((p) => p.code) as [Procedure, ...Procedure[]]);
/** The active registry's agencies (the applicant's queue included), as a zod enum. */
export const agencyCode = () =>
  z.enum([...new Set([...active.procedures.map((p) => p.agency), 'APPLICANT'])] as [Agency, ...Agency[]]);
/** The agencies whose queues and decisions a role may touch: those of the procedures it decides. */
export const agenciesOf = (role: string): Agency[] =>
  role === 'applicant'
    ? ['APPLICANT']
    : ([...new Set(active.procedures.filter((p) => p.decidedBy === role).map((p) => p.agency))] as Agency[]);
/** The roles that decide a procedure of the active registry. */
export const officerRoles = (): Role[] => [...new Set(active.procedures.map((p) => p.decidedBy))] as Role[];

// The bundle's maps, for readers that want a plain record (the web app, the docs).
const bundleMap = <T>(f: (p: (typeof bundleProcedures)[number]) => T) =>
  Object.fromEntries(bundleProcedures.map((p) => [p.code, f(p)])) as Record<Procedure, T>;
/** Đăng ký khai sinh · Đăng ký thường trú · Cấp thẻ BHYT · Cấp căn cước. */
export const procedureNames: Record<Procedure, Text> = bundleMap((p) => p.name);
/** Who decides each procedure. */
export const agencyOf: Record<Procedure, Agency> = bundleMap((p) => p.agency);
/** Key of each procedure in the workflow's state data (`$.birth`, `$.residence`, ...). */
export const stateKeyOf: Record<Procedure, string> = bundleMap((p) => p.key);
/** The agencies whose queues and decisions each officer role may touch. */
export const agenciesOfRole: Record<Role, Agency[]> = Object.fromEntries(
  Role.options.map((r) => [
    r,
    r === 'applicant'
      ? ['APPLICANT']
      : [...new Set(bundleProcedures.filter((p) => p.decidedBy === r).map((p) => p.agency))],
  ]),
) as Record<Role, Agency[]>;
