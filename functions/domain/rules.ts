/**
 * Rules a dossier must pass at filing. Each rule is a named function returning the issues it finds, with the field,
 * the rule name and a message in Vietnamese and English an officer understands; `checkDossier` runs them all on the
 * dossier with its addresses mapped to the units in force. Findings that must be SEEN but do not block filing
 * (late registration, mapped addresses, marriage after the birth, ...) are `notes` (see `dossierNotes`).
 * Every rule is listed in docs/rules.md with its legal basis and confidence.
 */
import { communeByCode, communeLabel, mapOldWard, provinceByCode } from './addresses.js';
import {
  addCalendarDays,
  countingDay,
  formatVnDay,
  isWorkingDay,
  nextWorkingDay,
  vnDate,
  vnInstant,
} from './calendar.js';
import { ADDRESS_PATHS, type Address, BIRTH_CERTIFICATE_NUMBER, type Dossier, parseDossier } from './dossier.js';
import { type Issue, issue } from './errors.js';
import { reaches72Months } from './healthInsuranceCard.js';
import { personalIdProblem } from './personalId.js';
import { idCardOffered, idCardRequestedFor, type Regime, regimeFor } from './regime.js';

// ---------------------------------------------------------------------------------------------------------------
// Configuration: defaults for the [L]/[M] rules (docs/rules.md)
// ---------------------------------------------------------------------------------------------------------------

export const ruleConfig = {
  /** Law 60/2014 Art. 15: register within 60 days of the birth. [H] */
  lateRegistrationDays: 60,
  /** Civil Code 2015 Art. 148 (from memory): a period ending on a day off ends on the next working day. [L] */
  lateDeadlineMovesToWorkingDay: true,
  /** Parent's age at the birth considered plausible (years). [L] */
  minParentAgeAtBirth: 13,
  maxParentAgeAtBirth: 70,
  /** Law on Marriage and Family 2014 Art. 8: men from 20, women from 18. [H] */
  marriageAge: { FATHER: 20, MOTHER: 18 },
  /** Residence Law as amended (Dec 2025), in force 1 July 2026: no household-head consent for a child under 6. [H] */
  consentExemptionFrom: '2026-07-01',
  /** Whom the child may join without consent: a parent or a guardian (domain.md §2.1, §6.2). [H] */
  consentExemptJoining: ['MOTHER', 'FATHER', 'BOTH_PARENTS', 'GUARDIAN'] as Dossier['residence']['joining'][],
  /** Decree 123/2015 Art. 14: an abandoned child is posted 7 consecutive days before registration. [H] */
  abandonmentPostingDays: 7,
};

// ---------------------------------------------------------------------------------------------------------------
// Context, notes
// ---------------------------------------------------------------------------------------------------------------

export interface DuplicateKey {
  kind: 'BIRTH_CERT' | 'MOTHER_BIRTH' | 'FATHER_BIRTH' | 'FOUNDLING';
  value: string;
}

export interface RuleContext {
  /** When the dossier is received (the injectable clock's now). */
  receivedAt: Date;
}

export type Rule = (dossier: Dossier, ctx: RuleContext) => Issue[];

/** A finding that does not block filing but must be shown to the officer (and recorded on the case). */
export interface Note {
  kind:
    | 'LATE_REGISTRATION'
    | 'ADDRESS_MAPPED'
    | 'MARRIAGE_AFTER_BIRTH'
    | 'CONSENT_EXEMPT'
    | 'ID_CARD_BRANCH'
    | 'HOMETOWN_LEGACY_UNIT';
  field: string;
  message: { vi: string; en: string };
  data?: Record<string, unknown>;
}

const receiptDay = (ctx: RuleContext) => vnDate(ctx.receivedAt);

const yearsBetween = (from: string, to: string) => {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
};

const parents = (d: Dossier) =>
  (['mother', 'father'] as const).flatMap((role) => {
    const p = d[role];
    return p ? [{ role, p }] : [];
  });

const roleName = { mother: { vi: 'mẹ', en: "mother's" }, father: { vi: 'cha', en: "father's" } } as const;

// ---------------------------------------------------------------------------------------------------------------
// The child
// ---------------------------------------------------------------------------------------------------------------

/**
 * Decree 63/2024 (domain.md §0, §8): the bundle is for children under 6 (72 months). On the day the child reaches
 * 72 months it is no longer under 6.
 */
export const childUnderSix: Rule = (d, ctx) =>
  receiptDay(ctx) >= reaches72Months(d.child.dateOfBirth)
    ? [
        issue(
          'child.dateOfBirth',
          'child.underSix',
          `Ngày sinh: trẻ đã đủ 72 tháng tuổi từ ngày ${formatVnDay(reaches72Months(d.child.dateOfBirth))}; thủ tục liên thông chỉ dành cho trẻ dưới 6 tuổi.`,
          `Date of birth: the child reached 72 months on ${formatVnDay(reaches72Months(d.child.dateOfBirth))}; the interconnected procedure is only for children under 6.`,
        ),
      ]
    : [];

