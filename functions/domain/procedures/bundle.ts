/**
 * The bundle's procedures and the plain records made from them (names, agencies, keys, who decides what), with the
 * names of names.ts: no zod, so the web app's first load can read them (web/src/i18n.ts); `index.ts` re-exports them.
 */
import { birth } from './birth.js';
import type { Agency, Procedure, Role } from './codes.js';
import { healthInsurance } from './healthInsurance.js';
import { idCard } from './idCard.js';
import { roleNames } from './names.js';
import { residence } from './residence.js';
import type { Text } from './types.js';

export { agencyNames, decisionNames, delayReasons, REASON_MIN_LENGTH, roleNames } from './names.js';

/** The bundle, in the order the workflow, the case and the pages list them. */
export const bundleProcedures = [birth, residence, healthInsurance, idCard] as const;
/** Who files a dossier (the decider of the first procedure): `filingRole()` in index.ts, for the web app's bundle. */
export const bundleFilingRole = bundleProcedures.find((p) => p.stage === 'first')!.decidedBy;

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
  (Object.keys(roleNames) as Role[]).map((r) => [
    r,
    r === 'applicant'
      ? ['APPLICANT']
      : [...new Set(bundleProcedures.filter((p) => p.decidedBy === r).map((p) => p.agency))],
  ]),
) as Record<Role, Agency[]>;
