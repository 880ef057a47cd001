import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { type Dossier, parseDossier } from '#domain/dossier.js';
import {
  addressesExist,
  applicantIsDeclaredParent,
  applicantPersonalId,
  birthCertificateConsistent,
  birthNotInFuture,
  birthProofPresent,
  checkDossier,
  childUnderSix,
  competentCommune,
  consentRequired,
  duplicateKeys,
  foundlingRecorded,
  guardianOnCardExists,
  householdConsent,
  idCardNotYetAvailable,
  isLateRegistration,
  marriagePlausible,
  normalizeDossierAddresses,
  parentPersonalIds,
  parentsAgePlausible,
  parentsMatchBirthCase,
  registrationDueDay,
  rules,
  sexDetermined,
  sexMatchesCertificate,
  timeOfBirthValid,
} from '#domain/rules.js';
import { sampleDossierInput } from '#fixtures/referenceCases.js';

type Patch = Parameters<typeof sampleDossierInput>[0];
const dossier = (patch: Patch = {}): Dossier => {
  const r = parseDossier(sampleDossierInput(patch));
  if (!r.ok) throw new Error(JSON.stringify(r.issues, null, 1));
  return r.dossier;
};
const at = (iso: string) => ({ receivedAt: new Date(iso) });
const NOV23 = at('2026-11-23T09:00:00+07:00');
const ruleNames = (issues: { rule: string }[]) => issues.map((i) => i.rule);

describe('rule: all rules together (checkDossier)', () => {
  it('accepts the sample dossier and every rule has a unit test below', () => {
    expect(checkDossier(dossier(), NOV23)).toEqual([]);
    const thisFile = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    expect(Object.keys(rules).filter((name) => !thisFile.includes(`rule: ${name}`))).toEqual([]);
  });
});

describe('rule: childUnderSix (Decree 63/2024, domain.md §0, §8)', () => {
  it.each([
    ['2020-11-24', 0],
    ['2020-11-23', 1],
    ['2019-01-01', 1],
    ['2026-11-10', 0],
  ])('born %s, filed 23/11/2026 → %i issue(s)', (dob, n) => {
    expect(childUnderSix(dossier({ child: { dateOfBirth: dob } }), NOV23)).toHaveLength(n);
  });
  it('a child born 29/2/2020 reaches 72 months on 28/2/2026', () => {
    const d = dossier({ child: { dateOfBirth: '2020-02-29' } });
    expect(childUnderSix(d, at('2026-02-27T09:00:00+07:00'))).toHaveLength(0);
    expect(ruleNames(childUnderSix(d, at('2026-02-28T09:00:00+07:00')))).toEqual(['child.underSix']);
  });
});

describe('rule: birthNotInFuture', () => {
  it('refuses a date of birth after the filing day (Vietnam time)', () => {
    expect(birthNotInFuture(dossier({ child: { dateOfBirth: '2026-11-24' } }), NOV23)).toHaveLength(1);
    // 23/11 00:30 in Vietnam is still 22/11 in UTC: the Vietnam day counts.
    expect(
      birthNotInFuture(dossier({ child: { dateOfBirth: '2026-11-23' } }), at('2026-11-23T00:30:00+07:00')),
    ).toHaveLength(0);
  });
});

describe('rule: timeOfBirthValid', () => {
  it('a child born today cannot be born after the filing time', () => {
    const d = dossier({ child: { dateOfBirth: '2026-11-23', timeOfBirth: '14:00' } });
    expect(ruleNames(timeOfBirthValid(d, at('2026-11-23T11:00:00+07:00')))).toEqual(['child.timeOfBirthValid']);
    expect(timeOfBirthValid(d, at('2026-11-23T14:30:00+07:00'))).toHaveLength(0);
  });
});

describe('rule: sexDetermined (Circular 22/2025, domain.md §5.3)', () => {
  it('refuses "undetermined" on the birth certificate', () => {
    expect(ruleNames(sexDetermined(dossier({ birthCertificate: { sex: 'UNDETERMINED' } }), NOV23))).toEqual([
      'birthCertificate.sexDetermined',
    ]);
    expect(sexDetermined(dossier(), NOV23)).toEqual([]);
  });
});