export const birthNotInFuture: Rule = (d, ctx) =>
  d.child.dateOfBirth > receiptDay(ctx)
    ? [
        issue(
          'child.dateOfBirth',
          'child.birthNotInFuture',
          'Ngày sinh của trẻ không được sau ngày nộp hồ sơ.',
          "The child's date of birth cannot be after the filing date.",
        ),
      ]
    : [];

/** A child born today cannot have a time of birth later than the receipt. */
export const timeOfBirthValid: Rule = (d, ctx) => {
  const t = d.child.timeOfBirth;
  if (!t || d.child.dateOfBirth !== receiptDay(ctx)) return [];
  return vnInstant(d.child.dateOfBirth, t).getTime() > ctx.receivedAt.getTime()
    ? [
        issue(
          'child.timeOfBirth',
          'child.timeOfBirthValid',
          'Giờ sinh: trẻ sinh hôm nay nhưng giờ sinh muộn hơn giờ nộp hồ sơ.',
          'Time of birth: the child was born today but the time of birth is after the filing time.',
        ),
      ]
    : [];
};

/** Circular 22/2025: a birth certificate may say "undetermined", but birth registration accepts only male or female. */
export const sexDetermined: Rule = (d) =>
  d.birthCertificate?.sex === 'UNDETERMINED'
    ? [
        issue(
          'birthCertificate.sex',
          'birthCertificate.sexDetermined',
          'Giới tính trên giấy chứng sinh là "chưa xác định": chưa thể đăng ký khai sinh (chỉ ghi Nam hoặc Nữ); cần cơ sở y tế xác định giới tính.',
          'Sex on the birth certificate is "undetermined": the birth cannot be registered (only male or female); the health facility must determine the sex.',
        ),
      ]
    : [];

/** The sex declared for the child is the one on the birth certificate. */
export const sexMatchesCertificate: Rule = (d) => {
  const s = d.birthCertificate?.sex;
  return s && s !== 'UNDETERMINED' && s !== d.child.sex
    ? [
        issue(
          'child.sex',
          'child.sexMatchesCertificate',
          'Giới tính của trẻ khác với giới tính ghi trên giấy chứng sinh.',
          "The child's sex differs from the sex on the birth certificate.",
        ),
      ]
    : [];
};

// ---------------------------------------------------------------------------------------------------------------
// Parents, applicant
// ---------------------------------------------------------------------------------------------------------------

/** Decree 123/2015 (domain.md §5.2, §8): which parents' details the birth case requires or forbids. */
export const parentsMatchBirthCase: Rule = (d) => {
  const out: Issue[] = [];
  const needMother = d.birthCase === 'BOTH_PARENTS' || d.birthCase === 'FATHER_UNKNOWN';
  const needFather = d.birthCase === 'BOTH_PARENTS' || d.birthCase === 'MOTHER_UNKNOWN';
  if (needMother && !d.mother)
    out.push(
      issue(
        'mother',
        'parents.matchBirthCase',
        'Thông tin mẹ: bắt buộc với trường hợp khai sinh này.',
        "Mother's details: required for this birth case.",
      ),
    );
  if (needFather && !d.father)
    out.push(
      issue(
        'father',
        'parents.matchBirthCase',
        'Thông tin cha: bắt buộc với trường hợp khai sinh này.',
        "Father's details: required for this birth case.",
      ),
    );
  if (!needMother && d.mother)
    out.push(
      issue(
        'mother',
        'parents.matchBirthCase',
        'Thông tin mẹ: phải để trống vì trường hợp khai sinh là chưa xác định được mẹ.',
        "Mother's details: must be blank, the birth case says the mother is not identified.",
      ),
    );
  if (!needFather && d.father)
    out.push(
      issue(
        'father',
        'parents.matchBirthCase',
        'Thông tin cha: phải để trống vì trường hợp khai sinh là chưa xác định được cha (nếu cha nhận con, dùng thủ tục khai sinh kết hợp nhận cha con).',
        "Father's details: must be blank, the birth case says the father is not identified (a father acknowledging the child uses the combined birth + acknowledgement procedure).",
      ),
    );
  return out;
};

/** Decree 137/2015 Art. 13 (domain.md §7.2): each parent's personal ID matches their century of birth, sex and year. */
export const parentPersonalIds: Rule = (d) =>
  parents(d).flatMap(({ role, p }) => {
    const problem = p.personalId
      ? personalIdProblem(p.personalId, p.dateOfBirth, role === 'mother' ? 'FEMALE' : 'MALE')
      : undefined;
    return problem
      ? [
          issue(
            `${role}.personalId`,
            problem.rule,
            `Số định danh của ${roleName[role].vi}: ${problem.vi}`,
            `The ${roleName[role].en} personal ID: ${problem.en}`,
          ),
        ]
      : [];
  });

/** Decree 137/2015 Art. 13: the applicant's personal ID matches their date of birth and sex, when declared. */
export const applicantPersonalId: Rule = (d) => {
  const a = d.applicant;
  if (!a.dateOfBirth) return [];
  const problem = personalIdProblem(a.personalId, a.dateOfBirth, a.sex);
  return problem
    ? [
        issue(
          'applicant.personalId',
          problem.rule,
          `Số định danh của người yêu cầu: ${problem.vi}`,
          `The applicant's personal ID: ${problem.en}`,
        ),
      ]
    : [];
};

