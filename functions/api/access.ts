/**
 * Who may see and act on a case (architecture.md "Security"): officers within their agency's unit for the case,
 * auditors everything (read-only), applicants their one case by dossier code + secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CaseStore } from '#adapters/caseStore.js';
import type { CaseState } from '#domain/caseState.js';
import { ForbiddenError, NotFoundError } from '#domain/errors.js';
import { type Agency, agenciesOf, type Procedure, procedureOf } from '#domain/procedures/index.js';
import type { Principal } from './http.js';

export const officerAgencies = (p: Principal): Agency[] =>
  p.roles.flatMap((r) => agenciesOf(r)).filter((a) => a !== 'APPLICANT');

export const canSeeCase = (p: Principal, s: CaseState): boolean =>
  p.roles.includes('auditor') || officerAgencies(p).some((a) => s.units[a] === p.unit);

export const caseNotFound = () =>
  new NotFoundError('case.notFound', { vi: 'Không tìm thấy hồ sơ.', en: 'Case not found.' });

/** Loads a case the principal may see; a case outside their scope is reported as not found (no existence leak). */
export const loadVisibleCase = async (store: CaseStore, p: Principal, caseId: string): Promise<CaseState> => {
  const s = await store.getState(caseId);
  if (!s || !canSeeCase(p, s)) throw caseNotFound();
  return s;
};

export const requireDecider = (p: Principal, s: CaseState, procedure: Procedure) => {
  const agency = procedureOf(procedure).agency as Agency;
  if (!officerAgencies(p).includes(agency) || s.units[agency] !== p.unit) {
    throw new ForbiddenError('auth.scope', {
      vi: 'Thủ tục này không thuộc thẩm quyền của cơ quan/đơn vị của bạn.',
      en: 'This procedure is not decided by your agency and unit.',
    });
  }
};

export const secretHash = (code: string, secret: string) =>
  createHash('sha256').update(`${code}:${secret.trim().toUpperCase()}`).digest('hex');

/** The applicant's access: dossier code + secret. Wrong code or wrong secret answer the same, to give nothing away. */
export const loadTrackedCase = async (
  store: CaseStore,
  code: string,
  secret: string | undefined,
): Promise<CaseState> => {
  const t = await store.getTracking(code);
  const ok =
    t !== undefined &&
    secret !== undefined &&
    timingSafeEqual(Buffer.from(t.secretHash, 'hex'), Buffer.from(secretHash(code, secret), 'hex'));
  // The tracking record is written just before its case (api/filing.ts): a filing that stopped in between answers
  // like a wrong code until its retry writes the case.
  const s = ok ? await store.getState(t.caseId) : undefined;
  if (!s) {
    throw new NotFoundError('tracking.notFound', {
      vi: 'Mã hồ sơ hoặc mã bí mật không đúng.',
      en: 'Wrong dossier code or secret.',
    });
  }
  return s;
};
