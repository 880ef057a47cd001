// ---------------------------------------------------------------------------------------------------------------
// Birth registration number (số đăng ký khai sinh): running number per commune register and year
// ---------------------------------------------------------------------------------------------------------------

/** `<seq>/<year>/KS-<commune>`, e.g. `123/2026/KS-00004` (KS = khai sinh; the book is the commune's birth register). */
export const birthRegistrationNumber = (seq: number, year: string | number, communeCode: string): string => {
  if (!Number.isInteger(seq) || seq < 1)
    throw new RangeError('birthRegistrationNumber: seq must be a positive integer');
  if (!/^\d{4}$/.test(String(year))) throw new RangeError('birthRegistrationNumber: year must have 4 digits');
  if (!/^\d{5}$/.test(communeCode)) throw new RangeError('birthRegistrationNumber: commune code must have 5 digits');
  return `${seq}/${year}/KS-${communeCode}`;
};

export const BIRTH_REGISTRATION_NUMBER = /^([1-9]\d*)\/(\d{4})\/KS-(\d{5})$/;

/** Key of the adapter's counter for a commune's register in a year. */
export const birthRegisterCounterKey = (communeCode: string, year: string | number) =>
  `BIRTHREG#${communeCode}#${year}`;

// ---------------------------------------------------------------------------------------------------------------
// The child's personal ID number (domain.md §7.2)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Digits 1–3 for a birth registered in a province of the 34 units in force since 1 July 2025.
 * UNCONFIRMED (domain.md §7.2, §14): whether new codes or the legacy 63-province codes are used. Default: '0' + the
 * new unit's 2-digit code (Hà Nội 01 → 001, HCMC 79 → 079, which equal the legacy codes of those cities).
 * Override per province with `configurePersonalIdProvinceCodes` once the Ministry of Public Security's list is known.
 */
let provinceCodeOverrides: Record<string, string> = {};

export const configurePersonalIdProvinceCodes = (overrides: Record<string, string>) => {
  for (const [k, v] of Object.entries(overrides)) {
    if (!/^\d{2}$/.test(k) || !/^\d{3}$/.test(v))
      throw new RangeError(`Bad personal-ID province code override ${k} → ${v}`);
  }
  provinceCodeOverrides = { ...overrides };
};

export const personalIdProvinceCode = (provinceCode2: string): string =>
  provinceCodeOverrides[provinceCode2] ?? `0${provinceCode2}`;

// ---------------------------------------------------------------------------------------------------------------
// Residence result notice (Thông báo kết quả giải quyết thủ tục về cư trú, Circular 66/2023/TT-BCA → 53/2025)
// ---------------------------------------------------------------------------------------------------------------

/**
 * `<seq>/TB-CA-<commune>-<year>`, e.g. `57/TB-CA-26743-2026`. [L] The official numbering of commune police notices
 * is not in the sources; this follows the usual "<number>/<kind>-<issuer>" layout of administrative documents.
 */
export const residenceNoticeNumber = (seq: number, year: string | number, communeCode: string): string => {
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError('residenceNoticeNumber: seq must be a positive integer');
  if (!/^\d{5}$/.test(communeCode)) throw new RangeError('residenceNoticeNumber: commune code must have 5 digits');
  return `${seq}/TB-CA-${communeCode}-${year}`;
};

export const RESIDENCE_NOTICE_NUMBER = /^([1-9]\d*)\/TB-CA-(\d{5})-(\d{4})$/;

export const residenceNoticeCounterKey = (communeCode: string, year: string | number) =>
  `RESNOTICE#${communeCode}#${year}`;
