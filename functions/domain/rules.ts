/**
 * Rules a dossier must pass at filing. Each rule is a named function returning the issues it finds, with the field,
 * the rule name and a message in Vietnamese and English; `checkDossier` runs them all.
 */
import { vnDate } from './calendar.js';
import type { Dossier } from './dossier.js';
import { type Issue, issue } from './errors.js';
import { personalIdProblem } from './personalId.js';

export interface RuleContext {
  /** When the dossier is received (the injectable clock's now). */
  receivedAt: Date;
}

export type Rule = (dossier: Dossier, ctx: RuleContext) => Issue[];

const monthsBetween = (from: string, to: string) => {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
};

/** Decree 63/2024: the bundle is for children under 6 (72 months). */
export const childUnderSix: Rule = (d, { receivedAt }) =>
  monthsBetween(d.child.dateOfBirth, vnDate(receivedAt)) >= 72
    ? [issue('child.dateOfBirth', 'child.underSix', 'Thủ tục liên thông chỉ dành cho trẻ dưới 6 tuổi.', 'The interconnected procedure is only for children under 6.')]
    : [];

export const birthNotInFuture: Rule = (d, { receivedAt }) =>
  d.child.dateOfBirth > vnDate(receivedAt)
    ? [issue('child.dateOfBirth', 'child.birthNotInFuture', 'Ngày sinh không được sau ngày nộp hồ sơ.', 'The date of birth cannot be after the filing date.')]
    : [];

/** Circular 22/2025: a birth certificate may say "undetermined", but birth registration accepts only male or female. */
export const sexDetermined: Rule = (d) =>
  d.birthCertificate?.sex === 'UNDETERMINED'
    ? [issue('birthCertificate.sex', 'birthCertificate.sexDetermined', 'Giới tính "chưa xác định" trên giấy chứng sinh không thể đăng ký khai sinh.', 'A birth certificate with sex "undetermined" cannot be registered.')]
    : [];

/** Decree 123/2015: which parents' details the birth case requires or forbids. */
export const parentsMatchBirthCase: Rule = (d) => {
  const out: Issue[] = [];
  const needMother = d.birthCase === 'BOTH_PARENTS' || d.birthCase === 'FATHER_UNKNOWN';
  const needFather = d.birthCase === 'BOTH_PARENTS' || d.birthCase === 'MOTHER_UNKNOWN';
  if (needMother && !d.mother) out.push(issue('mother', 'parents.matchBirthCase', 'Cần thông tin của mẹ.', "The mother's details are required."));
  if (needFather && !d.father) out.push(issue('father', 'parents.matchBirthCase', 'Cần thông tin của cha.', "The father's details are required."));
  if (!needMother && d.mother) out.push(issue('mother', 'parents.matchBirthCase', 'Trường hợp này không ghi thông tin mẹ.', "This birth case has no mother's details."));
  if (!needFather && d.father) out.push(issue('father', 'parents.matchBirthCase', 'Trường hợp này không ghi thông tin cha.', "This birth case has no father's details."));
  return out;
};

/** Decree 137/2015 Art. 13: the personal ID of each parent matches their date of birth. */
export const parentPersonalIds: Rule = (d) =>
  (['mother', 'father'] as const).flatMap((role) => {
    const p = d[role];
    const problem = p && personalIdProblem(p.personalId, p.dateOfBirth, role === 'mother' ? 'FEMALE' : 'MALE');
    return problem ? [issue(`${role}.personalId`, problem.rule, problem.vi, problem.en)] : [];
  });

/** Law 60/2014 Art. 13: the commune of either parent's residence registers the birth. */
export const competentCommune: Rule = (d) => {
  const parents = [d.mother, d.father].filter((p) => p !== undefined);
  if (parents.length === 0) return [];
  return parents.some((p) => p.residence.communeCode === d.registrationCommuneCode)
    ? []
    : [issue('registrationCommuneCode', 'commune.competent', 'Xã đăng ký khai sinh phải là nơi cư trú của cha hoặc mẹ.', "The registering commune must be the residence of the father or the mother.")];
};

export const rules: Record<string, Rule> = {
  childUnderSix,
  birthNotInFuture,
  sexDetermined,
  parentsMatchBirthCase,
  parentPersonalIds,
  competentCommune,
};

export const checkDossier = (dossier: Dossier, ctx: RuleContext): Issue[] => Object.values(rules).flatMap((r) => r(dossier, ctx));
