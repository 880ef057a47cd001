/** The choices the filing form offers, bilingual. */
import { ETHNICITY_NAMES } from '#domain/birthCertificate.js';
import type { Text } from '../../i18n';

// ---------------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------------

export const o = (v: string, vi: string, en: string): [string, Text] => [v, { vi, en }];
export const SEX = [o('MALE', 'Nam', 'Male'), o('FEMALE', 'Nữ', 'Female')];
export const ETHNICITIES: [string, Text][] = [
  ...Object.entries(ETHNICITY_NAMES).map(([code, name]): [string, Text] => [
    code,
    { vi: `${code} · ${name}`, en: `${code} · ${name}` },
  ]),
  o('OTHER', 'Dân tộc khác', 'Other'),
];
export const BIRTH_CASES = [
  o('BOTH_PARENTS', 'Đủ thông tin cha và mẹ', 'Both parents identified'),
  o('FATHER_UNKNOWN', 'Chưa xác định được cha', 'Father not identified'),
  o('MOTHER_UNKNOWN', 'Chưa xác định được mẹ', 'Mother not identified'),
  o('NEITHER_KNOWN', 'Chưa xác định được cha và mẹ', 'Neither parent identified'),
  o('ABANDONED', 'Trẻ bị bỏ rơi', 'Abandoned child'),
];
export const RELATIONSHIPS = [
  o('FATHER', 'Cha', 'Father'),
  o('MOTHER', 'Mẹ', 'Mother'),
  o('GRANDPARENT', 'Ông/bà', 'Grandparent'),
  o('GUARDIAN', 'Người giám hộ', 'Guardian'),
  o('OTHER_RELATIVE', 'Người thân khác', 'Other relative'),
  o('CARETAKER', 'Cá nhân/tổ chức đang nuôi dưỡng', 'Person or organisation raising the child'),
];
export const DELIVERY = [
  o('ELECTRONIC', 'Chỉ bản điện tử', 'Electronic only'),
  o('POST', 'Bưu chính công ích', 'Public postal service'),
  o('PICKUP', 'Nhận trực tiếp', 'Pick up in person'),
];
export const PROOFS = [
  o('BIRTH_CERTIFICATE', 'Giấy chứng sinh', 'Birth certificate'),
  o('WITNESS_CONFIRMATION', 'Văn bản xác nhận của người làm chứng', 'Witness confirmation'),
  o('COMMITMENT', 'Giấy cam đoan về việc sinh', 'Written commitment'),
  o('ABANDONMENT_RECORD', 'Biên bản xác nhận trẻ bị bỏ rơi', 'Abandonment record'),
  o('SURROGACY_DOCUMENT', 'Văn bản xác nhận mang thai hộ', 'Surrogacy document'),
];
export const HEAD_REL = [
  o('CHILD', 'Con', 'Child'),
  o('GRANDCHILD', 'Cháu', 'Grandchild'),
  o('WARD', 'Được giám hộ', 'Ward'),
  o('OTHER', 'Khác', 'Other'),
];
export const JOINING = [
  o('BOTH_PARENTS', 'Cha mẹ', 'Both parents'),
  o('MOTHER', 'Mẹ', 'Mother'),
  o('FATHER', 'Cha', 'Father'),
  o('GUARDIAN', 'Người giám hộ', 'Guardian'),
  o('RELATIVE', 'Người thân khác', 'Another relative'),
  o('OTHER', 'Khác', 'Other'),
];
export const CONSENT = [
  o('NONE', 'Không cần / không có', 'None'),
  o('PAPER_CT01', 'Ký tờ khai CT01', 'CT01 signature'),
  o('VNEID', 'Xác nhận qua VNeID', 'VNeID confirmation'),
];
export const HEAD_IS_PARENT = [
  o('NEITHER', 'Không', 'Neither'),
  o('FATHER', 'Cha là chủ hộ', 'The father'),
  o('MOTHER', 'Mẹ là chủ hộ', 'The mother'),
];
export const GUARDIAN = [
  o('', 'Mặc định (cha, rồi mẹ, rồi người yêu cầu)', 'Default (father, else mother, else applicant)'),
  o('FATHER', 'Cha', 'Father'),
  o('MOTHER', 'Mẹ', 'Mother'),
  o('APPLICANT', 'Người yêu cầu', 'Applicant'),
];
