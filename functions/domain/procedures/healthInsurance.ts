/**
 * Cấp thẻ BHYT cho trẻ dưới 6 tuổi: provincial social security issues the child's health-insurance card, with a
 * unique 10-digit number (Decision 1666/QĐ-BHXH) shown also in the legacy layout TE1 + province + number (Decision
 * 1351), valid until the 72-month / 30 September rule (domain.md §7.3). Every dossier asks for it.
 */
import { vnDate } from '../calendar.js';
import type { Agency, Procedure, Role } from './codes.js';
import type { ProcedureDefinition } from './types.js';

export const healthInsurance = {
  code: 'HEALTH_INSURANCE',
  key: 'healthInsurance',
  name: { vi: 'Cấp thẻ BHYT cho trẻ dưới 6 tuổi', en: 'Health-insurance card (child under 6)' },
  agency: 'SOCIAL_SECURITY',
  decidedBy: 'insurance-officer',
  unit: 'RESIDENCE_PROVINCE',
  stage: 'parallel',
  offeredFrom: 'ND63_2024',
  request: { kind: 'always' },
  deadline: {
    workingDays: 2,
    withVerificationWorkingDays: 4,
    basis: 'Decree 63/2024: ≤ 2 working days (3 for the bundle, 5 with verification)',
  },
  dossierPart: 'healthInsurance',
  supplementScope: ['healthInsurance', 'delivery.healthInsurance', 'delivery.postalAddress'],
  result: {
    fields: [
      { key: 'cardNumber', label: { vi: 'Mã số BHXH (mã thẻ)', en: 'Card number' }, format: 'text' },
      { key: 'legacyCardCode', label: { vi: 'Mã thẻ cũ (15 ký tự)', en: 'Legacy card code' }, format: 'text' },
      { key: 'validFrom', label: { vi: 'Giá trị sử dụng', en: 'Valid' }, format: 'dateRange', untilKey: 'validUntil' },
      { key: 'initialCareFacility', label: { vi: 'Nơi KCB ban đầu', en: 'Initial care facility' }, format: 'text' },
    ],
    document: {
      layout: 'insurance',
      title: { vi: 'Thẻ bảo hiểm y tế', en: 'Health-insurance card' },
      fileName: 'the-bhyt',
    },
    issue: async ({ caseId, dossier, events, now, ports }) => {
      // Loaded when a result is issued, not with the entry (the web app reads the entries and never issues).
      const [{ AgencyUnavailableError }, { healthInsuranceCard }] = await Promise.all([
        import('../errors.js'),
        import('../healthInsuranceCard.js'),
      ]);
      let cardNumber = await ports.holderOf('HI_CARD_OF_CASE', caseId);
      for (let i = 0; !cardNumber && i < 20; i++) {
        const candidate = ports.randomDigits(10);
        if ((await ports.claimUnique('HI_CARD', candidate, caseId)) === undefined) {
          cardNumber = (await ports.claimUnique('HI_CARD_OF_CASE', caseId, candidate)) ?? candidate;
        }
      }
      if (!cardNumber) throw new AgencyUnavailableError('Could not allocate a health-insurance card number');
      const c = dossier.child;
      const birth = events.find((e) => e.data.type === 'PROCEDURE_COMPLETED' && e.data.procedure === 'BIRTH');
      const birthResult = birth?.data.type === 'PROCEDURE_COMPLETED' ? birth.data.result : undefined;
      const guardianRole =
        dossier.healthInsurance.guardianOnCard ?? (dossier.father ? 'FATHER' : dossier.mother ? 'MOTHER' : 'APPLICANT');
      const guardianName = {
        FATHER: dossier.father?.fullName,
        MOTHER: dossier.mother?.fullName,
        APPLICANT: dossier.applicant.fullName,
      }[guardianRole];
      const card = healthInsuranceCard({
        cardNumber,
        provinceCode: dossier.residence.address.provinceCode,
        fullName: [c.surname, c.middleName, c.givenName].filter(Boolean).join(' '),
        dateOfBirth: c.dateOfBirth,
        sex: c.sex,
        personalIdNumber: String(birthResult?.personalIdNumber ?? ''),
        initialCareFacility: dossier.healthInsurance.initialCareFacility,
        ...(dossier.healthInsurance.initialCareFacilityCode
          ? { initialCareFacilityCode: dossier.healthInsurance.initialCareFacilityCode }
          : {}),
        ...(guardianName ? { guardian: { role: guardianRole, fullName: guardianName } } : {}),
      });
      return { ...card, issuedOn: vnDate(now) };
    },
  },
} as const satisfies ProcedureDefinition<Procedure, Agency, Role>;
