import { describe, expect, it } from '@jest/globals';
import { Dossier, parseDossier } from '#domain/dossier.js';
import { sampleDossierInput } from '#fixtures/referenceCases.js';

const issuesOf = (input: unknown) => {
  const r = parseDossier(input);
  if (r.ok) throw new Error('expected issues');
  return r.issues;
};

describe('dossier: schema (domain.md §5.2)', () => {
  it('parses the sample dossier and applies defaults', () => {
    const r = parseDossier(sampleDossierInput({ copies: undefined, idCard: undefined }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.dossier.copies).toBe(0);
      expect(r.dossier.idCard).toEqual({ requested: false });
    }
  });
  it('documents every field in Vietnamese and English', () => {
    const shape = Dossier.shape;
    for (const [key, schema] of Object.entries(shape)) {
      expect([key, (schema as { description?: string }).description?.includes(' · ')]).toEqual([key, true]);
    }
  });
});

describe('dossier: zod issues become bilingual Issues naming the field', () => {
  it('required', () => {
    expect(issuesOf(sampleDossierInput({ child: { givenName: undefined } }))).toEqual([
      {
        field: 'child.givenName',
        rule: 'schema.required',
        message: { vi: 'Tên: bắt buộc phải khai.', en: 'Given name: is required.' },
      },
    ]);
  });
  it('empty string', () => {
    expect(issuesOf(sampleDossierInput({ child: { surname: '  ' } }))[0]).toMatchObject({
      field: 'child.surname',
      rule: 'schema.required',
      message: { vi: 'Họ: không được để trống.' },
    });
  });
  it('wrong type', () => {
    expect(issuesOf(sampleDossierInput({ copies: 'two' }))[0]).toMatchObject({
      field: 'copies',
      rule: 'schema.invalid_type',
      message: { en: 'Certified copies of the birth certificate: wrong type, expected a number.' },
    });
  });
  it('too long / too big', () => {
    expect(issuesOf(sampleDossierInput({ child: { givenName: 'x'.repeat(31) } }))[0]).toMatchObject({
      rule: 'schema.too_big',
      message: { vi: 'Tên: quá dài (tối đa 30 ký tự).' },
    });
    expect(issuesOf(sampleDossierInput({ copies: 11 }))[0]).toMatchObject({
      rule: 'schema.too_big',
      message: { en: 'Certified copies of the birth certificate: must be at most 10.' },
    });
  });
  it('pattern (named format rules)', () => {
    expect(issuesOf(sampleDossierInput({ applicant: { phone: '12345' } }))[0]).toMatchObject({
      field: 'applicant.phone',
      rule: 'format.phone',
      message: { vi: expect.stringMatching(/^Số điện thoại: phải là số điện thoại Việt Nam/) },
    });
    expect(issuesOf(sampleDossierInput({ child: { dateOfBirth: '2026-02-30' } }))[0]).toMatchObject({
      field: 'child.dateOfBirth',
      rule: 'format.date',
      message: { en: 'Date of birth: must be a real date written YYYY-MM-DD.' },
    });
    expect(issuesOf(sampleDossierInput({ child: { timeOfBirth: '24:00' } }))[0]).toMatchObject({ rule: 'format.time' });
    expect(issuesOf(sampleDossierInput({ applicant: { email: 'not-an-email' } }))[0]).toMatchObject({
      rule: 'format.email',
    });
  });
  it('schema.invalid_value: an enum names its options in words, not codes (issue 12: "MALE, FEMALE")', () => {
    expect(issuesOf(sampleDossierInput({ child: { sex: 'UNKNOWN' } }))[0]).toMatchObject({
      field: 'child.sex',
      rule: 'schema.invalid_value',
      message: {
        vi: 'Giới tính: giá trị không hợp lệ, chọn một trong: Nam, Nữ.',
        en: 'Sex: invalid value, choose one of: male, female.',
      },
    });
    // An enum described again where it is used: its field's name, its own options (without the note in brackets).
    expect(issuesOf(sampleDossierInput({ delivery: { birth: 'FAX' } }))[0]?.message.vi).toBe(
      'Nhận kết quả khai sinh: giá trị không hợp lệ, chọn một trong: chỉ bản điện tử, bưu chính công ích, nhận trực tiếp.',
    );
  });
  it('schema.required: an enum left empty (the form before a choice) says it must be chosen, without codes', () => {
    const issue = issuesOf(sampleDossierInput({ child: { sex: '' } }))[0];
    expect(issue).toMatchObject({
      field: 'child.sex',
      rule: 'schema.required',
      message: { vi: 'Giới tính: bắt buộc phải chọn (Nam / Nữ).', en: 'Sex: must be chosen (male / female).' },
    });
    expect(JSON.stringify(issue)).not.toMatch(/MALE|FEMALE/);
  });
  it('birth-certificate number XXXXX.GCS.ZZZZZ.YY from 1 October 2025 (Circular 22/2025); free before', () => {
    expect(issuesOf(sampleDossierInput({ birthCertificate: { number: '0123.GCS.01001.26' } }))[0]).toMatchObject({
      field: 'birthCertificate.number',
      rule: 'birthCertificate.numberFormat',
    });
    expect(issuesOf(sampleDossierInput({ birthCertificate: { number: '00123.GCS.0100A.26' } }))[0]).toMatchObject({
      rule: 'birthCertificate.numberFormat',
    });
    const older = parseDossier(
      sampleDossierInput({ birthCertificate: { number: '345/2025', issuedOn: '2025-09-30' } }),
    );
    expect(older.ok).toBe(true);
  });
  it('a legacy ward code alone fills the new commune; an unknown one is reported once', () => {
    const r = parseDossier(
      sampleDossierInput({
        residence: {
          address: { communeCode: undefined, provinceCode: undefined, legacyWardCode: '26749', detail: '10 Bùi Viện' },
        },
      }),
    );
    expect(r.ok && r.dossier.residence.address).toEqual({
      provinceCode: '79',
      communeCode: '26743',
      legacyWardCode: '26749',
      detail: '10 Bùi Viện',
    });
    expect(
      issuesOf(sampleDossierInput({ residence: { address: { communeCode: undefined, legacyWardCode: '99999' } } })),
    ).toEqual([
      expect.objectContaining({ field: 'residence.address.legacyWardCode', rule: 'address.legacyWardUnknown' }),
    ]);
  });
  it('lists every problem at once', () => {
    expect(issuesOf(sampleDossierInput({ child: { givenName: undefined, sex: 'X' }, copies: -1 }))).toHaveLength(3);
    expect(issuesOf(null)[0]).toMatchObject({
      field: '(dossier)',
      rule: 'schema.invalid_type',
      message: { en: expect.stringMatching(/^Interconnected dossier.*: wrong type, expected a group of fields\.$/) },
    });
  });
});

