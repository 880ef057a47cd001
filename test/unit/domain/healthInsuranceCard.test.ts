import { describe, expect, it } from '@jest/globals';
import {
  healthInsuranceCard,
  healthInsuranceCardValidUntil,
  legacyCardCode,
  reaches72Months,
} from '#domain/healthInsuranceCard.js';

describe('health-insurance card: validity for under-6s (Decree 146/2018 Art. 13(2), domain.md §7.3)', () => {
  it.each([
    ['2026-09-30', '2032-09-30'], // on 30 September: "on or before" → 30/9 of the 6th-birthday year
    ['2026-10-01', '2032-10-31'], // after 30 September: last day of the 72nd-month month
    ['2026-01-01', '2032-09-30'],
    ['2026-12-31', '2032-12-31'],
    ['2026-11-10', '2032-11-30'],
    ['2020-02-29', '2026-09-30'], // leap day, before 30/9
    ['2022-11-30', '2028-11-30'],
    ['2021-10-15', '2027-10-31'],
  ])('born %s → valid until %s', (dob, until) => {
    expect(healthInsuranceCardValidUntil(dob)).toBe(until);
  });
  it('72 months from a leap day is 28 February in a common year, 29 in a leap year', () => {
    expect(reaches72Months('2020-02-29')).toBe('2026-02-28');
    expect(reaches72Months('2018-02-28')).toBe('2024-02-28');
    expect(reaches72Months('2022-02-28')).toBe('2028-02-28');
  });
  it('a child born in February after 30/9 of… (not possible) — February births fall under the 30/9 rule', () => {
    expect(healthInsuranceCardValidUntil('2024-02-29')).toBe('2030-09-30');
  });
});

describe('health-insurance card: number (Decision 1666/2020) and legacy code (Decision 1351/2015)', () => {
  it('formats TE1 + province + 10 digits', () => {
    expect(legacyCardCode('79', '0123456789')).toBe('TE1790123456789');
    expect(() => legacyCardCode('79', '123')).toThrow(RangeError);
  });
  it('builds the card data valid from the date of birth', () => {
    const card = healthInsuranceCard({
      cardNumber: '0123456789',
      provinceCode: '01',
      fullName: 'TRẦN BẢO AN',
      dateOfBirth: '2026-10-01',
      sex: 'FEMALE',
      initialCareFacility: 'Trạm y tế phường Ba Đình',
    });
    expect(card).toMatchObject({
      legacyCardCode: 'TE1010123456789',
      validFrom: '2026-10-01',
      validUntil: '2032-10-31',
      beneficiaryGroup: 'TE',
      benefitLevel: 1,
    });
  });
});
