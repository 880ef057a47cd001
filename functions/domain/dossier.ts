/**
 * The one dossier (hồ sơ liên thông) as a zod schema: the schema is the documentation (domain.md §5.2).
 * Every field says what it is in Vietnamese and English ("vi · en"). The API, the steps and the web form use this
 * schema; `parseDossier` is the entry point that turns zod's issues into bilingual `Issue`s an officer understands
 * and maps legacy (pre-1 July 2025) ward codes to the new communes before validation.
 *
 * Field names of the real portal's e-form (formcontrolname) are given in brackets where known [M].
 */
import { z } from 'zod';
import { mapOldWard } from './addresses.js';
import { type Issue, issue } from './errors.js';
import {
  hasMarkup,
  hasUnsafeCharacters,
  TEXT_CONTROL_CHARACTERS,
  TEXT_NAME_CHARACTERS,
  textRuleMessages,
} from './text.js';

const d = (vi: string, en: string) => `${vi} · ${en}`;

// ---------------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------------

/** Free text, trimmed: no control characters, bidi overrides or lone surrogates (domain/text.ts). */
const text = () =>
  z
    .string()
    .trim()
    .refine((s) => !hasUnsafeCharacters(s), TEXT_CONTROL_CHARACTERS);

/** A person's name, trimmed: one line, none of the refused characters, no `<` or `>` (domain/text.ts). */
const personName = () =>
  z
    .string()
    .trim()
    .refine((s) => !hasUnsafeCharacters(s, true), TEXT_CONTROL_CHARACTERS)
    .refine((s) => !hasMarkup(s), TEXT_NAME_CHARACTERS);

const validDay = (s: string) => {
  const t = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s);
};

/** A calendar date, `YYYY-MM-DD`, that exists (no 30 February). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'format.date')
  .refine(validDay, 'format.date');

/** Hours and minutes, `HH:MM`, 00:00–23:59. */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'format.time');

export const PersonalIdNumber = z
  .string()
  .regex(/^\d{12}$/, 'format.personalId')
  .describe(d('Số định danh cá nhân (12 chữ số)', '12-digit personal identification number'));

export const Sex = z.enum(['MALE', 'FEMALE']).describe(d('Giới tính: Nam / Nữ', 'Sex: male / female'));

const countryCode = (vi: string, en: string) =>
  z
    .string()
    .regex(/^[A-Z]{2}$/, 'format.country')
    .default('VN')
    .describe(d(`${vi} (mã ISO 3166-1)`, `${en} (ISO 3166-1 code)`));

export const Address = z
  .object({
    provinceCode: z
      .string()
      .regex(/^\d{2}$/, 'format.provinceCode')
      .describe(d('Mã tỉnh/thành phố (34 đơn vị từ 01/07/2025)', 'Province code (34 units since 1 July 2025)')),
    communeCode: z
      .string()
      .regex(/^\d{5}$/, 'format.communeCode')
      .describe(
        d(
          'Mã xã/phường/đặc khu (đơn vị hành chính từ 01/07/2025)',
          'Commune / ward / special-zone code (units since 1 July 2025)',
        ),
      ),
    legacyWardCode: z
      .string()
      .regex(/^\d{5}$/, 'format.communeCode')
      .optional()
      .describe(
        d(
          'Mã xã/phường cũ (trước 01/07/2025), nếu giấy tờ còn ghi địa chỉ cũ; được quy đổi sang xã/phường mới',
          'Old ward / commune code (before 1 July 2025) when papers still show the old address; mapped to the new commune',
        ),
      ),
    detail: text().min(1).max(200).describe(d('Số nhà, đường, thôn, tổ', 'House number, street, hamlet')),
  })
  .describe(d('Địa chỉ theo đơn vị hành chính hai cấp', 'Address in the two-level administrative units'));
export type Address = z.infer<typeof Address>;

/** The 54 ethnic groups have codes 01–54 (01 = Kinh); anything else is "OTHER" with the name written out. */
export const Ethnicity = z
  .object({
    code: z
      .string()
      .regex(/^(0[1-9]|[1-4]\d|5[0-4]|OTHER)$/, 'format.ethnicityCode')
      .describe(
        d(
          'Mã dân tộc (01–54, danh mục 54 dân tộc; 01 = Kinh); "OTHER" nếu không có trong danh mục',
          'Ethnicity code (01–54, the 54 groups; 01 = Kinh); "OTHER" if not listed',
        ),
      ),
    other: text()
      .min(1)
      .max(50)
      .optional()
      .describe(d('Dân tộc khác (ghi rõ) [MeDantocKhac]', 'Other ethnicity (free text)')),
  })
  .refine((e) => e.code !== 'OTHER' || !!e.other, { message: 'ethnicity.otherNamed', path: ['other'] })
  .describe(d('Dân tộc', 'Ethnicity'));