/** Law 60/2014 Art. 15: an applicant who says they are the father or mother is that parent of the dossier. */
export const applicantIsDeclaredParent: Rule = (d) => {
  const rel = d.applicant.relationship;
  if (rel !== 'FATHER' && rel !== 'MOTHER') return [];
  const p = rel === 'FATHER' ? d.father : d.mother;
  const who = rel === 'FATHER' ? { vi: 'cha', en: 'father' } : { vi: 'mẹ', en: 'mother' };
  if (!p)
    return [
      issue(
        'applicant.relationship',
        'applicant.isDeclaredParent',
        `Người yêu cầu khai là ${who.vi} nhưng hồ sơ không có thông tin ${who.vi}.`,
        `The applicant says they are the ${who.en} but the dossier has no ${who.en}.`,
      ),
    ];
  return p.personalId && p.personalId !== d.applicant.personalId
    ? [
        issue(
          'applicant.personalId',
          'applicant.isDeclaredParent',
          `Người yêu cầu khai là ${who.vi} nhưng số định danh khác với số định danh của ${who.vi} trong hồ sơ.`,
          `The applicant says they are the ${who.en} but their personal ID differs from the ${who.en}'s.`,
        ),
      ]
    : [];
};

/** Parents' ages at the birth are plausible (default 13–70) and their dates of birth are before the child's. [L] */
export const parentsAgePlausible: Rule = (d) =>
  parents(d).flatMap(({ role, p }) => {
    const age = yearsBetween(p.dateOfBirth, d.child.dateOfBirth);
    const { minParentAgeAtBirth: min, maxParentAgeAtBirth: max } = ruleConfig;
    if (age >= min && age < max) return [];
    return [
      issue(
        `${role}.dateOfBirth`,
        'parents.agePlausible',
        `Ngày sinh của ${roleName[role].vi}: ${age < 0 ? 'sau ngày sinh của trẻ' : `${age} tuổi khi sinh con`}, ngoài khoảng hợp lý ${min}–${max} tuổi; kiểm tra lại.`,
        `The ${roleName[role].en} date of birth: ${age < 0 ? "after the child's birth" : `aged ${age} at the birth`}, outside the plausible ${min}–${max}; check it.`,
      ),
    ];
  });

/**
 * Marriage certificate: not after the filing date, parents of marriageable age on that date (Law on Marriage and
 * Family 2014 Art. 8), and no marriage with "father unknown" (Art. 88: a child born in marriage is presumed the
 * husband's). A marriage registered after the birth is allowed (Art. 88(1)) and shown as a note.
 */
export const marriagePlausible: Rule = (d, ctx) => {
  const m = d.marriage;
  if (!m) return [];
  const out: Issue[] = [];
  if (m.issuedOn > receiptDay(ctx))
    out.push(
      issue(
        'marriage.issuedOn',
        'marriage.datePlausible',
        'Ngày đăng ký kết hôn không được sau ngày nộp hồ sơ.',
        'The marriage date cannot be after the filing date.',
      ),
    );
  for (const { role, p } of parents(d)) {
    const min = ruleConfig.marriageAge[role === 'mother' ? 'MOTHER' : 'FATHER'];
    if (yearsBetween(p.dateOfBirth, m.issuedOn) < min) {
      out.push(
        issue(
          'marriage.issuedOn',
          'marriage.datePlausible',
          `Ngày đăng ký kết hôn: ${roleName[role].vi} chưa đủ ${min} tuổi vào ngày đó; kiểm tra lại ngày kết hôn hoặc ngày sinh.`,
          `Marriage date: the ${role} was under ${min} on that date; check the marriage date or the date of birth.`,
        ),
      );
    }
  }
  if (d.birthCase === 'FATHER_UNKNOWN' || d.birthCase === 'NEITHER_KNOWN' || d.birthCase === 'ABANDONED') {
    out.push(
      issue(
        'marriage',
        'marriage.consistentWithBirthCase',
        'Giấy chứng nhận kết hôn: hồ sơ khai chưa xác định cha nhưng có đăng ký kết hôn; con sinh trong thời kỳ hôn nhân được xác định là con chung (Luật Hôn nhân và gia đình 2014 Điều 88).',
        'Marriage certificate: the dossier says the father is unknown yet lists a marriage; a child born in marriage is presumed the husband’s (Law on Marriage and Family 2014 Art. 88).',
      ),
    );
  }
  return out;
};

// ---------------------------------------------------------------------------------------------------------------
// Birth certificate and proof of birth
// ---------------------------------------------------------------------------------------------------------------

/** Decree 63/2024 Art. 5(2), Law 60/2014 Art. 16: the birth is proven by the certificate or an allowed substitute. */
export const birthProofPresent: Rule = (d) => {
  if (d.birthProof === 'BIRTH_CERTIFICATE' && !d.birthCertificate) {
    return [
      issue(
        'birthCertificate',
        'birth.proofPresent',
        'Giấy chứng sinh: bắt buộc (hoặc chọn giấy tờ thay thế: văn bản xác nhận của người làm chứng, giấy cam đoan).',
        'Birth certificate: required (or choose a substitute: witness confirmation, written commitment).',
      ),
    ];
  }
  if (d.birthCase === 'ABANDONED' && d.birthProof !== 'ABANDONMENT_RECORD') {
    return [
      issue(
        'birthProof',
        'birth.proofPresent',
        'Trẻ bị bỏ rơi: cần biên bản xác nhận việc trẻ bị bỏ rơi.',
        'Abandoned child: the abandonment record is required.',
      ),
    ];
  }
  return [];
};

