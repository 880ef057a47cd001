/**
 * The electronic birth certificate (Giấy khai sinh điện tử) the commune issues (domain.md §7.1): its data, built
 * from the dossier and the registration result. Pure: the PDF/signature belong to the civil-status software.
 * The date of birth is also written in words, as on the form (domain.md §5.2 "date written in words").
 */
import { communeLabel, provinceByCode } from './addresses.js';
import type { Address, Dossier, Parent } from './dossier.js';

const UNITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** 0–99 in words, the Vietnamese way (21 "hai mươi mốt", 24 "hai mươi tư", 15 "mười lăm"). */
const under100 = (n: number): string => {
  if (n < 10) return UNITS[n]!;
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  const head = tens === 1 ? 'mười' : `${UNITS[tens]} mươi`;
  if (unit === 0) return head;
  if (unit === 5) return `${head} lăm`;
  if (unit === 1 && tens > 1) return `${head} mốt`;
  if (unit === 4 && tens > 1) return `${head} tư`;
  return `${head} ${UNITS[unit]}`;
};

/** 0–9999 in words: 2026 "hai nghìn không trăm hai mươi sáu", 2005 "hai nghìn không trăm linh năm". */
export const numberInWords = (n: number): string => {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError('numberInWords: 0–9999');
  if (n < 100) return under100(n);
  const below1000 = (x: number, forceHundreds: boolean): string => {
    const h = Math.floor(x / 100);
    const r = x % 100;
    if (h === 0 && !forceHundreds) return r === 0 ? '' : under100(r);
    const head = `${UNITS[h]} trăm`;
    if (r === 0) return head;
    return r < 10 ? `${head} linh ${UNITS[r]}` : `${head} ${under100(r)}`;
  };
  if (n < 1000) return below1000(n, true);
  const th = Math.floor(n / 1000);
  const rest = n % 1000;
  return rest === 0 ? `${UNITS[th]} nghìn` : `${UNITS[th]} nghìn ${below1000(rest, true)}`;
};

/** "ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi sáu" for 2026-03-15. */
export const dateInWords = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `ngày ${numberInWords(d)} tháng ${numberInWords(m)} năm ${numberInWords(y)}`;
};

export interface RegistrationResult {
  /** `<seq>/<year>/KS-<commune>` (identifiers.ts). */
  birthRegistrationNumber: string;
  /** The child's 12-digit personal ID number; absent when the population database has not returned it (§6.1). */
  personalIdNumber?: string;
  /** `YYYY-MM-DD`, Vietnam time. */
  registeredOn: string;
  /** Registering commune code. */
  registeredBy: string;
  /** Signer (Chairman / Vice-Chairman of the commune People's Committee). */
  signedBy?: string;
}

export interface CertificateParent {
  fullName: string;
  dateOfBirth: string;
  ethnicity: string;
  nationality: string;
  residence: string;
  personalIdNumber?: string;
}

export interface ElectronicBirthCertificate {
  title: { vi: string; en: string };
  registrationNumber: string;
  registeredOn: string;
  registeredOnInWords: string;
  registeringAuthority: string;
  registeringCommuneCode: string;
  child: {
    fullName: string;
    surname: string;
    middleName: string;
    givenName: string;
    sex: { code: 'MALE' | 'FEMALE'; vi: string; en: string };
    dateOfBirth: string;
    dateOfBirthInWords: string;
    timeOfBirth?: string;
    ethnicity: string;
    nationality: string;
    placeOfBirth: string;
    hometown: string;
    personalIdNumber?: string;
  };
  mother?: CertificateParent;
  father?: CertificateParent;
  /** Register note when a parent is not identified (Decree 123/2015; domain.md §8). */
  notes: string[];
  applicant: { fullName: string; personalIdNumber: string; relationship: string };
  copiesIssued: number;
  signedBy?: string;
}

const RELATIONSHIP_VI: Record<Dossier['applicant']['relationship'], string> = {
  FATHER: 'Cha',
  MOTHER: 'Mẹ',
  GRANDPARENT: 'Ông/bà',
  GUARDIAN: 'Người giám hộ',
  OTHER_RELATIVE: 'Người thân thích khác',
  CARETAKER: 'Người đang nuôi dưỡng',
};

/** Ethnicity names by code (the 54 groups, General Statistics Office list; 01 = Kinh). */
export const ETHNICITY_NAMES: Record<string, string> = Object.fromEntries(
  [
    'Kinh',
    'Tày',
    'Thái',
    'Hoa',
    'Khmer',
    'Mường',
    'Nùng',
    'Hmông',
    'Dao',
    'Gia-rai',
    'Ngái',
    'Ê-đê',
    'Ba-na',
    'Xơ-đăng',
    'Sán Chay',
    'Cơ-ho',
    'Chăm',
    'Sán Dìu',
    'Hrê',
    'Mnông',
    'Ra-glai',
    'Xtiêng',
    'Bru-Vân Kiều',
    'Thổ',
    'Giáy',
    'Cơ-tu',
    'Gié-Triêng',
    'Mạ',
    'Khơ-mú',
    'Co',
    'Tà-ôi',
    'Chơ-ro',
    'Kháng',
    'Xinh-mun',
    'Hà Nhì',
    'Chu-ru',
    'Lào',
    'La Chí',
    'La Ha',
    'Phù Lá',
    'La Hủ',
    'Lự',
    'Lô Lô',
    'Chứt',
    'Mảng',
    'Pà Thẻn',
    'Cơ Lao',
    'Cống',
    'Bố Y',
    'Si La',
    'Pu Péo',
    'Brâu',
    'Ơ-đu',
    'Rơ-măm',
  ].map((name, i) => [String(i + 1).padStart(2, '0'), name]),
);