const namePart = (vi: string, en: string) => personName().min(1).max(30).describe(d(vi, en));

export const IdentityDocument = z
  .object({
    type: z.enum(['PASSPORT', 'OTHER']).describe(d('Loại giấy tờ: hộ chiếu / khác', 'Document type: passport / other')),
    number: text().min(1).max(30).describe(d('Số giấy tờ', 'Document number')),
    issuedOn: isoDate.optional().describe(d('Ngày cấp', 'Date of issue')),
    issuedBy: text().max(200).optional().describe(d('Nơi cấp', 'Issued by')),
  })
  .describe(
    d(
      'Giấy tờ tùy thân khác (người nước ngoài, không có số định danh)',
      'Other identity document (foreigners, no personal ID number)',
    ),
  );

export const ResidenceType = z
  .enum(['PERMANENT', 'TEMPORARY', 'CURRENT'])
  .describe(
    d('Loại cư trú: thường trú / tạm trú / nơi ở hiện tại', 'Residence type: permanent / temporary / current place'),
  );

export const Parent = z
  .object({
    fullName: personName()
      .min(1)
      .max(100)
      .describe(d('Họ, chữ đệm và tên (chữ in hoa có dấu) [MeHo/MeChuDem/MeTen, ChaHoTen]', 'Full name')),
    dateOfBirth: isoDate.describe(d('Ngày sinh [MeNgaySinh, ChaNgaySinh]', 'Date of birth')),
    personalId: PersonalIdNumber.optional().describe(
      d(
        'Số định danh cá nhân (bắt buộc với công dân Việt Nam) [MeSoGiayTo, ChaSoGiayTo]',
        'Personal ID number (required for Vietnamese citizens)',
      ),
    ),
    identityDocument: IdentityDocument.optional(),
    ethnicity: Ethnicity,
    nationality: countryCode('Quốc tịch [MeMaQuocTich, ChaMaQuocTich]', 'Nationality'),
    residenceType: ResidenceType.default('PERMANENT'),
    residence: Address.describe(d('Nơi cư trú [MeDiaChi, ChaDiaChi]', 'Place of residence')),
  })
  .refine((p) => p.nationality !== 'VN' || !!p.personalId, {
    message: 'parent.personalIdRequired',
    path: ['personalId'],
  })
  .refine((p) => p.nationality === 'VN' || !!p.personalId || !!p.identityDocument, {
    message: 'parent.identityRequired',
    path: ['identityDocument'],
  })
  .describe(d('Thông tin cha hoặc mẹ', "A parent's details"));
export type Parent = z.infer<typeof Parent>;

export const BirthCase = z
  .enum(['BOTH_PARENTS', 'FATHER_UNKNOWN', 'MOTHER_UNKNOWN', 'NEITHER_KNOWN', 'ABANDONED'])
  .describe(
    d(
      'Trường hợp khai sinh: đủ cha mẹ / chưa xác định cha / chưa xác định mẹ / chưa xác định cả cha và mẹ / trẻ bị bỏ rơi',
      'Birth case: both parents / father unknown / mother unknown / neither known / abandoned child',
    ),
  );
export type BirthCase = z.infer<typeof BirthCase>;

export const Delivery = z
  .enum(['ELECTRONIC', 'POST', 'PICKUP'])
  .describe(
    d(
      'Cách nhận kết quả: chỉ bản điện tử / bưu chính công ích / nhận trực tiếp (khai sinh: tại UBND xã; thẻ BHYT: tại BHXH)',
      'Result delivery: electronic only / public postal service / pick-up (birth: at the commune; card: at social security)',
    ),
  );
export type Delivery = z.infer<typeof Delivery>;

/** Circular 22/2025 Mẫu 01 (in force 1 October 2025): `XXXXX.GCS.ZZZZZ.YY` (domain.md §5.3). */
export const BIRTH_CERTIFICATE_NUMBER = /^(\d{5})\.GCS\.(\d{5})\.(\d{2})$/;
export const CIRCULAR_22_2025_EFFECTIVE = '2025-10-01';

/** What proves the birth (Decree 63/2024 Art. 5(2); Law 60/2014 Art. 16): the certificate or a substitute. */
export const BirthProof = z
  .enum(['BIRTH_CERTIFICATE', 'WITNESS_CONFIRMATION', 'COMMITMENT', 'ABANDONMENT_RECORD', 'SURROGACY_DOCUMENT'])
  .describe(
    d(
      'Giấy tờ chứng minh việc sinh: giấy chứng sinh / văn bản xác nhận của người làm chứng / giấy cam đoan / biên bản xác nhận trẻ bị bỏ rơi / văn bản mang thai hộ',
      'Proof of birth: birth certificate / witness confirmation / written commitment / abandonment record / surrogacy document',
    ),
  );

