/**
 * Đăng ký khai sinh: the commune's civil-status officer registers the birth (Law 60/2014, Decree 63/2024 Art. 7–8).
 * First of the bundle: the population registry assigns the child's personal ID number (domain.md §2.1, §7.2), the
 * commune's birth register gives the next number of the year, and nothing downstream starts before.
 */
import { vnDate } from '../calendar.js';
import type { Agency, Procedure, Role } from './codes.js';
import type { ProcedureDefinition } from './types.js';

export const birth = {
  code: 'BIRTH',
  key: 'birth',
  name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
  agency: 'CIVIL_STATUS',
  decidedBy: 'civil-status-officer',
  unit: 'REGISTRATION_COMMUNE',
  stage: 'first',
  offeredFrom: 'ND63_2024',
  request: { kind: 'always' },
  deadline: {
    workingDays: 0,
    withVerificationWorkingDays: 0,
    basis: 'Decree 63/2024 Art. 7–8: the same working day the complete dossier arrives',
  },
  supplementScope: [
    'birthCase',
    'child',
    'mother',
    'father',
    'fatherSameResidenceAsMother',
    'foundling',
    'marriage',
    'applicant',
    'birthProof',
    'birthCertificate',
    'copies',
    'delivery.birth',
    'delivery.postalAddress',
  ],
  result: {
    fields: [
      {
        key: 'birthRegistrationNumber',
        label: { vi: 'Số đăng ký khai sinh', en: 'Birth registration number' },
        format: 'text',
      },
      {
        key: 'personalIdNumber',
        label: { vi: 'Số định danh cá nhân', en: 'Personal ID number' },
        format: 'text',
        missing: { vi: 'chưa có', en: 'not yet assigned' },
      },
      { key: 'registeredOn', label: { vi: 'Ngày đăng ký', en: 'Registered on' }, format: 'date' },
    ],
    document: {
      layout: 'birth',
      title: { vi: 'Trích lục khai sinh', en: 'Birth registration extract' },
      fileName: 'trich-luc-khai-sinh',
    },
    issue: async ({ caseId, dossier, now, ports }) => {
      // Loaded when a result is issued, not with the entry: the web app reads the entries (names, labels) on every
      // page load and never issues.
      const [
        { electronicBirthCertificate },
        { birthRegisterCounterKey, birthRegistrationNumber, personalIdProvinceCode },
      ] = await Promise.all([import('../birthCertificate.js'), import('../identifiers.js')]);
      const year = vnDate(now).slice(0, 4);
      const commune = dossier.registrationCommuneCode;
      const provinceCode2 =
        [dossier.mother, dossier.father].find((p) => p?.residence.communeCode === commune)?.residence.provinceCode ??
        dossier.child.placeOfBirth.address.provinceCode;
      const personalIdNumber = await ports.assignPersonalId({
        caseId,
        provinceCode3: personalIdProvinceCode(provinceCode2),
        dateOfBirth: dossier.child.dateOfBirth,
        sex: dossier.child.sex,
      });
      let seq = Number(await ports.holderOf('BIRTHREG_OF_CASE', caseId));
      if (!seq) {
        seq = await ports.nextCounter(birthRegisterCounterKey(commune, year));
        await ports.claimUnique('BIRTHREG_OF_CASE', caseId, String(seq));
      }
      const registration = {
        birthRegistrationNumber: birthRegistrationNumber(seq, year, commune),
        personalIdNumber,
        registeredOn: vnDate(now),
        registeredBy: commune,
      };
      return { ...registration, electronicBirthCertificate: electronicBirthCertificate(dossier, registration) };
    },
  },
} as const satisfies ProcedureDefinition<Procedure, Agency, Role>;