/**
 * Circular 22/2025 (domain.md §5.3): the certificate number's facility code and year agree with the certificate;
 * it is issued on or after the birth and not after the filing; its date and time of birth agree with the child's.
 */
export const birthCertificateConsistent: Rule = (d, ctx) => {
  const c = d.birthCertificate;
  if (!c) return [];
  const out: Issue[] = [];
  const m = BIRTH_CERTIFICATE_NUMBER.exec(c.number);
  if (m) {
    if (c.facilityCode && m[2] !== c.facilityCode) {
      out.push(
        issue(
          'birthCertificate.number',
          'birthCertificate.consistent',
          `Số giấy chứng sinh: mã cơ sở y tế ${m[2]} khác với mã cơ sở ${c.facilityCode}.`,
          `Birth-certificate number: facility code ${m[2]} differs from the facility code ${c.facilityCode}.`,
        ),
      );
    }
    if (m[3] !== c.issuedOn.slice(2, 4)) {
      out.push(
        issue(
          'birthCertificate.number',
          'birthCertificate.consistent',
          `Số giấy chứng sinh: hai số cuối (năm ${m[3]}) khác với năm cấp ${c.issuedOn.slice(0, 4)}.`,
          `Birth-certificate number: the last two digits (year ${m[3]}) differ from the year of issue ${c.issuedOn.slice(0, 4)}.`,
        ),
      );
    }
  }
  if (c.issuedOn < d.child.dateOfBirth)
    out.push(
      issue(
        'birthCertificate.issuedOn',
        'birthCertificate.consistent',
        'Ngày cấp giấy chứng sinh trước ngày sinh của trẻ.',
        "The birth certificate was issued before the child's date of birth.",
      ),
    );
  if (c.issuedOn > receiptDay(ctx))
    out.push(
      issue(
        'birthCertificate.issuedOn',
        'birthCertificate.consistent',
        'Ngày cấp giấy chứng sinh sau ngày nộp hồ sơ.',
        'The birth certificate is dated after the filing date.',
      ),
    );
  if (c.dateOfBirth && c.dateOfBirth !== d.child.dateOfBirth)
    out.push(
      issue(
        'child.dateOfBirth',
        'birthCertificate.consistent',
        'Ngày sinh của trẻ khác với ngày sinh ghi trên giấy chứng sinh.',
        "The child's date of birth differs from the one on the birth certificate.",
      ),
    );
  if (c.timeOfBirth && d.child.timeOfBirth && c.timeOfBirth !== d.child.timeOfBirth)
    out.push(
      issue(
        'child.timeOfBirth',
        'birthCertificate.consistent',
        'Giờ sinh của trẻ khác với giờ sinh ghi trên giấy chứng sinh.',
        "The child's time of birth differs from the one on the birth certificate.",
      ),
    );
  if (d.child.birthOrder > c.childrenBorn)
    out.push(
      issue(
        'child.birthOrder',
        'birthCertificate.consistent',
        `Thứ tự con trong lần sinh (${d.child.birthOrder}) lớn hơn số con sinh ra ghi trên giấy chứng sinh (${c.childrenBorn}).`,
        `Order within the birth (${d.child.birthOrder}) exceeds the number of children born on the certificate (${c.childrenBorn}).`,
      ),
    );
  return out;
};

// ---------------------------------------------------------------------------------------------------------------
// Abandoned child / parents unknown
// ---------------------------------------------------------------------------------------------------------------

/** Decree 123/2015 Art. 14: an abandoned child is recorded where found and posted 7 consecutive days first. [H] */
export const foundlingRecorded: Rule = (d, ctx) => {
  if (d.birthCase !== 'ABANDONED') return [];
  const f = d.foundling;
  if (!f)
    return [
      issue(
        'foundling',
        'foundling.recorded',
        'Trẻ bị bỏ rơi: cần khai nơi, ngày phát hiện và số biên bản.',
        'Abandoned child: where and when the child was found, and the record number, are required.',
      ),
    ];
  if (!f.postedFrom)
    return [
      issue(
        'foundling.postedFrom',
        'foundling.postingComplete',
        'Trẻ bị bỏ rơi: cần ngày bắt đầu niêm yết 7 ngày tại UBND xã.',
        'Abandoned child: the first day of the 7-day posting at the commune is required.',
      ),
    ];
  const endsAfter = addCalendarDays(f.postedFrom, ruleConfig.abandonmentPostingDays - 1);
  return receiptDay(ctx) <= endsAfter
    ? [
        issue(
          'foundling.postedFrom',
          'foundling.postingComplete',
          `Trẻ bị bỏ rơi: việc niêm yết 7 ngày chưa kết thúc (hết ngày ${formatVnDay(endsAfter)}).`,
          `Abandoned child: the 7-day posting has not ended (ends ${formatVnDay(endsAfter)}).`,
        ),
      ]
    : [];
};