export const BirthCertificate = z
  .object({
    number: text()
      .min(1)
      .max(30)
      .describe(
        d(
          'Số giấy chứng sinh (XXXXX.GCS.ZZZZZ.YY từ 01/10/2025)',
          'Birth-certificate number (XXXXX.GCS.ZZZZZ.YY since 1 October 2025)',
        ),
      ),
    facilityCode: z
      .string()
      .regex(/^\d{5}$/, 'format.facilityCode')
      .optional()
      .describe(d('Mã cơ sở khám bệnh, chữa bệnh (5 chữ số)', 'Health-facility code (5 digits)')),
    facilityName: text()
      .max(200)
      .optional()
      .describe(d('Tên cơ sở y tế cấp giấy chứng sinh', 'Health facility that issued the certificate')),
    issuedOn: isoDate.describe(d('Ngày cấp giấy chứng sinh', 'Date the certificate was issued')),
    sex: z
      .enum(['MALE', 'FEMALE', 'UNDETERMINED'])
      .describe(
        d(
          'Giới tính ghi trên giấy chứng sinh: nam / nữ / chưa xác định',
          'Sex on the certificate: male / female / undetermined',
        ),
      ),
    dateOfBirth: isoDate
      .optional()
      .describe(d('Ngày sinh ghi trên giấy chứng sinh', 'Date of birth on the certificate')),
    timeOfBirth: timeOfDay
      .optional()
      .describe(d('Giờ, phút sinh ghi trên giấy chứng sinh', 'Time of birth on the certificate')),
    childrenBorn: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe(d('Số con trong lần sinh', 'Number of children born in this delivery')),
    weightGrams: z.number().int().min(300).max(7000).optional().describe(d('Cân nặng (gam)', 'Weight (grams)')),
    intendedName: personName().max(100).optional().describe(d('Dự định đặt tên con', 'Intended name')),
    motherInsuranceCode: z
      .string()
      .regex(/^\d{10}$/, 'format.insuranceCode')
      .optional()
      .describe(
        d('Mã số BHXH/thẻ BHYT của mẹ (10 số 0 nếu không có)', "Mother's social-insurance code (ten zeros if none)"),
      ),
  })
  .superRefine((c, ctx) => {
    // Circular 22/2025 numbering applies to certificates issued from 1 October 2025; older forms had no national format.
    if (c.issuedOn >= CIRCULAR_22_2025_EFFECTIVE && !BIRTH_CERTIFICATE_NUMBER.test(c.number)) {
      ctx.addIssue({ code: 'custom', message: 'birthCertificate.numberFormat', path: ['number'] });
    }
  })
  .describe(d('Giấy chứng sinh (Thông tư 22/2025, Mẫu 01)', 'Birth certificate (Circular 22/2025, form 01)'));
export type BirthCertificate = z.infer<typeof BirthCertificate>;

export const ConsentMethod = z
  .enum(['PAPER_CT01', 'VNEID', 'NONE'])
  .describe(
    d(
      'Ý kiến đồng ý của chủ hộ/chủ sở hữu: ký tờ khai CT01 / xác nhận qua VNeID / không có [LoaiXacNhanVNeID]',
      "Household head's / owner's consent: CT01 signature / VNeID confirmation / none",
    ),
  );

export const ResidenceJoining = z
  .enum(['MOTHER', 'FATHER', 'BOTH_PARENTS', 'GUARDIAN', 'RELATIVE', 'OTHER'])
  .describe(
    d(
      'Trẻ về ở cùng: mẹ / cha / cha mẹ / người giám hộ / người thân khác / khác (trường hợp đăng ký thường trú)',
      'The child moves in with: mother / father / both parents / guardian / another relative / other (residence case)',
    ),
  );

// ---------------------------------------------------------------------------------------------------------------
// The dossier
// ---------------------------------------------------------------------------------------------------------------

