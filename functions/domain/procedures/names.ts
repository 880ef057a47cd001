/**
 * The names of the registry's agencies, roles, decisions and delay reasons, and the reason minimum: plain data, no zod
 * (the web app's first load reads them). codes.ts re-exports the agency and role names beside their enums.
 */
import type { Agency, Decision, DelayReason, Role } from './codes.js';
import type { Text } from './types.js';

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
