/**
 * Step CompleteBirthRegistration: the civil-status officer approved. The population registry assigns the child's
 * personal ID number (domain.md §2.1, §7.2), the commune's birth register gives the next number of the year, and the
 * workflow gets the starting state of each downstream branch.
 */

import { assignPersonalId } from '#adapters/populationRegistry.js';
import { electronicBirthCertificate } from '#domain/birthCertificate.js';
import { vnDate } from '#domain/calendar.js';
import { eventsOfType } from '#domain/eventLog.js';
import { birthRegisterCounterKey, birthRegistrationNumber, personalIdProvinceCode } from '#domain/identifiers.js';
import { branchStart } from '#domain/tasks.js';
import { type CompletionInput, completeProcedure } from './completion.js';

export const handler = async (input: CompletionInput) => {
  const { events, now } = await completeProcedure(input, async ({ store, dossier, now }) => {
    const year = vnDate(now).slice(0, 4);
    const commune = dossier.registrationCommuneCode;
    const provinceCode2 =
      [dossier.mother, dossier.father].find((p) => p?.residence.communeCode === commune)?.residence.provinceCode ??
      dossier.child.placeOfBirth.address.provinceCode;
    const personalIdNumber = await assignPersonalId(store, {
      caseId: input.caseId,
      provinceCode3: personalIdProvinceCode(provinceCode2),
      dateOfBirth: dossier.child.dateOfBirth,
      sex: dossier.child.sex,
    });
    let seq = Number(await store.holderOf('BIRTHREG_OF_CASE', input.caseId));
    if (!seq) {
      seq = await store.nextCounter(birthRegisterCounterKey(commune, year));
      await store.claimUnique('BIRTHREG_OF_CASE', input.caseId, String(seq));
    }
    const registration = {
      birthRegistrationNumber: birthRegistrationNumber(seq, year, commune),
      personalIdNumber,
      registeredOn: vnDate(now),
      registeredBy: commune,
    };
    return { ...registration, electronicBirthCertificate: electronicBirthCertificate(dossier, registration) };
  });
  const received = eventsOfType(events, 'DOSSIER_RECEIVED')[0]!;
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0]!;
  return {
    residence: branchStart(events, 'RESIDENCE', filed.data.dossier.residence.requested, now),
    healthInsurance: branchStart(events, 'HEALTH_INSURANCE', true, now),
    idCard: branchStart(events, 'ID_CARD', received.data.idCardRequested, now),
  };
};