export const Dossier = z
  .object({
    birthCase: BirthCase,
    registrationCommuneCode: z
      .string()
      .regex(/^\d{5}$/, 'format.communeCode')
      .describe(
        d(
          'Mã xã nơi đăng ký khai sinh (nơi cư trú của cha hoặc mẹ; trẻ bị bỏ rơi: nơi phát hiện)',
          'Commune where the birth is registered (a parent’s residence; abandoned child: where found)',
        ),
      ),
    child: z
      .object({
        surname: namePart('Họ [Ho]', 'Surname'),
        middleName: personName().max(50).default('').describe(d('Chữ đệm [ChuDem]', 'Middle name(s)')),
        givenName: namePart('Tên [Ten]', 'Given name'),
        sex: Sex,
        dateOfBirth: isoDate.describe(d('Ngày sinh [NgaySinh]', 'Date of birth')),
        timeOfBirth: timeOfDay.optional().describe(d('Giờ, phút sinh', 'Time of birth (HH:MM)')),
        birthOrder: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(1)
          .describe(d('Con thứ mấy trong lần sinh (sinh đôi: 1, 2)', 'Order within the birth (twins: 1, 2)')),
        ethnicity: Ethnicity,
        nationality: countryCode('Quốc tịch [MaQuocTich]', 'Nationality'),
        placeOfBirth: z
          .object({
            country: countryCode('Quốc gia nơi sinh [NsMaQuocGia]', 'Country of birth'),
            address: Address.describe(d('Địa chỉ nơi sinh [NsDiaChi]', 'Address of the place of birth')),
            facilityName: text().max(200).optional().describe(d('Tên cơ sở y tế', 'Health facility name')),
          })
          .describe(d('Nơi sinh', 'Place of birth')),
        hometown: z
          .object({
            country: countryCode('Quốc gia quê quán [QqMaQuocGia]', 'Country of the hometown'),
            provinceCode: z
              .string()
              .regex(/^\d{2}$/, 'format.provinceCode')
              .describe(d('Mã tỉnh quê quán', 'Province of the hometown')),
            communeCode: z
              .string()
              .regex(/^\d{5}$/, 'format.communeCode')
              .optional()
              .describe(d('Mã xã quê quán', 'Commune of the hometown')),
            description: text()
              .max(200)
              .optional()
              .describe(
                d(
                  'Quê quán ghi theo tên cũ nếu đơn vị không còn (Nghị định 123/2015)',
                  'Hometown as written when the unit no longer exists (Decree 123/2015)',
                ),
              ),
          })
          .describe(
            d(
              'Quê quán (theo quê quán của cha hoặc mẹ, do cha mẹ thỏa thuận) [QqDiaChi]',
              "Hometown (the father's or mother's, as the parents agree)",
            ),
          ),
      })
      .describe(d('Thông tin trẻ', "The child's details")),
    mother: Parent.optional().describe(
      d('Thông tin mẹ (mẹ đẻ hoặc người nhờ mang thai hộ)', "The mother's details (birth or commissioning mother)"),
    ),
    father: Parent.optional().describe(d('Thông tin cha', "The father's details")),
    fatherSameResidenceAsMother: z
      .boolean()
      .optional()
      .describe(d('Cha có cùng nơi cư trú với mẹ', 'The father lives at the mother’s residence')),
    foundling: z
      .object({
        foundOn: isoDate.describe(d('Ngày phát hiện trẻ', 'Date the child was found')),
        foundAt: Address.describe(d('Nơi phát hiện trẻ', 'Where the child was found')),
        recordNumber: text()
          .max(50)
          .optional()
          .describe(d('Số biên bản xác nhận trẻ bị bỏ rơi', 'Number of the abandonment record')),
        postedFrom: isoDate
          .optional()
          .describe(d('Ngày bắt đầu niêm yết 7 ngày tại UBND xã', 'First day of the 7-day posting at the commune')),
      })
      .optional()
      .describe(
        d(
          'Trẻ bị bỏ rơi / chưa xác định cha mẹ: nơi và ngày phát hiện (Nghị định 123/2015 Điều 14)',
          'Abandoned child / parents unknown: where and when found (Decree 123/2015 Art. 14)',
        ),
      ),
    marriage: z
      .object({
        certificateNumber: text()
          .min(1)
          .max(30)
          .describe(d('Số giấy chứng nhận kết hôn [GiayCNKHSo]', 'Marriage certificate number')),
        bookNumber: text().max(30).optional().describe(d('Quyển số [GiayCNKHQuyenSo]', 'Register book number')),
        issuedOn: isoDate.describe(d('Ngày đăng ký kết hôn [GiayCNKHNgayCap]', 'Date of marriage registration')),
        issuedBy: text().min(1).max(200).describe(d('Nơi đăng ký kết hôn [GiayCNKHNoiCap]', 'Registering authority')),
      })
      .optional()
      .describe(d('Giấy chứng nhận kết hôn của cha mẹ (nếu có)', "Parents' marriage certificate (if married)")),
    applicant: z
      .object({
        fullName: personName().min(1).max(100).describe(d('Họ, chữ đệm và tên người yêu cầu', "Applicant's full name")),
        personalId: PersonalIdNumber.describe(
          d('Số định danh cá nhân của người yêu cầu', "Applicant's personal ID number"),
        ),
        dateOfBirth: isoDate.optional().describe(d('Ngày sinh người yêu cầu', "Applicant's date of birth")),
        sex: Sex.optional(),
        relationship: z
          .enum(['FATHER', 'MOTHER', 'GRANDPARENT', 'GUARDIAN', 'OTHER_RELATIVE', 'CARETAKER'])
          .describe(
            d(
              'Quan hệ với trẻ: cha / mẹ / ông bà / người giám hộ / người thân khác / cá nhân, tổ chức đang nuôi dưỡng [NycQuanHe]',
              'Relationship to the child: father / mother / grandparent / guardian / other relative / person or organisation raising the child',
            ),
          ),
        phone: z
          .string()
          .regex(/^(\+84|0)\d{9,10}$/, 'format.phone')
          .describe(d('Số điện thoại [NycSdt]', 'Phone number')),
        email: z.email('format.email').optional().describe(d('Thư điện tử', 'E-mail')),
        address: Address.optional().describe(d('Nơi cư trú của người yêu cầu', "Applicant's residence")),
      })
      .describe(d('Người yêu cầu (người đi đăng ký)', 'Applicant')),
    birthProof: BirthProof.default('BIRTH_CERTIFICATE').describe(
      d('Giấy tờ chứng minh việc sinh (mặc định: giấy chứng sinh)', 'Proof of birth (default: the birth certificate)'),
    ),
    birthCertificate: BirthCertificate.optional().describe(
      d(
        'Giấy chứng sinh (Thông tư 22/2025, Mẫu 01); không có nếu dùng giấy tờ thay thế',
        'Birth certificate (Circular 22/2025, form 01); absent when a substitute proves the birth',
      ),
    ),
    residence: z
      .object({
        requested: z
          .boolean()
          .default(true)
          .describe(d('Có yêu cầu đăng ký thường trú', 'Permanent residence requested')),
        joining: ResidenceJoining.default('BOTH_PARENTS'),
        address: Address.describe(d('Địa chỉ đăng ký thường trú', 'Address where permanent residence is requested')),
        householdHead: z
          .object({
            fullName: personName()
              .min(1)
              .max(100)
              .describe(d('Họ tên chủ hộ [DkttChuHo]', "Household head's full name")),
            personalId: PersonalIdNumber.describe(
              d('Số định danh của chủ hộ [DkttChuhoSoGiayTo]', "Household head's personal ID number"),
            ),
            relationship: z
              .enum(['CHILD', 'GRANDCHILD', 'WARD', 'OTHER'])
              .describe(
                d(
                  'Quan hệ của trẻ với chủ hộ: con / cháu / được giám hộ / khác [DkttMaQuanHe]',
                  "The child's relationship to the household head: child / grandchild / ward / other",
                ),
              ),
          })
          .describe(d('Chủ hộ', 'Household head')),
        headIsParent: z
          .enum(['FATHER', 'MOTHER', 'NEITHER'])
          .default('NEITHER')
          .describe(
            d('Cha hoặc mẹ là chủ hộ [DkttIsTtBo, DkttIsTtMe]', 'The father or the mother is the household head'),
          ),
        consent: ConsentMethod.default('NONE'),
      })
      .describe(d('Đăng ký thường trú', 'Permanent residence registration')),
    healthInsurance: z
      .object({
        initialCareFacility: text()
          .min(1)
          .max(200)
          .describe(d('Nơi đăng ký KCB ban đầu', 'Initial health-care facility')),
        initialCareFacilityCode: z
          .string()
          .regex(/^\d{5}$/, 'format.facilityCode')
          .optional()
          .describe(d('Mã nơi đăng ký KCB ban đầu (5 chữ số)', 'Code of the initial health-care facility (5 digits)')),
        guardianOnCard: z
          .enum(['FATHER', 'MOTHER', 'APPLICANT'])
          .optional()
          .describe(
            d(
              'Thông tin giám hộ trên thẻ: cha / mẹ / người yêu cầu (không chọn: cha, nếu không có thì mẹ, rồi người yêu cầu) [NguoiGiamHo]',
              'Guardian printed on the card: father / mother / applicant (if not chosen: the father, else the mother, else the applicant)',
            ),
          ),
        poorHousehold: z
          .object({ certificateNumber: text().min(1).max(50), issuedOn: isoDate })
          .optional()
          .describe(d('Giấy chứng nhận hộ nghèo (nếu có)', 'Poor-household certificate (optional)')),
      })
      .describe(d('Cấp thẻ BHYT', 'Health-insurance card')),
    idCard: z
      .object({ requested: z.boolean().default(false).describe(d('Có yêu cầu cấp thẻ căn cước', 'ID card requested')) })
      .default({ requested: false })
      .describe(
        d(
          'Cấp thẻ căn cước cho trẻ dưới 6 tuổi (Nghị định 301/2026, từ 01/09/2026)',
          'ID card for the child under 6 (Decree 301/2026, from 1 September 2026)',
        ),
      ),
    delivery: z
      .object({
        birth: Delivery.describe(d('Nhận kết quả khai sinh', 'Delivery of the birth certificate')),
        residence: Delivery.describe(d('Nhận thông báo kết quả thường trú', 'Delivery of the residence result')),
        healthInsurance: Delivery.describe(d('Nhận thẻ BHYT', 'Delivery of the health-insurance card')),
        idCard: Delivery.optional().describe(d('Nhận thẻ căn cước', 'Delivery of the ID card')),
        postalAddress: Address.optional().describe(
          d('Địa chỉ nhận qua bưu chính', 'Postal address for results sent by post'),
        ),
      })
      .describe(d('Cách nhận từng kết quả', 'Delivery of each result')),
    copies: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe(d('Số bản sao giấy khai sinh [BanSaoSoLuong]', 'Certified copies of the birth certificate')),
  })
  .describe(
    d('Hồ sơ liên thông khai sinh – thường trú – BHYT', 'Interconnected dossier: birth – residence – health insurance'),
  );