describe('rule: sexMatchesCertificate', () => {
  it('the declared sex is the certificate’s', () => {
    expect(ruleNames(sexMatchesCertificate(dossier({ child: { sex: 'MALE' } }), NOV23))).toEqual([
      'child.sexMatchesCertificate',
    ]);
  });
});

describe('rule: parentsMatchBirthCase (Decree 123/2015, domain.md §8)', () => {
  it.each([
    ['BOTH_PARENTS', { father: undefined }, ['father']],
    ['FATHER_UNKNOWN', {}, ['father']],
    ['MOTHER_UNKNOWN', {}, ['mother']],
    ['NEITHER_KNOWN', {}, ['mother', 'father']],
  ] as const)('%s with %j → issues on %j', (birthCase, patch, fields) => {
    const d = { ...dossier(patch as Patch), birthCase } as Dossier;
    expect(parentsMatchBirthCase(d, NOV23).map((i) => i.field)).toEqual(fields);
  });
});

describe('rule: parentPersonalIds (Decree 137/2015 Art. 13, domain.md §7.2)', () => {
  it.each([
    ['mother', '001395012345', 'personalId.centurySex'],
    ['mother', '001196012345', 'personalId.birthYear'],
    ['father', '001192006789', 'personalId.centurySex'],
    ['father', '000092006789', 'personalId.provinceCode'],
  ] as const)('%s %s → %s', (role, id, rule) => {
    const d = dossier();
    d[role]!.personalId = id;
    expect(parentPersonalIds(d, NOV23)).toEqual([expect.objectContaining({ field: `${role}.personalId`, rule })]);
  });
});

describe('rule: applicantPersonalId (Decree 137/2015 Art. 13)', () => {
  it('checks the applicant’s ID against their declared date of birth and sex', () => {
    const d = dossier({ applicant: { personalId: '001095012345' } });
    expect(ruleNames(applicantPersonalId(d, NOV23))).toEqual(['personalId.centurySex']);
    expect(applicantPersonalId(dossier({ applicant: { dateOfBirth: undefined } }), NOV23)).toEqual([]);
  });
});

describe('rule: applicantIsDeclaredParent (Law 60/2014 Art. 15)', () => {
  it('an applicant who is "the mother" has the mother’s ID', () => {
    expect(applicantIsDeclaredParent(dossier(), NOV23)).toEqual([]);
    const d = dossier({ applicant: { relationship: 'FATHER' } });
    expect(ruleNames(applicantIsDeclaredParent(d, NOV23))).toEqual(['applicant.isDeclaredParent']);
  });
});

describe('rule: parentsAgePlausible (domain.md §5.3, configurable 13–70) [L]', () => {
  it.each([
    ['2013-11-11', 1],
    ['2013-11-10', 0],
    ['1956-11-11', 0],
    ['1956-11-10', 1],
  ])('mother born %s, child 10/11/2026 → %i', (dob, n) => {
    const d = dossier();
    d.mother!.dateOfBirth = dob;
    expect(parentsAgePlausible(d, NOV23)).toHaveLength(n);
  });
});

describe('rule: marriagePlausible (Law on Marriage and Family 2014 Art. 8, 88)', () => {
  it('refuses a marriage after filing, under marriageable age, or with "father unknown"', () => {
    expect(marriagePlausible(dossier(), NOV23)).toEqual([]);
    expect(ruleNames(marriagePlausible(dossier({ marriage: { issuedOn: '2026-12-01' } }), NOV23))).toEqual([
      'marriage.datePlausible',
    ]);
    expect(ruleNames(marriagePlausible(dossier({ marriage: { issuedOn: '2012-01-01' } }), NOV23))).toEqual([
      'marriage.datePlausible',
      'marriage.datePlausible',
    ]);
    const d = { ...dossier({ father: undefined }), birthCase: 'FATHER_UNKNOWN' } as Dossier;
    expect(ruleNames(marriagePlausible(d, NOV23))).toEqual(['marriage.consistentWithBirthCase']);
  });
});

