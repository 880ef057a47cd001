/**
 * The one dossier (hồ sơ liên thông) as a zod schema: the schema is the documentation (domain.md §5.2).
 * Every field says what it is in Vietnamese and English. The API, the steps and the web form use this schema.
 */
import { z } from 'zod';

const d = (vi: string, en: string) => `${vi} · ${en}`;

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'date');

export const PersonalIdNumber = z
  .string()
  .regex(/^\d{12}$/)
  .describe(d('Số định danh cá nhân (12 chữ số)', '12-digit personal identification number'));

export const Sex = z.enum(['MALE', 'FEMALE']).describe(d('Giới tính: Nam / Nữ', 'Sex: male / female'));

export const Address = z
  .object({
    provinceCode: z.string().regex(/^\d{2}$/).describe(d('Mã tỉnh/thành phố (34 đơn vị từ 01/07/2025)', 'Province code (34 units since 1 July 2025)')),
    communeCode: z.string().regex(/^\d{5}$/).describe(d('Mã xã/phường/đặc khu', 'Commune / ward / special-zone code')),
    detail: z.string().trim().min(1).max(200).describe(d('Số nhà, đường, thôn, tổ', 'House number, street, hamlet')),
  })
  .describe(d('Địa chỉ theo đơn vị hành chính hai cấp', 'Address in the two-level administrative units'));

export const Ethnicity = z
  .object({
    code: z.string().min(1).max(3).describe(d('Mã dân tộc (danh mục 54 dân tộc); "OTHER" nếu không có trong danh mục', 'Ethnicity code (54 groups); "OTHER" if not listed')),
    other: z.string().trim().max(50).optional().describe(d('Dân tộc khác (ghi rõ)', 'Other ethnicity (free text)')),
  })
  .describe(d('Dân tộc', 'Ethnicity'));

const namePart = (vi: string, en: string) => z.string().trim().min(1).max(30).describe(d(vi, en));

export const Parent = z
  .object({
    fullName: z.string().trim().min(1).max(100).describe(d('Họ, chữ đệm và tên', 'Full name')),
    dateOfBirth: isoDate.describe(d('Ngày sinh', 'Date of birth')),
    personalId: PersonalIdNumber,
    ethnicity: Ethnicity,
    nationality: z.string().length(2).default('VN').describe(d('Quốc tịch (mã ISO 3166-1)', 'Nationality (ISO 3166-1 code)')),
    residence: Address.describe(d('Nơi cư trú', 'Place of residence')),
  })
  .describe(d('Thông tin cha hoặc mẹ', "A parent's details"));
export type Parent = z.infer<typeof Parent>;

export const BirthCase = z
  .enum(['BOTH_PARENTS', 'FATHER_UNKNOWN', 'MOTHER_UNKNOWN', 'NEITHER_KNOWN', 'ABANDONED'])
  .describe(d('Trường hợp khai sinh: đủ cha mẹ / chưa xác định cha / chưa xác định mẹ / chưa xác định cả cha và mẹ / trẻ bị bỏ rơi', 'Birth case: both parents / father unknown / mother unknown / neither known / abandoned child'));

export const Delivery = z
  .enum(['ELECTRONIC', 'POST', 'PICKUP'])
  .describe(d('Cách nhận kết quả: bản điện tử / bưu chính công ích / nhận trực tiếp', 'Result delivery: electronic only / public postal service / pick-up'));

