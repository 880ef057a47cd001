/**
 * The procedures of the bundle, their agencies and the roles that decide them: the one place a procedure is defined
 * (domain.md §2.1, §3). Each procedure is one entry (`birth.ts`, `residence.ts`, `healthInsurance.ts`, `idCard.ts`,
 * see `types.ts`); the workflow (`npm run generate:workflow`), the steps, the API, the web app and CDK read them here.
 * Enumerations are defined once, as zod enums; narrow with `.extract` / `.exclude`.
 * Adding a procedure: docs/adding-a-procedure.md.
 */
import { z } from 'zod';
import { bundleProcedures } from './bundle.js';
import { type Agency, agencyNames, Procedure, Role, roleNames } from './codes.js';
import type { ProcedureDefinition, Text } from './types.js';

// The bundle and the names, as plain data without zod (the web app's first load reads bundle.ts and names.ts).
export {
  agenciesOfRole,
  agencyOf,
  bundleProcedures,
  decisionNames,
  delayReasons,
  procedureNames,
  REASON_MIN_LENGTH,
  stateKeyOf,
} from './bundle.js';
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

export const DownstreamProcedure = Procedure.exclude(['BIRTH']);

/** The roles that decide procedures (their Cognito groups are the role names). */
export const OfficerRole = Role.exclude(['auditor', 'applicant']);
export type OfficerRole = z.infer<typeof OfficerRole>;

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
  agencyNames,
  roleNames,
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
/**
 * Who receives a dossier, files it and answers for it before the first decision (corrections, supplements on the
 * family's behalf, a new tracking secret): the officer who decides the first procedure (the commune's civil-status
 * desk, which registers the birth).
 */
export const filingRole = (): Role => firstProcedure().decidedBy as Role;
/** The roles that decide a procedure of the active registry. */
export const officerRoles = (): Role[] => [...new Set(active.procedures.map((p) => p.decidedBy))] as Role[];
