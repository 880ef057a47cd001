/**
 * The bundle's procedures and the names of what they use (agencies, roles, decisions, delay reasons), as plain data:
 * no zod, so the web app's first load can read them (web/src/i18n.ts); `index.ts` re-exports all of it.
 */
import { birth } from './birth.js';
import type { Agency, Decision, DelayReason, Procedure, Role } from './codes.js';
import { healthInsurance } from './healthInsurance.js';
import { idCard } from './idCard.js';
import { residence } from './residence.js';
import type { Text } from './types.js';

/** The bundle, in the order the workflow, the case and the pages list them. */
export const bundleProcedures = [birth, residence, healthInsurance, idCard] as const;

/** The agencies that decide, and the applicant (who answers supplement requests). */
/** IDENTITY is the police's ID-card desk, with its own queue (Decree 301/2026). */
export const agencyNames: Record<Agency, Text> = {
  CIVIL_STATUS: { vi: 'Tư pháp – hộ tịch', en: 'Civil status' },
  POLICE: { vi: 'Công an (cư trú)', en: 'Police (residence)' },
  SOCIAL_SECURITY: { vi: 'Bảo hiểm xã hội', en: 'Social security' },
  IDENTITY: { vi: 'Công an (căn cước)', en: 'Police (ID cards)' },
  APPLICANT: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
};

export const roleNames: Record<Role, Text> = {
  'civil-status-officer': { vi: 'Cán bộ tư pháp – hộ tịch', en: 'Civil-status officer' },
  'police-officer': { vi: 'Công an xã', en: 'Commune police officer' },
  'insurance-officer': { vi: 'Cán bộ BHXH', en: 'Social-security officer' },
  auditor: { vi: 'Thanh tra', en: 'Auditor' },
  applicant: { vi: 'Người nộp hồ sơ', en: 'Applicant' },
};

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