const ethnicityName = (e: { code: string; other?: string | undefined }) =>
  e.code === 'OTHER' ? (e.other ?? '') : (ETHNICITY_NAMES[e.code] ?? e.code);
const nationalityName = (c: string) => (c === 'VN' ? 'Việt Nam' : c);

export const addressLine = (a: Pick<Address, 'communeCode' | 'provinceCode' | 'detail'>): string =>
  [
    a.detail,
    communeLabel(a.communeCode) ?? `${a.communeCode}, ${provinceByCode(a.provinceCode)?.name ?? a.provinceCode}`,
  ]
    .filter(Boolean)
    .join(', ');

const parentOf = (p: Parent | undefined): CertificateParent | undefined =>
  p && {
    fullName: p.fullName.toLocaleUpperCase('vi'),
    dateOfBirth: p.dateOfBirth,
    ethnicity: ethnicityName(p.ethnicity),
    nationality: nationalityName(p.nationality),
    residence: addressLine(p.residence),
    ...(p.personalId ? { personalIdNumber: p.personalId } : {}),
  };

/** Builds the e-birth certificate's data from the dossier and the registration result. */
export const electronicBirthCertificate = (
  dossier: Dossier,
  result: RegistrationResult,
): ElectronicBirthCertificate => {
  const c = dossier.child;
  const fullName = [c.surname, c.middleName, c.givenName]
    .filter((s) => s?.trim())
    .join(' ')
    .toLocaleUpperCase('vi');
  const hometown =
    c.hometown.description ??
    (c.hometown.communeCode ? communeLabel(c.hometown.communeCode) : undefined) ??
    provinceByCode(c.hometown.provinceCode)?.name ??
    c.hometown.provinceCode;
  const notes: string[] = [];
  if (dossier.birthCase === 'FATHER_UNKNOWN') notes.push('Phần ghi về người cha để trống (chưa xác định được cha).');
  if (dossier.birthCase === 'MOTHER_UNKNOWN') notes.push('Phần ghi về người mẹ để trống (chưa xác định được mẹ).');
  if (dossier.birthCase === 'NEITHER_KNOWN' || dossier.birthCase === 'ABANDONED')
    notes.push('Trẻ chưa xác định được cha, mẹ.');
  if (!result.personalIdNumber)
    notes.push('Số định danh cá nhân sẽ được bổ sung khi Cơ sở dữ liệu quốc gia về dân cư trả về.');
  const mother = parentOf(dossier.mother);
  const father = parentOf(dossier.father);
  return {
    title: { vi: 'Giấy khai sinh (bản điện tử)', en: 'Birth certificate (electronic)' },
    registrationNumber: result.birthRegistrationNumber,
    registeredOn: result.registeredOn,
    registeredOnInWords: dateInWords(result.registeredOn),
    registeringAuthority: `Ủy ban nhân dân ${communeLabel(result.registeredBy) ?? result.registeredBy}`,
    registeringCommuneCode: result.registeredBy,
    child: {
      fullName,
      surname: c.surname,
      middleName: c.middleName,
      givenName: c.givenName,
      sex: c.sex === 'MALE' ? { code: 'MALE', vi: 'Nam', en: 'Male' } : { code: 'FEMALE', vi: 'Nữ', en: 'Female' },
      dateOfBirth: c.dateOfBirth,
      dateOfBirthInWords: dateInWords(c.dateOfBirth),
      ...(c.timeOfBirth ? { timeOfBirth: c.timeOfBirth } : {}),
      ethnicity: ethnicityName(c.ethnicity),
      nationality: nationalityName(c.nationality),
      placeOfBirth: [c.placeOfBirth.facilityName, addressLine(c.placeOfBirth.address)].filter(Boolean).join(', '),
      hometown,
      ...(result.personalIdNumber ? { personalIdNumber: result.personalIdNumber } : {}),
    },
    ...(mother ? { mother } : {}),
    ...(father ? { father } : {}),
    notes,
    applicant: {
      fullName: dossier.applicant.fullName,
      personalIdNumber: dossier.applicant.personalId,
      relationship: RELATIONSHIP_VI[dossier.applicant.relationship],
    },
    copiesIssued: dossier.copies,
    ...(result.signedBy ? { signedBy: result.signedBy } : {}),
  };
};
