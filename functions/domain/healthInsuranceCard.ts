/**
 * The child's health-insurance (BHYT) card, domain.md §7.3.
 * - Number: the 10-digit BHXH number (Decision 1666/QĐ-BHXH of 3/12/2020, card layout since 2021). [M]
 * - Legacy display (Decision 1351/QĐ-BHXH, 2015): TE (children under 6) + 1 (benefit level 100%) + 2-digit province
 *   of the issuing BHXH + the 10-digit number, 15 characters. Both are supported (domain.md §13 item 3).
 * - Validity (Decree 146/2018 Art. 13(2); kept by Decree 188/2025 — likely, unconfirmed): born on or before
 *   30 September → until 30 September of the year the child reaches 72 months; born after → until the last day of
 *   the month the child reaches 72 months.
 */

export const CARD_NUMBER = /^\d{10}$/;
export const LEGACY_CARD_CODE = /^TE1(\d{2})(\d{10})$/;

/** `TE1` + province + number, e.g. `TE1790123456789`. */
export const legacyCardCode = (provinceCode2: string, cardNumber: string): string => {
  if (!/^\d{2}$/.test(provinceCode2)) throw new RangeError('legacyCardCode: province code must have 2 digits');
  if (!CARD_NUMBER.test(cardNumber)) throw new RangeError('legacyCardCode: card number must have 10 digits');
  return `TE1${provinceCode2}${cardNumber}`;
};

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The day the child reaches 72 months (6th birthday; born 29 February → 28 February in a common year). */
export const reaches72Months = (dateOfBirth: string): string => {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  return iso(y + 6, m, Math.min(d, lastDayOfMonth(y + 6, m)));
};

/** Last day of validity of the under-6 card (domain.md §7.3). */
export const healthInsuranceCardValidUntil = (dateOfBirth: string): string => {
  const [y, m] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const sixYear = y + 6;
  // "born before 30/9" in the text; 30 September itself is treated as "on or before" (domain.md §7.3).
  if (dateOfBirth.slice(5) <= '09-30') return iso(sixYear, 9, 30);
  return iso(sixYear, m, lastDayOfMonth(sixYear, m));
};

export interface HealthInsuranceCard {
  cardNumber: string;
  legacyCardCode: string;
  beneficiaryGroup: 'TE';
  benefitLevel: 1;
  provinceCode: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'MALE' | 'FEMALE';
  personalIdNumber?: string;
  validFrom: string;
  validUntil: string;
  initialCareFacility: string;
  initialCareFacilityCode?: string;
  guardian?: { role: 'FATHER' | 'MOTHER' | 'APPLICANT'; fullName: string };
}

/** The card's data (Decree 188/2025 Art. 10): valid from the date of birth (the budget pays from birth). */
export const healthInsuranceCard = (args: {
  cardNumber: string;
  provinceCode: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'MALE' | 'FEMALE';
  personalIdNumber?: string;
  initialCareFacility: string;
  initialCareFacilityCode?: string;
  guardian?: { role: 'FATHER' | 'MOTHER' | 'APPLICANT'; fullName: string };
}): HealthInsuranceCard => ({
  cardNumber: args.cardNumber,
  legacyCardCode: legacyCardCode(args.provinceCode, args.cardNumber),
  beneficiaryGroup: 'TE',
  benefitLevel: 1,
  provinceCode: args.provinceCode,
  fullName: args.fullName,
  dateOfBirth: args.dateOfBirth,
  sex: args.sex,
  ...(args.personalIdNumber ? { personalIdNumber: args.personalIdNumber } : {}),
  validFrom: args.dateOfBirth,
  validUntil: healthInsuranceCardValidUntil(args.dateOfBirth),
  initialCareFacility: args.initialCareFacility,
  ...(args.initialCareFacilityCode ? { initialCareFacilityCode: args.initialCareFacilityCode } : {}),
  ...(args.guardian ? { guardian: args.guardian } : {}),
});
