/**
 * What one procedure of the bundle is, as data: everything the workflow generator, the steps, the API, the web app
 * and the docs need to know about it. One entry per procedure (`birth.ts`, `residence.ts`, ...), listed once in
 * `index.ts`. Nothing here imports an adapter: the web app bundles these files too.
 */
import type { Dossier } from '../dossier.js';
import type { CaseEvent } from '../events.js';
import type { SexCode } from '../personalId.js';
import type { Regime } from '../regime.js';

export interface Text {
  vi: string;
  en: string;
}

/**
 * The administrative unit whose officers decide the procedure: the registering commune (civil status), the commune of
 * the requested residence (commune police, ID-card desk), or its province (provincial social security, BHXH tỉnh).
 */
export type UnitScope = 'REGISTRATION_COMMUNE' | 'RESIDENCE_COMMUNE' | 'RESIDENCE_PROVINCE';

/**
 * When the procedure is part of a case:
 * - `always`: every dossier (the birth, the child's health-insurance card);
 * - `dossier`: when the dossier's part `flag` says `requested: true` (fixed at filing: permanent residence);
 * - `regime`: when the regime of the case offers it AND the dossier asks for it; decided at receipt (when the regime is
 *   fixed) and recorded on DOSSIER_RECEIVED as `recordedAs` (the ID card, Decree 301/2026).
 */
export type RequestRule =
  | { kind: 'always' }
  | { kind: 'dossier'; flag: 'residence' | 'idCard' }
  | { kind: 'regime'; flag: 'residence' | 'idCard'; recordedAs: 'idCardRequested' };

/**
 * How long the deciding agency has, in working days counted like a receipt (after the 15:00 cut-off, the next
 * working day; 0 = the same working day): `workingDays` normally, `withVerificationWorkingDays` when the dossier needs
 * verification (the bundle's 5-working-day allowance, domain.md §4.1). After a supplement, `workingDays` again from
 * the supplement.
 */
export interface DeadlineRule {
  workingDays: number;
  withVerificationWorkingDays: number;
  /** The legal source, for the docs. */
  basis: string;
}

/** One line of the result as officers and parents see it (web app, tracking page). */
export interface ResultField {
  key: string;
  label: Text;
  /** `date`: a `YYYY-MM-DD` day; `dateRange`: `key` to `untilKey`. */
  format: 'text' | 'date' | 'dateRange';
  untilKey?: string;
  /** Shown when the value is missing (default "—"). */
  missing?: Text;
}

/** The printed document of the result (made in the browser, web/src/pdf.ts), if the procedure has one. */
export interface ResultDocument {
  /** Which layout of web/src/pdf.ts prints it. */
  layout: 'birth' | 'residence' | 'insurance';
  title: Text;
  /** File name without the dossier code and extension, e.g. `trich-luc-khai-sinh`. */
  fileName: string;
}

/**
 * What the completion step may use to make a result: the case store's counters and uniqueness claims, the
 * population registry, randomness. Given by `functions/steps/completeProcedure.ts`, so the entries stay pure.
 */
export interface ResultPorts {
  nextCounter(key: string): Promise<number>;
  /** Claims `value` of `kind` for `holder`; answers the current holder when another one holds it, else undefined. */
  claimUnique(kind: string, value: string, holder: string): Promise<string | undefined>;
  holderOf(kind: string, value: string): Promise<string | undefined>;
  assignPersonalId(args: { caseId: string; provinceCode3: string; dateOfBirth: string; sex: SexCode }): Promise<string>;
  randomDigits(n: number): string;
}

export interface IssueContext {
  caseId: string;
  dossier: Dossier;
  events: CaseEvent[];
  now: Date;
  ports: ResultPorts;
}

export interface ProcedureDefinition<P extends string = string, A extends string = string, R extends string = string> {
  code: P;
  /** Key of the procedure in the workflow's state data (`$.birth`) and in the deadlines; also the state-name stem. */
  key: string;
  name: Text;
  /** The agency whose queue gets the decision task, and the officer role that decides it. */
  agency: A;
  decidedBy: R;
  unit: UnitScope;
  /**
   * `first`: decided before every other procedure (the birth: nothing downstream starts until it is registered, and
   * its refusal refuses the case); `parallel`: one branch of the Parallel state after the first one.
   */
  stage: 'first' | 'parallel';
  /** The regime from which the procedure is part of the bundle (the ID card: Decree 301/2026). */
  offeredFrom: Regime;
  request: RequestRule;
  deadline: DeadlineRule;
  /** The dossier part the procedure needs (its own data), if any. */
  dossierPart?: keyof Dossier;
  /** Dossier paths (a path covers everything under it) a supplement of this procedure may change. */
  supplementScope: readonly string[];
  result: {
    fields: readonly ResultField[];
    document?: ResultDocument;
    /** Makes the result, once (the step records it and returns it on a retry). */
    issue(ctx: IssueContext): Promise<Record<string, unknown>>;
  };
}