// ---------------------------------------------------------------------------------------------------------------
// Competence, addresses
// ---------------------------------------------------------------------------------------------------------------

/**
 * Law 60/2014 Art. 13: the commune of either parent's residence registers the birth. Neither parent known, or an
 * abandoned child (Decree 123/2015 Art. 14): the commune where the child was found (else where born).
 */
export const competentCommune: Rule = (d) => {
  const known = parents(d).map(({ p }) => p.residence.communeCode);
  if (known.length > 0) {
    return known.includes(d.registrationCommuneCode)
      ? []
      : [
          issue(
            'registrationCommuneCode',
            'commune.competent',
            'Nơi đăng ký khai sinh: phải là UBND xã nơi cư trú của cha hoặc mẹ.',
            'Registering commune: must be the commune where the father or the mother resides.',
          ),
        ];
  }
  const where = d.foundling?.foundAt.communeCode ?? d.child.placeOfBirth.address.communeCode;
  return where === d.registrationCommuneCode
    ? []
    : [
        issue(
          'registrationCommuneCode',
          'commune.competent',
          'Nơi đăng ký khai sinh: trẻ chưa xác định cha mẹ phải đăng ký tại UBND xã nơi phát hiện trẻ (hoặc nơi trẻ sinh ra).',
          'Registering commune: a child whose parents are unknown is registered by the commune where the child was found (or born).',
        ),
      ];
};

const addressesOf = (d: Dossier): { field: string; a: Address }[] =>
  ADDRESS_PATHS.flatMap((path) => {
    const a = path.reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      d,
    );
    return a ? [{ field: path.join('.'), a: a as Address }] : [];
  });

/**
 * Law 72/2025/QH15, Resolution 202/2025/QH15 (domain.md §9): every commune is one of the 3,321 units in force and
 * belongs to the given province; a legacy ward code agrees with the commune it maps to.
 */
export const addressesExist: Rule = (d) => {
  const out: Issue[] = [];
  const reg = communeByCode(d.registrationCommuneCode);
  if (!reg)
    out.push(
      issue(
        'registrationCommuneCode',
        'address.communeExists',
        `Nơi đăng ký khai sinh: mã xã ${d.registrationCommuneCode} không có trong danh mục đơn vị hành chính từ 01/07/2025.`,
        `Registering commune: code ${d.registrationCommuneCode} is not in the list of units in force since 1 July 2025.`,
      ),
    );
  for (const { field, a } of addressesOf(d)) {
    const c = communeByCode(a.communeCode);
    if (!c) {
      out.push(
        issue(
          `${field}.communeCode`,
          'address.communeExists',
          `Địa chỉ (${field}): mã xã ${a.communeCode} không có trong danh mục đơn vị hành chính từ 01/07/2025.`,
          `Address (${field}): commune code ${a.communeCode} is not in the list of units in force since 1 July 2025.`,
        ),
      );
      continue;
    }
    if (c.provinceCode !== a.provinceCode) {
      out.push(
        issue(
          `${field}.provinceCode`,
          'address.communeInProvince',
          `Địa chỉ (${field}): ${c.name} thuộc ${provinceByCode(c.provinceCode)?.name}, không thuộc tỉnh mã ${a.provinceCode}.`,
          `Address (${field}): ${c.name} is in ${provinceByCode(c.provinceCode)?.name}, not in province ${a.provinceCode}.`,
        ),
      );
    }
    if (a.legacyWardCode) {
      const m = mapOldWard(a.legacyWardCode);
      if (!m)
        out.push(
          issue(
            `${field}.legacyWardCode`,
            'address.legacyWardUnknown',
            `Địa chỉ (${field}): mã xã/phường cũ ${a.legacyWardCode} không có trong bảng quy đổi.`,
            `Address (${field}): old ward code ${a.legacyWardCode} is not in the official mapping.`,
          ),
        );
      else if (m.commune.code !== a.communeCode) {
        out.push(
          issue(
            `${field}.communeCode`,
            'address.legacyWardMismatch',
            `Địa chỉ (${field}): ${m.oldName} (${m.oldDistrict}) nay thuộc ${m.commune.name}, không phải xã mã ${a.communeCode}.`,
            `Address (${field}): ${m.oldName} (${m.oldDistrict}) is now part of ${m.commune.name}, not commune ${a.communeCode}.`,
          ),
        );
      }
    }
  }
  const h = d.child.hometown;
  if (h.country === 'VN' && !provinceByCode(h.provinceCode) && !h.description) {
    out.push(
      issue(
        'child.hometown.description',
        'address.hometownNamed',
        `Quê quán: mã tỉnh ${h.provinceCode} không còn trong danh mục 34 tỉnh; ghi rõ quê quán theo tên đơn vị cũ.`,
        `Hometown: province ${h.provinceCode} is not one of the 34 provinces; write the hometown out under its former name.`,
      ),
    );
  }
  if (h.communeCode && !communeByCode(h.communeCode) && !h.description) {
    out.push(
      issue(
        'child.hometown.communeCode',
        'address.hometownNamed',
        `Quê quán: mã xã ${h.communeCode} không có trong danh mục; ghi rõ quê quán theo tên đơn vị cũ.`,
        `Hometown: commune ${h.communeCode} is not in the list; write the hometown out under its former name.`,
      ),
    );
  }
  return out;
};

