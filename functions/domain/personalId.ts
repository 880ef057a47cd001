/**
 * The 12-digit personal identification number (số định danh cá nhân), domain.md §7.2
 * (Decree 137/2015 Art. 13; Circular 07/2016/TT-BCA, later 59/2021): province code (3), century/sex (1),
 * birth year (2), random (6). The province list is not fixed after the 2025 merger, so only the shape of the
 * province code is checked.
 */
export type SexCode = 'MALE' | 'FEMALE';

/** Digit 4: 0/1 for the 1900s, 2/3 for the 2000s, ... (even = male, odd = female). */
export const centurySexDigit = (year: number, sex: SexCode): number => {
  const century = Math.floor(year / 100) - 19;
  return century * 2 + (sex === 'FEMALE' ? 1 : 0);
};

export interface PersonalIdProblem {
  rule: 'personalId.format' | 'personalId.provinceCode' | 'personalId.centurySex' | 'personalId.birthYear';
  vi: string;
  en: string;
}

/** Checks a number against the holder's date of birth and (when known) sex. Returns the first problem, if any. */
export const personalIdProblem = (id: string, dateOfBirth: string, sex?: SexCode): PersonalIdProblem | undefined => {
  if (!/^\d{12}$/.test(id)) {
    return {
      rule: 'personalId.format',
      vi: 'Số định danh cá nhân phải gồm 12 chữ số.',
      en: 'A personal ID number has 12 digits.',
    };
  }
  // Digits 1–3: province (001–096 in the legacy list) or country of registration; the list after the 2025 merger
  // is unconfirmed (domain.md §7.2), so only "000" is rejected.
  if (id.startsWith('000')) {
    return {
      rule: 'personalId.provinceCode',
      vi: 'Ba chữ số đầu của số định danh (mã tỉnh/quốc gia nơi đăng ký khai sinh) không thể là 000.',
      en: 'The first three digits of the personal ID (province/country of birth registration) cannot be 000.',
    };
  }
  const year = Number(dateOfBirth.slice(0, 4));
  const digit = Number(id[3]);
  const century = Math.floor(digit / 2) + 19;
  if (century !== Math.floor(year / 100) || (sex && digit % 2 !== (sex === 'FEMALE' ? 1 : 0))) {
    return {
      rule: 'personalId.centurySex',
      vi: 'Chữ số thứ 4 của số định danh không khớp với thế kỷ sinh và giới tính.',
      en: 'The 4th digit of the personal ID does not match the century of birth and the sex.',
    };
  }
  if (id.slice(4, 6) !== String(year % 100).padStart(2, '0')) {
    return {
      rule: 'personalId.birthYear',
      vi: 'Chữ số thứ 5–6 của số định danh phải là hai số cuối của năm sinh.',
      en: 'Digits 5–6 of the personal ID must be the last two digits of the year of birth.',
    };
  }
  return undefined;
};

/** Builds a well-formed number (the population registry adapter adds uniqueness). */
export const composePersonalId = (
  provinceCode3: string,
  dateOfBirth: string,
  sex: SexCode,
  random6: string,
): string => {
  if (!/^\d{3}$/.test(provinceCode3) || provinceCode3 === '000')
    throw new RangeError(`composePersonalId: bad province code "${provinceCode3}"`);
  if (!/^\d{6}$/.test(random6)) throw new RangeError('composePersonalId: the random part must be 6 digits');
  const year = Number(dateOfBirth.slice(0, 4));
  return `${provinceCode3}${centurySexDigit(year, sex)}${String(year % 100).padStart(2, '0')}${random6}`;
};