export const Dossier = z
  .object({
    birthCase: BirthCase,
    registrationCommuneCode: z.string().regex(/^\d{5}$/).describe(d('Mã xã nơi đăng ký khai sinh (nơi cư trú của cha hoặc mẹ)', 'Commune where the birth is registered (a parent’s residence)')),
    child: z
      .object({
        surname: namePart('Họ', 'Surname'),
        middleName: z.string().trim().max(50).default('').describe(d('Chữ đệm', 'Middle name(s)')),
        givenName: namePart('Tên', 'Given name'),
        sex: Sex,
        dateOfBirth: isoDate.describe(d('Ngày sinh', 'Date of birth')),
        timeOfBirth: z.string().regex(/^\d{2}:\d{2}$/).optional().describe(d('Giờ, phút sinh', 'Time of birth (HH:MM)')),
        birthOrder: z.number().int().min(1).max(10).default(1).describe(d('Con thứ mấy trong lần sinh (sinh đôi: 1, 2)', 'Order within the birth (twins: 1, 2)')),
        ethnicity: Ethnicity,
        nationality: z.string().length(2).default('VN').describe(d('Quốc tịch', 'Nationality')),
        placeOfBirth: z
          .object({
            country: z.string().length(2).default('VN'),
            address: Address,
            facilityName: z.string().trim().max(200).optional().describe(d('Tên cơ sở y tế', 'Health facility name')),
          })
          .describe(d('Nơi sinh', 'Place of birth')),
        hometown: z
          .object({ country: z.string().length(2).default('VN'), provinceCode: z.string().regex(/^\d{2}$/), communeCode: z.string().regex(/^\d{5}$/).optional() })
          .describe(d('Quê quán', 'Hometown')),
      })
      .describe(d('Thông tin trẻ', "The child's details")),
    mother: Parent.optional().describe(d('Thông tin mẹ', "The mother's details")),
    father: Parent.optional().describe(d('Thông tin cha', "The father's details")),
    marriage: z
      .object({
        certificateNumber: z.string().trim().min(1).max(30),
        bookNumber: z.string().trim().max(30).optional(),
        issuedOn: isoDate,
        issuedBy: z.string().trim().min(1).max(200),
      })
      .optional()
      .describe(d('Giấy chứng nhận kết hôn của cha mẹ (nếu có)', "Parents' marriage certificate (if married)")),
    applicant: z
      .object({
        fullName: z.string().trim().min(1).max(100),
        personalId: PersonalIdNumber,
        relationship: z.enum(['FATHER', 'MOTHER', 'GRANDPARENT', 'GUARDIAN', 'OTHER_RELATIVE']).describe(d('Quan hệ với trẻ', 'Relationship to the child')),
        phone: z.string().regex(/^(\+84|0)\d{9,10}$/).describe(d('Số điện thoại', 'Phone number')),
        email: z.email().optional(),
      })
      .describe(d('Người yêu cầu', 'Applicant')),
    birthCertificate: z
      .object({
        number: z.string().describe(d('Số giấy chứng sinh (XXXXX.GCS.ZZZZZ.YY)', 'Birth-certificate number (XXXXX.GCS.ZZZZZ.YY)')),
        facilityCode: z.string().regex(/^\d{5}$/).optional(),
        issuedOn: isoDate,
        sex: z.enum(['MALE', 'FEMALE', 'UNDETERMINED']).describe(d('Giới tính ghi trên giấy chứng sinh', 'Sex on the birth certificate')),
        weightGrams: z.number().int().min(300).max(7000).optional(),
      })
      .optional()
      .describe(d('Giấy chứng sinh (Thông tư 22/2025)', 'Birth certificate (Circular 22/2025)')),
    residence: z
      .object({
        requested: z.boolean().default(true),
        address: Address.describe(d('Địa chỉ đăng ký thường trú', 'Address where permanent residence is requested')),
        householdHead: z.object({ fullName: z.string().trim().min(1).max(100), personalId: PersonalIdNumber, relationship: z.enum(['CHILD', 'GRANDCHILD', 'WARD', 'OTHER']) }),
        headIsParent: z.enum(['FATHER', 'MOTHER', 'NEITHER']).default('NEITHER'),
        consent: z.enum(['PAPER_CT01', 'VNEID', 'NONE']).default('NONE').describe(d('Ý kiến đồng ý của chủ hộ: ký CT01 / xác nhận qua VNeID / không có', "Household head's consent: CT01 signature / VNeID confirmation / none")),
      })
      .describe(d('Đăng ký thường trú', 'Permanent residence registration')),
    healthInsurance: z
      .object({
        initialCareFacility: z.string().trim().min(1).max(200).describe(d('Nơi đăng ký KCB ban đầu', 'Initial health-care facility')),
        guardianOnCard: z.enum(['FATHER', 'MOTHER', 'APPLICANT']).default('FATHER').describe(d('Thông tin giám hộ trên thẻ', 'Guardian printed on the card')),
      })
      .describe(d('Cấp thẻ BHYT', 'Health-insurance card')),
    idCard: z.object({ requested: z.boolean().default(false) }).default({ requested: false }).describe(d('Cấp thẻ căn cước cho trẻ (Nghị định 301/2026)', 'ID card for the child (Decree 301/2026)')),
    delivery: z
      .object({ birth: Delivery, residence: Delivery, healthInsurance: Delivery, idCard: Delivery.optional() })
      .describe(d('Cách nhận từng kết quả', 'Delivery of each result')),
    copies: z.number().int().min(0).max(10).default(0).describe(d('Số bản sao giấy khai sinh', 'Certified copies of the birth certificate')),
  })
  .describe(d('Hồ sơ liên thông khai sinh – thường trú – BHYT', 'Interconnected dossier: birth – residence – health insurance'));

export type Dossier = z.infer<typeof Dossier>;
export type DossierInput = z.input<typeof Dossier>;