describe('dossier: text the register can store (functions/domain/text.ts)', () => {
  it.each([
    ['a NUL', 'child.givenName', 'An\u0000'],
    ['a bell', 'child.surname', 'Lê\u0007'],
    ['a C1 control', 'mother.fullName', 'Nguyễn\u0085Thị'],
    ['a bidi override', 'father.fullName', 'Trần \u202eVăn'],
    ['a bidi isolate', 'applicant.fullName', 'Lê \u2066Thu\u2069'],
    ['a lone high surrogate', 'child.middleName', 'Thị\ud800'],
    ['a lone low surrogate', 'residence.householdHead.fullName', '\udc00Hùng'],
    ['a line break in a name', 'child.givenName', 'An\nBình'],
    ['a NUL in free text', 'residence.address.detail', 'Số 1\u0000 Kim Mã'],
    ['a bidi override in free text', 'healthInsurance.initialCareFacility', 'Bệnh viện \u202dE'],
  ])('text.controlCharacters: %s at %s is refused, naming the field', (_what, field, value) => {
    // prepare
    const patch = field.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<
      string,
      unknown
    >;
    // act
    const issues = issuesOf(sampleDossierInput(patch as never));
    // assess
    expect(issues.map((i) => [i.field, i.rule])).toContainEqual([field, 'text.controlCharacters']);
    const found = issues.find((i) => i.field === field)!;
    expect(found.message.vi.trim()).not.toBe('');
    expect(found.message.en.trim()).not.toBe('');
  });

  it('text.nameCharacters: < or > in a name is refused; in free text it is kept as text', () => {
    // act
    const name = issuesOf(sampleDossierInput({ child: { givenName: '<b>An</b>' } }));
    const freeText = parseDossier(sampleDossierInput({ residence: { address: { detail: 'Ngõ 5 <gần chợ>' } } }));
    // assess
    expect(name.map((i) => [i.field, i.rule])).toEqual([['child.givenName', 'text.nameCharacters']]);
    expect(freeText.ok).toBe(true);
  });

  it('keeps Vietnamese and foreign names, emoji pairs, tabs and line breaks in free text', () => {
    // act
    const r = parseDossier(
      sampleDossierInput({
        child: { surname: 'Nguyễn', middleName: "Ngọc D'Arc-Ánh", givenName: 'Bảo 👶🏽' },
        residence: { address: { detail: 'Số 12,\nngõ 5\tphố Kim Mã' } },
      }),
    );
    // assess
    expect(r.ok).toBe(true);
  });
});