describe('rule: birthProofPresent (Decree 63/2024 Art. 5(2))', () => {
  it('needs the certificate unless a substitute is chosen; abandoned needs the record', () => {
    expect(ruleNames(birthProofPresent(dossier({ birthCertificate: undefined }), NOV23))).toEqual([
      'birth.proofPresent',
    ]);
    expect(
      birthProofPresent(dossier({ birthCertificate: undefined, birthProof: 'WITNESS_CONFIRMATION' }), NOV23),
    ).toEqual([]);
    const d = { ...dossier({ birthProof: 'COMMITMENT' }), birthCase: 'ABANDONED' } as Dossier;
    expect(ruleNames(birthProofPresent(d, NOV23))).toEqual(['birth.proofPresent']);
  });
});

describe('rule: birthCertificateConsistent (Circular 22/2025, domain.md §5.3)', () => {
  it.each([
    [{ number: '00123.GCS.79003.26' }, 1],
    [{ number: '00123.GCS.01001.25' }, 1],
    [{ issuedOn: '2026-11-09' }, 1],
    [{ issuedOn: '2026-11-24', number: '00123.GCS.01001.26' }, 1],
    [{ dateOfBirth: '2026-11-09' }, 1],
    [{ timeOfBirth: '09:00' }, 1],
    [{}, 0],
  ])('%j → %i issue(s)', (cert, n) => {
    expect(birthCertificateConsistent(dossier({ birthCertificate: cert }), NOV23)).toHaveLength(n);
  });
});

describe('rule: foundlingRecorded (Decree 123/2015 Art. 14: 7-day posting)', () => {
  const abandoned = (postedFrom: string | undefined) =>
    ({
      ...dossier({ mother: undefined, father: undefined, marriage: undefined }),
      birthCase: 'ABANDONED',
      foundling: {
        foundOn: '2026-11-12',
        foundAt: { provinceCode: '01', communeCode: '00004', detail: 'x' },
        ...(postedFrom ? { postedFrom } : {}),
      },
    }) as Dossier;
  it('posting from 16/11 ends 22/11: filing on 23/11 is allowed, on 22/11 it is not', () => {
    expect(foundlingRecorded(abandoned('2026-11-16'), NOV23)).toEqual([]);
    expect(ruleNames(foundlingRecorded(abandoned('2026-11-16'), at('2026-11-22T09:00:00+07:00')))).toEqual([
      'foundling.postingComplete',
    ]);
    expect(ruleNames(foundlingRecorded(abandoned(undefined), NOV23))).toEqual(['foundling.postingComplete']);
  });
});

describe('rule: competentCommune (Law 60/2014 Art. 13; Decree 123/2015 Art. 14)', () => {
  it('either parent’s commune is competent', () => {
    const d = dossier();
    d.father!.residence.communeCode = '26743';
    d.father!.residence.provinceCode = '79';
    expect(competentCommune(d, NOV23)).toEqual([]);
    d.registrationCommuneCode = '26743';
    expect(competentCommune(d, NOV23)).toEqual([]);
    d.registrationCommuneCode = '00070';
    expect(ruleNames(competentCommune(d, NOV23))).toEqual(['commune.competent']);
  });
  it('parents unknown: the commune where found, else where born', () => {
    const base = { ...dossier({ mother: undefined, father: undefined }), birthCase: 'NEITHER_KNOWN' } as Dossier;
    expect(ruleNames(competentCommune(base, NOV23))).toEqual(['commune.competent']); // born in 00070, filed in 00004
    expect(competentCommune({ ...base, registrationCommuneCode: '00070' }, NOV23)).toEqual([]);
    const found = {
      ...base,
      foundling: { foundOn: '2026-11-11', foundAt: { provinceCode: '01', communeCode: '00004', detail: 'x' } },
    } as Dossier;
    expect(competentCommune(found, NOV23)).toEqual([]);
  });
});