export type Dossier = z.infer<typeof Dossier>;

// ---------------------------------------------------------------------------------------------------------------
// zod issues → bilingual Issues
// ---------------------------------------------------------------------------------------------------------------

/** Messages of the named checks inside the schema (the zod `message` is the rule name). */
export const schemaRuleMessages: Record<string, { vi: string; en: string }> = {
  ...textRuleMessages,
  'format.date': { vi: 'phải là ngày có thật, dạng YYYY-MM-DD.', en: 'must be a real date written YYYY-MM-DD.' },
  'format.time': { vi: 'phải là giờ:phút hợp lệ (00:00–23:59).', en: 'must be a valid hour:minute (00:00–23:59).' },
  'format.personalId': { vi: 'phải gồm đúng 12 chữ số.', en: 'must be exactly 12 digits.' },
  'format.provinceCode': { vi: 'phải là mã tỉnh gồm 2 chữ số.', en: 'must be a 2-digit province code.' },
  'format.communeCode': { vi: 'phải là mã xã/phường gồm 5 chữ số.', en: 'must be a 5-digit commune code.' },
  'format.country': {
    vi: 'phải là mã quốc gia 2 chữ cái in hoa (VN, ...).',
    en: 'must be a 2-letter upper-case country code (VN, ...).',
  },
  'format.ethnicityCode': {
    vi: 'phải là mã dân tộc từ 01 đến 54, hoặc "OTHER".',
    en: 'must be an ethnicity code 01–54, or "OTHER".',
  },
  'format.facilityCode': { vi: 'phải là mã cơ sở y tế gồm 5 chữ số.', en: 'must be a 5-digit health-facility code.' },
  'format.insuranceCode': { vi: 'phải gồm 10 chữ số.', en: 'must be 10 digits.' },
  'format.phone': {
    vi: 'phải là số điện thoại Việt Nam (0xxxxxxxxx hoặc +84xxxxxxxxx).',
    en: 'must be a Vietnamese phone number (0xxxxxxxxx or +84xxxxxxxxx).',
  },
  'format.email': { vi: 'không phải địa chỉ thư điện tử hợp lệ.', en: 'is not a valid e-mail address.' },
  'ethnicity.otherNamed': {
    vi: 'cần ghi rõ tên dân tộc khi chọn "dân tộc khác".',
    en: 'must name the ethnicity when "other" is chosen.',
  },
  'parent.personalIdRequired': {
    vi: 'bắt buộc đối với công dân Việt Nam.',
    en: 'is required for a Vietnamese citizen.',
  },
  'parent.identityRequired': {
    vi: 'cần số định danh cá nhân hoặc giấy tờ tùy thân khác.',
    en: 'needs a personal ID number or another identity document.',
  },
  'birthCertificate.numberFormat': {
    vi: 'phải có dạng XXXXX.GCS.ZZZZZ.YY (5 số thứ tự, "GCS", 5 số mã cơ sở y tế, 2 số năm) theo Thông tư 22/2025.',
    en: 'must read XXXXX.GCS.ZZZZZ.YY (5-digit serial, "GCS", 5-digit facility code, 2-digit year) per Circular 22/2025.',
  },
  'address.legacyWardUnknown': {
    vi: 'mã xã/phường cũ không có trong bảng quy đổi đơn vị hành chính từ 01/07/2025.',
    en: 'the old ward code is not in the official mapping to the units in force since 1 July 2025.',
  },
};