export interface AddressNote extends Note {
  kind: 'ADDRESS_MAPPED';
  data: {
    legacyWardCode: string;
    oldName: string;
    oldDistrict: string;
    oldProvince: string;
    communeCode: string;
    communeName: string;
    provinceCode: string;
  };
}

/**
 * Maps every legacy (pre-1 July 2025) ward code in the dossier to the commune that absorbed it (domain.md §9), and
 * says so in a note per address so the officer sees the change. A `communeCode` that is not a current commune but is
 * a known old ward code is treated as a legacy code too. Returns a new dossier; the input is not changed.
 */
export const normalizeDossierAddresses = (dossier: Dossier): { dossier: Dossier; notes: AddressNote[] } => {
  const out = structuredClone(dossier);
  const notes: AddressNote[] = [];
  const noteFor = (field: string, legacy: string, m: NonNullable<ReturnType<typeof mapOldWard>>): AddressNote => ({
    kind: 'ADDRESS_MAPPED',
    field,
    message: {
      vi: `Địa chỉ (${field}): ${m.oldName}, ${m.oldDistrict}, ${m.oldProvince} (mã cũ ${legacy}) nay là ${communeLabel(m.commune.code)} (mã ${m.commune.code}).`,
      en: `Address (${field}): ${m.oldName}, ${m.oldDistrict}, ${m.oldProvince} (old code ${legacy}) is now ${communeLabel(m.commune.code)} (code ${m.commune.code}).`,
    },
    data: {
      legacyWardCode: legacy,
      oldName: m.oldName,
      oldDistrict: m.oldDistrict,
      oldProvince: m.oldProvince,
      communeCode: m.commune.code,
      communeName: m.commune.name,
      provinceCode: m.commune.provinceCode,
    },
  });
  for (const { field, a } of addressesOf(out)) {
    let legacy = a.legacyWardCode;
    if (!legacy && !communeByCode(a.communeCode) && mapOldWard(a.communeCode)) legacy = a.communeCode;
    if (!legacy) continue;
    const m = mapOldWard(legacy);
    if (!m) continue;
    // An explicit, different current commune is a mismatch for `addressesExist` to report, not something to overwrite.
    if (a.legacyWardCode && communeByCode(a.communeCode) && a.communeCode !== m.commune.code) continue;
    a.legacyWardCode = legacy;
    a.communeCode = m.commune.code;
    a.provinceCode = m.commune.provinceCode;
    notes.push(noteFor(field, legacy, m));
  }
  if (!communeByCode(out.registrationCommuneCode)) {
    const m = mapOldWard(out.registrationCommuneCode);
    if (m) {
      notes.push(noteFor('registrationCommuneCode', out.registrationCommuneCode, m));
      out.registrationCommuneCode = m.commune.code;
    }
  }
  return { dossier: out, notes };
};

// ---------------------------------------------------------------------------------------------------------------
// Residence: household-head consent
// ---------------------------------------------------------------------------------------------------------------

/**
 * Whether the household head's (or owner's) consent is needed for the residence step.
 * Residence Law 68/2020 Art. 20(2): needed. From 1 July 2026 (amended Art. 20–21, domain.md §6.2): NOT needed for a
 * child under 6 moving in with a parent or guardian; still needed when joining anyone else. The head's own
 * application is consent in itself.
 */
export const consentRequired = (d: Dossier, receivedAt: Date): boolean => {
  if (!d.residence.requested) return false;
  if (d.residence.householdHead.personalId === d.applicant.personalId) return false;
  return !consentExempt(d, receivedAt);
};

export const consentExempt = (d: Dossier, receivedAt: Date): boolean =>
  vnDate(receivedAt) >= ruleConfig.consentExemptionFrom &&
  vnDate(receivedAt) < reaches72Months(d.child.dateOfBirth) &&
  ruleConfig.consentExemptJoining.includes(d.residence.joining);

export const householdConsent: Rule = (d, ctx) =>
  consentRequired(d, ctx.receivedAt) && d.residence.consent === 'NONE'
    ? [
        issue(
          'residence.consent',
          'residence.consentRequired',
          vnDate(ctx.receivedAt) >= ruleConfig.consentExemptionFrom
            ? 'Đăng ký thường trú: trẻ về ở cùng người không phải cha, mẹ hoặc người giám hộ nên cần ý kiến đồng ý của chủ hộ/chủ sở hữu (ký tờ khai CT01 hoặc xác nhận qua VNeID).'
            : 'Đăng ký thường trú: trước ngày 01/07/2026 cần ý kiến đồng ý của chủ hộ/chủ sở hữu (ký tờ khai CT01 hoặc xác nhận qua VNeID) (Luật Cư trú Điều 20).',
          vnDate(ctx.receivedAt) >= ruleConfig.consentExemptionFrom
            ? "Residence registration: the child joins someone who is not a parent or guardian, so the household head's / owner's consent is needed (CT01 signature or VNeID confirmation)."
            : "Residence registration: before 1 July 2026 the household head's / owner's consent is needed (CT01 signature or VNeID confirmation) (Residence Law Art. 20).",
        ),
      ]
    : [];