describe('rule: addressesExist (Law 72/2025/QH15, Resolution 202/2025/QH15, domain.md §9)', () => {
  it('every commune exists and lies in its province', () => {
    expect(addressesExist(dossier(), NOV23)).toEqual([]);
    const d = dossier();
    d.residence.address.communeCode = '99998';
    d.mother!.residence.provinceCode = '79';
    expect(ruleNames(addressesExist(d, NOV23)).sort()).toEqual(['address.communeExists', 'address.communeInProvince']);
  });
  it('a legacy ward code must agree with the commune given', () => {
    const d = dossier();
    d.residence.address.legacyWardCode = '26749'; // Phạm Ngũ Lão → Bến Thành, not Ba Đình
    expect(ruleNames(addressesExist(d, NOV23))).toEqual(['address.legacyWardMismatch']);
    d.residence.address.legacyWardCode = '00013'; // Quán Thánh → Ba Đình
    expect(addressesExist(d, NOV23)).toEqual([]);
  });
});

describe('rule: normalizeDossierAddresses (domain.md §9: old addresses mapped to the new units, and reported)', () => {
  it('maps a legacy code, fills the province, and writes a bilingual note', () => {
    const d = dossier();
    d.residence.address = { provinceCode: '79', communeCode: '26749', detail: '10 Bùi Viện' };
    const { dossier: out, notes } = normalizeDossierAddresses(d);
    expect(out.residence.address).toEqual({
      provinceCode: '79',
      communeCode: '26743',
      legacyWardCode: '26749',
      detail: '10 Bùi Viện',
    });
    expect(notes).toEqual([expect.objectContaining({ kind: 'ADDRESS_MAPPED', field: 'residence.address' })]);
    expect(notes[0]!.message.vi).toContain('Phường Phạm Ngũ Lão');
    expect(notes[0]!.message.en).toContain('Phường Bến Thành');
    expect(d.residence.address.communeCode).toBe('26749'); // input untouched
  });
  it('leaves a current commune alone even if the same code was also an old ward (00004 Trúc Bạch → Ba Đình)', () => {
    expect(normalizeDossierAddresses(dossier()).notes).toEqual([]);
  });
});

describe('rule: householdConsent (Residence Law Art. 20(2); amendment in force 1 July 2026, domain.md §6.2)', () => {
  it.each([
    ['2026-06-30T16:00:00+07:00', 'BOTH_PARENTS', 'NONE', true],
    ['2026-06-30T16:00:00+07:00', 'BOTH_PARENTS', 'VNEID', false],
    ['2026-07-01T08:00:00+07:00', 'BOTH_PARENTS', 'NONE', false],
    ['2026-07-01T08:00:00+07:00', 'MOTHER', 'NONE', false],
    ['2026-07-01T08:00:00+07:00', 'GUARDIAN', 'NONE', false],
    ['2026-07-01T08:00:00+07:00', 'RELATIVE', 'NONE', true],
    ['2026-07-01T08:00:00+07:00', 'RELATIVE', 'PAPER_CT01', false],
    ['2026-07-01T08:00:00+07:00', 'OTHER', 'NONE', true],
  ] as const)('received %s joining %s with consent %s → issue: %s', (iso, joining, consent, expected) => {
    const d = dossier({
      child: { dateOfBirth: '2026-06-20' },
      birthCertificate: { issuedOn: '2026-06-20', dateOfBirth: '2026-06-20' },
      residence: { joining, consent },
    });
    expect(householdConsent(d, at(iso)).length > 0).toBe(expected);
  });
  it('the household head applying is consent in itself; no residence step, no consent', () => {
    const d = dossier({ residence: { joining: 'RELATIVE' } });
    expect(consentRequired(d, NOV23.receivedAt)).toBe(true);
    d.applicant.personalId = d.residence.householdHead.personalId;
    expect(consentRequired(d, NOV23.receivedAt)).toBe(false);
    expect(consentRequired(dossier({ residence: { requested: false, joining: 'RELATIVE' } }), NOV23.receivedAt)).toBe(
      false,
    );
  });
  it('a child of 6 or more joining a parent is not exempt', () => {
    const d = dossier({
      child: { dateOfBirth: '2020-11-23' },
      birthCertificate: { number: 'old-1', issuedOn: '2020-11-23', dateOfBirth: '2020-11-23' },
    });
    expect(ruleNames(householdConsent(d, NOV23))).toEqual(['residence.consentRequired']);
  });
});