type ZodIssue = z.core.$ZodIssue;

/** Walks the schema along a path to find the field's "vi · en" description (the nearest described level). */
const describedAt = (root: z.ZodType, path: PropertyKey[]): { vi: string; en: string } | undefined => {
  let node: unknown = root;
  let found: string | undefined;
  const descOf = (n: unknown) => (n as { description?: string }).description;
  const unwrap = (n: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const desc = descOf(n);
      if (desc) found = desc;
      const def = (n as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
      if (!def) return n;
      if (def.innerType) n = def.innerType;
      else if (def.type === 'pipe' && def.in) n = def.in;
      else return n;
    }
    return n;
  };
  node = unwrap(node);
  for (const key of path) {
    found = undefined;
    const def = (node as { _zod?: { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } } })
      ._zod?.def;
    if (def?.type === 'object' && typeof key === 'string' && def.shape?.[key]) node = unwrap(def.shape[key]);
    else if (def?.type === 'array' && def.element) node = unwrap(def.element);
    else return undefined;
  }
  if (!found) return undefined;
  const [vi, en] = found.split(' · ');
  return vi && en ? { vi: vi.replace(/\s*\[[^\]]*\]/g, ''), en } : undefined;
};

/** "Giới tính: Nam / Nữ" → the field's name and its `count` options in words; undefined when it lists none. */
const choicesIn = (
  label: string,
  count: number,
  fieldName?: string,
): { field: string; options: string[] } | undefined => {
  const at = label.indexOf(': ');
  if (at < 0) return undefined;
  const options = label
    .slice(at + 2)
    .replace(/\s*\([^)]*\)\s*$/, '')
    .split(' / ')
    .map((o) => o.trim());
  return options.length === count && options.every(Boolean)
    ? { field: fieldName ?? label.slice(0, at), options }
    : undefined;
};