// ---------------------------------------------------------------------------------------------------------------
// Duplicates
// ---------------------------------------------------------------------------------------------------------------

const norm = (s: string) => s.normalize('NFC').trim().toLocaleUpperCase('vi').replace(/\s+/g, ' ');

/**
 * The uniqueness keys of a dossier (architecture.md "uniqueness claim"): the birth-certificate number; the mother (or,
 * when the mother is unknown, the father) + date of birth + order within the birth, so twins (orders 1 and 2) are
 * two births and a second filing of the same birth is a duplicate; for a foundling, where and when found + name.
 */
export const duplicateKeys = (d: Dossier): DuplicateKey[] => {
  const keys: DuplicateKey[] = [];
  if (d.birthCertificate) keys.push({ kind: 'BIRTH_CERT', value: norm(d.birthCertificate.number) });
  const birth = `${d.child.dateOfBirth}|${d.child.birthOrder}`;
  if (d.mother?.personalId) keys.push({ kind: 'MOTHER_BIRTH', value: `${d.mother.personalId}|${birth}` });
  else if (d.father?.personalId) keys.push({ kind: 'FATHER_BIRTH', value: `${d.father.personalId}|${birth}` });
  else if (d.foundling) {
    const name = norm([d.child.surname, d.child.middleName, d.child.givenName].join(' '));
    keys.push({
      kind: 'FOUNDLING',
      value: `${d.foundling.foundAt.communeCode}|${d.foundling.foundOn}|${name}|${birth}`,
    });
  }
  return keys;
};

export const duplicateKeyString = (k: DuplicateKey) => `${k.kind}#${k.value}`;

// ---------------------------------------------------------------------------------------------------------------
// Late registration (flag), ID card (regime)
// ---------------------------------------------------------------------------------------------------------------

/** Last day of the 60-day duty (Law 60/2014 Art. 15), moved to the next working day if it is a day off [L]. */
export const registrationDueDay = (dateOfBirth: string): string => {
  const last = addCalendarDays(dateOfBirth, ruleConfig.lateRegistrationDays);
  return ruleConfig.lateDeadlineMovesToWorkingDay && !isWorkingDay(last) ? nextWorkingDay(last) : last;
};

/**
 * Law 60/2014 Art. 15: parents must register the birth within 60 days. A later dossier is still registered (domain.md
 * §8): it is FLAGGED (a late fee may apply, Circular 85/2019), never silently accepted and never refused.
 */
export const isLateRegistration = (dossier: Pick<Dossier, 'child'>, receivedAt: Date): boolean =>
  vnDate(receivedAt) > registrationDueDay(dossier.child.dateOfBirth);

/** Decree 301/2026: the ID card can be asked for only from 1 September 2026 (by the counting day). */
export const idCardNotYetAvailable: Rule = (d, ctx) =>
  d.idCard.requested && !idCardOffered(regimeFor(countingDay(ctx.receivedAt)))
    ? [
        issue(
          'idCard.requested',
          'idCard.notYetAvailable',
          'Cấp thẻ căn cước cho trẻ dưới 6 tuổi chỉ được yêu cầu trong hồ sơ liên thông từ ngày 01/09/2026 (Nghị định 301/2026); bỏ chọn mục này hoặc làm thủ tục cấp căn cước riêng.',
          'The ID card for a child under 6 can be requested in the bundle only from 1 September 2026 (Decree 301/2026); untick it or apply for the card separately.',
        ),
      ]
    : [];

/** The card's guardian, when chosen, is a person in the dossier. */
export const guardianOnCardExists: Rule = (d) => {
  const g = d.healthInsurance.guardianOnCard;
  if ((g === 'FATHER' && !d.father) || (g === 'MOTHER' && !d.mother)) {
    return [
      issue(
        'healthInsurance.guardianOnCard',
        'healthInsurance.guardianExists',
        `Thông tin giám hộ trên thẻ BHYT: hồ sơ không có thông tin ${g === 'FATHER' ? 'cha' : 'mẹ'}.`,
        `Guardian on the health-insurance card: the dossier has no ${g === 'FATHER' ? 'father' : 'mother'}.`,
      ),
    ];
  }
  return [];
};

// ---------------------------------------------------------------------------------------------------------------
// All rules
// ---------------------------------------------------------------------------------------------------------------

export const rules: Record<string, Rule> = {
  childUnderSix,
  birthNotInFuture,
  timeOfBirthValid,
  sexDetermined,
  sexMatchesCertificate,
  parentsMatchBirthCase,
  parentPersonalIds,
  applicantPersonalId,
  applicantIsDeclaredParent,
  parentsAgePlausible,
  marriagePlausible,
  birthProofPresent,
  birthCertificateConsistent,
  foundlingRecorded,
  competentCommune,
  addressesExist,
  householdConsent,
  idCardNotYetAvailable,
  guardianOnCardExists,
};