describe('rule: duplicateKeys (the uniqueness claim at filing; domain.md §6.1)', () => {
  it('keys: certificate number and mother + date + order; twins differ', () => {
    expect(duplicateKeys(dossier())).toEqual([
      { kind: 'BIRTH_CERT', value: '00123.GCS.01001.26' },
      { kind: 'MOTHER_BIRTH', value: '001195012345|2026-11-10|1' },
    ]);
    const twin2 = dossier({
      child: { birthOrder: 2 },
      birthCertificate: { number: '00124.GCS.01001.26', childrenBorn: 2 },
    });
    expect(duplicateKeys(twin2)[1]).toEqual({ kind: 'MOTHER_BIRTH', value: '001195012345|2026-11-10|2' });
  });
  it('mother unknown: the father’s key; foundling: where and when found', () => {
    expect(
      duplicateKeys(dossier({ mother: undefined, birthCertificate: undefined, birthProof: 'COMMITMENT' })),
    ).toEqual([{ kind: 'FATHER_BIRTH', value: '001092006789|2026-11-10|1' }]);
  });
});

describe('rule: isLateRegistration (Law 60/2014 Art. 15: flagged, never refused)', () => {
  it.each([
    ['2026-09-24', false], // day 60 = Mon 23/11
    ['2026-09-23', false], // day 60 = Sun 22/11 → Mon 23/11 [L]
    ['2026-09-22', false], // day 60 = Sat 21/11 → Mon 23/11 [L]
    ['2026-09-21', true], // day 60 = Fri 20/11
    ['2026-08-01', true],
  ])('born %s, filed 23/11/2026 → late: %s', (dob, late) => {
    expect(isLateRegistration({ child: { dateOfBirth: dob } } as Dossier, NOV23.receivedAt)).toBe(late);
  });
  it('the due day moves past a holiday: born 17/12/2025 → day 60 is Sun 15/2/2026, in Tết → Mon 23/2/2026', () => {
    expect(registrationDueDay('2025-12-17')).toBe('2026-02-23');
  });
  it('a late dossier is not refused by checkDossier', () => {
    const d = dossier({
      child: { dateOfBirth: '2026-08-01' },
      birthCertificate: { number: '00777.GCS.01001.26', issuedOn: '2026-08-01', dateOfBirth: '2026-08-01' },
    });
    expect(checkDossier(d, NOV23)).toEqual([]);
  });
});

describe('rule: idCardNotYetAvailable (Decree 301/2026 from 1 September 2026)', () => {
  it('asking for the ID card before the regime offers it is an issue; after, it is not', () => {
    const d = dossier({ idCard: { requested: true } });
    expect(ruleNames(idCardNotYetAvailable(d, at('2026-08-28T09:00:00+07:00')))).toEqual(['idCard.notYetAvailable']);
    expect(idCardNotYetAvailable(d, at('2026-09-03T09:00:00+07:00'))).toEqual([]);
    // Mon 31/8/2026 is a swapped day off: a dossier received then counts from Thu 3/9, under Decree 301.
    expect(idCardNotYetAvailable(d, at('2026-08-31T09:00:00+07:00'))).toEqual([]);
    expect(idCardNotYetAvailable(dossier(), at('2026-08-20T09:00:00+07:00'))).toEqual([]);
  });
});

describe('rule: guardianOnCardExists', () => {
  it('the guardian printed on the card is a person of the dossier', () => {
    const d = {
      ...dossier({ father: undefined, marriage: undefined, healthInsurance: { guardianOnCard: 'FATHER' } }),
      birthCase: 'FATHER_UNKNOWN',
    } as Dossier;
    expect(ruleNames(guardianOnCardExists(d, NOV23))).toEqual(['healthInsurance.guardianExists']);
  });
});
