/**
 * Step RecordHealthInsuranceCard: social security approved; the child's card gets a unique 10-digit number
 * (Decision 1666/QĐ-BHXH) shown also in the legacy layout TE1 + province + number (Decision 1351), valid until the
 * 72-month / 30 September rule (domain.md §7.3).
 */
import { vnDate } from '#domain/calendar.js';
import { AgencyUnavailableError } from '#domain/errors.js';
import { eventsOfType } from '#domain/eventLog.js';
import { healthInsuranceCard } from '#domain/healthInsuranceCard.js';
import { randomDigits } from '#domain/ids.js';
import { branchResult, type CompletionInput, completeProcedure } from './completion.js';

export const handler = async (input: CompletionInput) => {
  await completeProcedure(input, async ({ store, dossier, events, now }) => {
    let cardNumber = await store.holderOf('HI_CARD_OF_CASE', input.caseId);
    for (let i = 0; !cardNumber && i < 20; i++) {
      const candidate = randomDigits(10);
      if ((await store.claimUnique('HI_CARD', candidate, input.caseId)) === undefined) {
        cardNumber = (await store.claimUnique('HI_CARD_OF_CASE', input.caseId, candidate)) ?? candidate;
      }
    }
    if (!cardNumber) throw new AgencyUnavailableError('Could not allocate a health-insurance card number');
    const c = dossier.child;
    const birth = eventsOfType(events, 'PROCEDURE_COMPLETED').find((e) => e.data.procedure === 'BIRTH');
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
      personalIdNumber: String(birth?.data.result.personalIdNumber ?? ''),
      initialCareFacility: dossier.healthInsurance.initialCareFacility,
      ...(dossier.healthInsurance.initialCareFacilityCode
        ? { initialCareFacilityCode: dossier.healthInsurance.initialCareFacilityCode }
        : {}),
      ...(guardianName ? { guardian: { role: guardianRole, fullName: guardianName } } : {}),
    });
    return { ...card, issuedOn: vnDate(now) };
  });
  return branchResult('HEALTH_INSURANCE', 'COMPLETED');
};