/** Runs every rule on the dossier with its legacy addresses mapped (the mapping itself is a note, not an issue). */
export const checkDossier = (dossier: Dossier, ctx: RuleContext): Issue[] => {
  const normalized = normalizeDossierAddresses(dossier).dossier;
  return Object.values(rules).flatMap((r) => r(normalized, ctx));
};

/** The non-blocking findings the officer must see. */
export const dossierNotes = (dossier: Dossier, ctx: RuleContext): Note[] => {
  const { dossier: d, notes: addressNotes } = normalizeDossierAddresses(dossier);
  const notes: Note[] = [...addressNotes];
  if (isLateRegistration(d, ctx.receivedAt)) {
    const due = registrationDueDay(d.child.dateOfBirth);
    notes.push({
      kind: 'LATE_REGISTRATION',
      field: 'child.dateOfBirth',
      message: {
        vi: `Đăng ký khai sinh quá hạn: thời hạn 60 ngày kể từ ngày sinh đã hết ngày ${formatVnDay(due)} (Luật Hộ tịch 2014 Điều 15); vẫn đăng ký, có thể thu lệ phí theo quy định của tỉnh.`,
        en: `Late birth registration: the 60-day period from the birth ended on ${formatVnDay(due)} (Law 60/2014 Art. 15); the birth is still registered, a provincial fee may apply.`,
      },
      data: { dueDay: due },
    });
  }
  if (d.marriage && d.marriage.issuedOn > d.child.dateOfBirth) {
    notes.push({
      kind: 'MARRIAGE_AFTER_BIRTH',
      field: 'marriage.issuedOn',
      message: {
        vi: 'Cha mẹ đăng ký kết hôn sau ngày sinh của trẻ: con chung nếu được cha mẹ thừa nhận (Luật Hôn nhân và gia đình 2014 Điều 88).',
        en: 'The parents married after the birth: the child is their common child if both acknowledge it (Law on Marriage and Family 2014 Art. 88).',
      },
    });
  }
  if (
    d.residence.requested &&
    d.residence.householdHead.personalId !== d.applicant.personalId &&
    consentExempt(d, ctx.receivedAt)
  ) {
    notes.push({
      kind: 'CONSENT_EXEMPT',
      field: 'residence.consent',
      message: {
        vi: 'Trẻ dưới 6 tuổi về ở cùng cha, mẹ hoặc người giám hộ: không cần ý kiến đồng ý của chủ hộ (Luật Cư trú sửa đổi, từ 01/07/2026).',
        en: 'Child under 6 joining a parent or guardian: no household-head consent needed (amended Residence Law, from 1 July 2026).',
      },
    });
  }
  const regime = regimeFor(countingDay(ctx.receivedAt));
  if (idCardRequestedFor(regime, d)) {
    notes.push({
      kind: 'ID_CARD_BRANCH',
      field: 'idCard.requested',
      message: {
        vi: 'Hồ sơ có yêu cầu cấp thẻ căn cước cho trẻ (Nghị định 301/2026).',
        en: 'The dossier asks for the child’s ID card (Decree 301/2026).',
      },
    });
  }
  const h = d.child.hometown;
  if (h.country === 'VN' && !provinceByCode(h.provinceCode) && h.description) {
    notes.push({
      kind: 'HOMETOWN_LEGACY_UNIT',
      field: 'child.hometown',
      message: {
        vi: `Quê quán ghi theo đơn vị cũ: ${h.description}.`,
        en: `Hometown written under a former unit: ${h.description}.`,
      },
    });
  }
  return notes;
};

export interface FilingAssessment {
  outcome: 'accepted' | 'rejected';
  /** The parsed dossier with legacy addresses mapped (what the case should record), when it parsed. */
  dossier?: Dossier;
  issues: Issue[];
  notes: Note[];
  flags: {
    lateRegistration: boolean;
    idCardBranch: boolean;
    regime: Regime;
    mappedAddresses: string[];
    consentExempt: boolean;
  };
  duplicateKeys: DuplicateKey[];
}

/** Parse + rules + notes in one call: what the intake desk (and the ReceiveDossier step) decides at filing. */
export const assessDossier = (input: unknown, ctx: RuleContext): FilingAssessment => {
  const regime = regimeFor(countingDay(ctx.receivedAt));
  const parsed = parseDossier(input);
  if (!parsed.ok) {
    return {
      outcome: 'rejected',
      issues: parsed.issues,
      notes: [],
      flags: { lateRegistration: false, idCardBranch: false, regime, mappedAddresses: [], consentExempt: false },
      duplicateKeys: [],
    };
  }
  const { dossier } = normalizeDossierAddresses(parsed.dossier);
  const issues = checkDossier(dossier, ctx);
  const notes = dossierNotes(parsed.dossier, ctx);
  return {
    outcome: issues.length ? 'rejected' : 'accepted',
    dossier,
    issues,
    notes,
    flags: {
      lateRegistration: isLateRegistration(dossier, ctx.receivedAt),
      idCardBranch: idCardRequestedFor(regime, dossier),
      regime,
      mappedAddresses: notes.filter((n) => n.kind === 'ADDRESS_MAPPED').map((n) => n.field),
      consentExempt: notes.some((n) => n.kind === 'CONSENT_EXEMPT'),
    },
    duplicateKeys: duplicateKeys(dossier),
  };
};