/** The shared enums' own descriptions, by their codes ("ELECTRONIC|POST|PICKUP"), split into vi and en. */
const describedOptions: Record<string, { vi: string; en: string }> = Object.fromEntries(
  [Sex, Delivery, BirthCase, ConsentMethod, ResidenceJoining, BirthProof, ResidenceType].map((e) => {
    const [vi = '', en = ''] = (e.description ?? '').replace(/\s*\[[^\]]*\]/g, '').split(' · ');
    return [e.options.join('|'), { vi, en }];
  }),
);

const typeName = (t: unknown): { vi: string; en: string } => {
  switch (t) {
    case 'string':
      return { vi: 'chuỗi ký tự', en: 'text' };
    case 'number':
    case 'int':
      return { vi: 'số', en: 'a number' };
    case 'boolean':
      return { vi: 'đúng/sai', en: 'true/false' };
    case 'object':
      return { vi: 'một nhóm thông tin', en: 'a group of fields' };
    case 'array':
      return { vi: 'một danh sách', en: 'a list' };
    default:
      return { vi: String(t), en: String(t) };
  }
};

/** One zod issue → one Issue naming the field, in Vietnamese and English. */
export const issueFromZod = (zi: ZodIssue, root: z.ZodType = Dossier, input?: unknown): Issue => {
  const field = zi.path.map(String).join('.') || '(dossier)';
  const label = describedAt(root, zi.path) ?? { vi: `Trường "${field}"`, en: `Field "${field}"` };
  const named = schemaRuleMessages[zi.message];
  if (named) return issue(field, zi.message, `${label.vi}: ${named.vi}`, `${label.en}: ${named.en}`);
  const received = zi.path.reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined),
    input,
  );
  const rule = `schema.${zi.code}`;
  switch (zi.code) {
    case 'invalid_type': {
      if (received === undefined)
        return issue(field, 'schema.required', `${label.vi}: bắt buộc phải khai.`, `${label.en}: is required.`);
      const t = typeName(zi.expected);
      return issue(
        field,
        rule,
        `${label.vi}: sai kiểu dữ liệu, cần ${t.vi}.`,
        `${label.en}: wrong type, expected ${t.en}.`,
      );
    }
    case 'too_small': {
      const min = Number(zi.minimum);
      if (zi.origin === 'string') {
        return min <= 1
          ? issue(field, 'schema.required', `${label.vi}: không được để trống.`, `${label.en}: must not be empty.`)
          : issue(
              field,
              rule,
              `${label.vi}: quá ngắn (tối thiểu ${min} ký tự).`,
              `${label.en}: too short (at least ${min} characters).`,
            );
      }
      return issue(field, rule, `${label.vi}: phải từ ${min} trở lên.`, `${label.en}: must be at least ${min}.`);
    }
    case 'too_big': {
      const max = Number(zi.maximum);
      return zi.origin === 'string'
        ? issue(
            field,
            rule,
            `${label.vi}: quá dài (tối đa ${max} ký tự).`,
            `${label.en}: too long (at most ${max} characters).`,
          )
        : issue(field, rule, `${label.vi}: không được vượt quá ${max}.`, `${label.en}: must be at most ${max}.`);
    }
    case 'invalid_format':
      return issue(field, rule, `${label.vi}: sai định dạng.`, `${label.en}: wrong format.`);
    case 'invalid_value': {
      // A choice's description names its options in order ("Giới tính: Nam / Nữ · Sex: male / female"): the
      // message says the field and the options in words, not the codes (issue 12: "MALE, FEMALE" on the form).
      // An enum described again where it is used ("Nhận kết quả khai sinh") names its options in its own description.
      const own = describedOptions[zi.values.map(String).join('|')];
      const vi = choicesIn(label.vi, zi.values.length) ?? (own && choicesIn(own.vi, zi.values.length, label.vi));
      const en = choicesIn(label.en, zi.values.length) ?? (own && choicesIn(own.en, zi.values.length, label.en));
      const codes = zi.values.map(String);
      const named = vi && en ? { vi, en } : undefined;
      if (received === undefined || received === '')
        return issue(
          field,
          'schema.required',
          `${named?.vi.field ?? label.vi}: bắt buộc phải chọn${named ? ` (${named.vi.options.join(' / ')})` : ''}.`,
          `${named?.en.field ?? label.en}: must be chosen${named ? ` (${named.en.options.join(' / ')})` : ''}.`,
        );
      return issue(
        field,
        rule,
        `${named?.vi.field ?? label.vi}: giá trị không hợp lệ, chọn một trong: ${(named?.vi.options ?? codes).join(', ')}.`,
        `${named?.en.field ?? label.en}: invalid value, choose one of: ${(named?.en.options ?? codes).join(', ')}.`,
      );
    }
    case 'unrecognized_keys':
      return issue(
        field,
        rule,
        `${label.vi}: có trường không được phép: ${zi.keys.join(', ')}.`,
        `${label.en}: unknown fields: ${zi.keys.join(', ')}.`,
      );
    case 'not_multiple_of':
      return issue(field, rule, `${label.vi}: phải là số nguyên.`, `${label.en}: must be a whole number.`);
    default:
      return issue(field, rule, `${label.vi}: không hợp lệ.`, `${label.en}: is invalid.`);
  }
};

