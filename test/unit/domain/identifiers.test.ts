import { describe, expect, it } from '@jest/globals';
import {
  BIRTH_REGISTRATION_NUMBER,
  birthRegistrationNumber,
  configurePersonalIdProvinceCodes,
  personalIdProvinceCode,
  RESIDENCE_NOTICE_NUMBER,
  residenceNoticeNumber,
} from '#domain/identifiers.js';
import { composePersonalId, personalIdProblem } from '#domain/personalId.js';

describe('identifier: birth registration number per commune and year', () => {
  it('formats <seq>/<year>/KS-<commune>', () => {
    expect(birthRegistrationNumber(123, 2026, '00004')).toBe('123/2026/KS-00004');
    expect(BIRTH_REGISTRATION_NUMBER.test('123/2026/KS-00004')).toBe(true);
    expect(BIRTH_REGISTRATION_NUMBER.test('0/2026/KS-00004')).toBe(false);
    expect(() => birthRegistrationNumber(0, 2026, '00004')).toThrow(RangeError);
    expect(() => birthRegistrationNumber(1, 2026, '4')).toThrow(RangeError);
  });
});

describe('identifier: the child’s personal ID (Decree 137/2015 Art. 13, domain.md §7.2)', () => {
  it('default province code after the 2025 merger is "0" + the new unit’s code [unconfirmed, configurable]', () => {
    expect(personalIdProvinceCode('01')).toBe('001');
    expect(personalIdProvinceCode('79')).toBe('079');
    configurePersonalIdProvinceCodes({ '31': '031' });
    expect(personalIdProvinceCode('31')).toBe('031');
    configurePersonalIdProvinceCodes({});
    expect(() => configurePersonalIdProvinceCodes({ '1': '001' })).toThrow(RangeError);
  });
  it.each([
    ['2026-11-10', 'FEMALE', '001326'],
    ['2026-11-10', 'MALE', '001226'],
    ['2100-01-01', 'MALE', '001400'],
  ] as const)('born %s %s → starts %s and passes its own check', (dob, sex, prefix) => {
    const id = composePersonalId(personalIdProvinceCode('01'), dob, sex, '123456');
    expect(id).toBe(`${prefix}123456`);
    expect(personalIdProblem(id, dob, sex)).toBeUndefined();
  });
  it('refuses malformed parts', () => {
    expect(() => composePersonalId('000', '2026-01-01', 'MALE', '123456')).toThrow(RangeError);
    expect(() => composePersonalId('001', '2026-01-01', 'MALE', '12345')).toThrow(RangeError);
  });
  it.each([
    ['00119501234', 'personalId.format'],
    ['000195012345', 'personalId.provinceCode'],
    ['001095012345', 'personalId.centurySex'],
    ['001295012345', 'personalId.centurySex'],
    ['001194012345', 'personalId.birthYear'],
  ])('%s for a woman born 1995 → %s', (id, rule) => {
    expect(personalIdProblem(id, '1995-03-12', 'FEMALE')?.rule).toBe(rule);
  });
});

describe('identifier: residence result notice number [L]', () => {
  it('formats <seq>/TB-CA-<commune>-<year>', () => {
    const n = residenceNoticeNumber(57, 2026, '26743');
    expect(n).toBe('57/TB-CA-26743-2026');
    expect(RESIDENCE_NOTICE_NUMBER.test(n)).toBe(true);
  });
});
