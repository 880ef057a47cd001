/**
 * A supplement is a new version of the dossier (architecture.md "Security"): it passes every filing rule again, and it
 * may change only what was asked for. What each procedure's supplement may change is fixed here; the officer who
 * requests it may narrow it further (`fields` of the SUPPLEMENT_REQUESTED decision). Some parts never change through
 * a supplement: the units that handle the case (a different commune is a new filing) and the identity keys that make a
 * birth unique (the birth-certificate number, the mother's personal ID, the child's date and order of birth, and any
 * other uniqueness key, e.g. the father's ID when the mother is unknown): those
 * change only through an officer's correction (POST /cases/{id}/corrections), itself recorded and checked.
 */
import type { Dossier } from './dossier.js';
import { type Issue, issue } from './errors.js';
import { type Procedure, procedureOf } from './procedures/index.js';
import { duplicateKeyString, duplicateKeys } from './rules.js';

/**
 * The dossier parts (dot paths; a path covers everything under it) a supplement of each procedure may change: each
 * entry's `supplementScope` (procedures/*.ts). Data of the registered birth (child, parents) cannot change in a
 * downstream procedure's supplement: the birth is already in the register by then.
 */
export const supplementScope = (procedure: Procedure): readonly string[] => procedureOf(procedure).supplementScope;

/**
 * The units that handle the case, fixed at filing (they decide who sees and decides it, `CaseState.units`): the
 * registration commune, and the residence address's commune and province (police, ID-card desk, social security).
 * Never changed by a supplement nor by a correction: another commune is a new filing.
 */
export const UNIT_PATHS = [
  'registrationCommuneCode',
  'residence.address.communeCode',
  'residence.address.provinceCode',
] as const;
/** The identity keys: never changed by a supplement, only by an officer's correction. */
export const IDENTITY_PATHS = [
  'birthCertificate.number',
  'mother.personalId',
  'child.dateOfBirth',
  'child.birthOrder',
] as const;

const isUnder = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);
const touches = (path: string, fixed: readonly string[]) => fixed.some((p) => isUnder(path, p) || isUnder(p, path));
const isFixed = (path: string) => touches(path, UNIT_PATHS) || touches(path, IDENTITY_PATHS);

const valueAt = (v: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((at, k) => {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, k)) return undefined;
    return (at as Record<string, unknown>)[k];
  }, v);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The leaf paths of a partial dossier (`changes`) whose value differs from the dossier's. Arrays are leaves. */
export const changedPaths = (before: unknown, changes: unknown, at = ''): string[] => {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
    return same(valueAt(before, at), changes) ? [] : [at];
  }
  return Object.entries(changes as Record<string, unknown>).flatMap(([k, v]) =>
    changedPaths(before, v, at ? `${at}.${k}` : k),
  );
};

/**
 * A dossier path a supplement of this procedure may be asked to change (the officer's `fields`). A part that holds an
 * identity key (e.g. `mother`) may be named: the key inside it still cannot change.
 */
export const isSupplementable = (procedure: Procedure, path: string) =>
  /^[A-Za-z]+(\.[A-Za-z]+)*$/.test(path) &&
  ![...UNIT_PATHS, ...IDENTITY_PATHS].some((p) => isUnder(path, p)) &&
  supplementScope(procedure).some((p) => isUnder(path, p));

/**
 * Changes outside what was asked for: `asked` is the officer's list (`fields`) when given, else the procedure's
 * scope. The fixed parts are left to `unitIssues` and `identityIssues` (checked after uniqueness, so that taking another case's keys
 * is told as the duplicate it is).
 */
export const outOfScopeIssues = (
  procedure: Procedure,
  before: Dossier,
  changes: Record<string, unknown>,
  asked?: readonly string[],
): Issue[] => {
  const allowed = asked?.length ? asked : supplementScope(procedure);
  return changedPaths(before, changes)
    .filter((path) => !isFixed(path) && !allowed.some((p) => isUnder(path, p)))
    .map((path) =>
      issue(
        `changes.${path}`,
        'supplement.fieldNotRequested',
        `Lượt bổ sung này chỉ được sửa: ${allowed.join(', ')}.`,
        `This supplement may change only: ${allowed.join(', ')}.`,
      ),
    );
};

/** The units that handle the case, compared between the dossier before and after (both parsed). */
export const unitIssues = (before: Dossier, after: Dossier, prefix = 'changes.'): Issue[] =>
  UNIT_PATHS.filter((p) => !same(valueAt(before, p), valueAt(after, p))).map((p) =>
    issue(
      `${prefix}${p}`,
      'dossier.unitFixed',
      'Xã đăng ký khai sinh và xã, tỉnh nơi đăng ký thường trú không đổi sau khi tiếp nhận (qua bổ sung hay đính chính); đăng ký ở nơi khác là một hồ sơ mới.',
      'The registration commune and the residence’s commune and province do not change once filed (by a supplement or a correction); another place means a new filing.',
    ),
  );

/**
 * The identity keys, compared between the dossier before and after (both parsed, so a value written differently but
 * meaning the same is no change). Any change of a uniqueness key (e.g. a change of birth case that swaps the
 * mother's key for the father's) counts too.
 */
export const identityIssues = (before: Dossier, after: Dossier, prefix = 'changes.'): Issue[] => {
  const changed = IDENTITY_PATHS.filter((p) => !same(valueAt(before, p), valueAt(after, p)));
  const keys = (d: Dossier) => duplicateKeys(d).map(duplicateKeyString).sort();
  const fields = changed.length === 0 && !same(keys(before), keys(after)) ? [''] : changed;
  return fields.map((path) =>
    issue(
      path ? `${prefix}${path}` : prefix.replace(/\.$/, ''),
      'supplement.identityKey',
      'Số giấy chứng sinh, số định danh của mẹ (hoặc của cha khi chưa xác định mẹ), ngày sinh và thứ tự sinh của trẻ không sửa qua bổ sung; cán bộ hộ tịch đính chính (có ghi lý do).',
      'The birth-certificate number, the mother’s personal ID (the father’s when the mother is unknown) and the child’s date and order of birth do not change through a supplement; the civil-status officer corrects them, with a reason.',
    ),
  );
};