/** Paths of the addresses a dossier can carry (for legacy-code mapping and the address rules). */
export const ADDRESS_PATHS = [
  ['child', 'placeOfBirth', 'address'],
  ['mother', 'residence'],
  ['father', 'residence'],
  ['foundling', 'foundAt'],
  ['applicant', 'address'],
  ['residence', 'address'],
  ['delivery', 'postalAddress'],
] as const;

/**
 * Before validation: an address that gives only a legacy (pre-1 July 2025) ward code gets the new commune (and its
 * province) filled in from the official mapping. The mapping is reported later by `normalizeDossierAddresses`.
 */
const fillLegacyCommunes = (input: unknown): { value: unknown; issues: Issue[] } => {
  if (!input || typeof input !== 'object') return { value: input, issues: [] };
  const value = structuredClone(input) as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const path of ADDRESS_PATHS) {
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), value);
    const key = path[path.length - 1]!;
    const addr = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
    if (!addr || typeof addr !== 'object') continue;
    const a = addr as Record<string, unknown>;
    if (typeof a.legacyWardCode !== 'string' || a.communeCode !== undefined) continue;
    const mapped = mapOldWard(a.legacyWardCode);
    if (mapped) {
      a.communeCode = mapped.commune.code;
      a.provinceCode ??= mapped.commune.provinceCode;
    } else {
      const m = schemaRuleMessages['address.legacyWardUnknown']!;
      issues.push(
        issue(
          `${path.join('.')}.legacyWardCode`,
          'address.legacyWardUnknown',
          `Mã xã/phường cũ: ${m.vi}`,
          `Old ward code: ${m.en}`,
        ),
      );
    }
  }
  return { value, issues };
};

/** Validates a dossier; on failure every problem is listed with its field and a message in Vietnamese and English. */
export const parseDossier = (input: unknown): { ok: true; dossier: Dossier } | { ok: false; issues: Issue[] } => {
  const pre = fillLegacyCommunes(input);
  const r = Dossier.safeParse(pre.value);
  if (r.success && pre.issues.length === 0) return { ok: true, dossier: r.data };
  const zodIssues = r.success ? [] : r.error.issues.map((zi) => issueFromZod(zi, Dossier, pre.value));
  // An unmapped legacy code also shows up as a missing commune code: report it once, as the legacy problem.
  const legacyFields = new Set(pre.issues.map((i) => i.field.replace(/\.legacyWardCode$/, '.communeCode')));
  return { ok: false, issues: [...pre.issues, ...zodIssues.filter((i) => !legacyFields.has(i.field))] };
};
