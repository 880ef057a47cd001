/**
 * Step RecordIdCard (Decree 301/2026): the police's ID-card desk approved the card for the child under 6
 * (no biometrics, delivered to the home, domain.md §7.1). The card carries the child's personal ID number.
 */
import { addCalendarDays, vnDate } from '#domain/calendar.js';
import { eventsOfType } from '#domain/eventLog.js';
import { branchResult, type CompletionInput, completeProcedure } from './completion.js';

export const handler = async (input: CompletionInput) => {
  await completeProcedure(input, async ({ events, now, dossier }) => {
    const birth = eventsOfType(events, 'PROCEDURE_COMPLETED').find((e) => e.data.procedure === 'BIRTH');
    return {
      idCardNumber: birth?.data.result.personalIdNumber,
      issuedOn: vnDate(now),
      // Identity Law 2023: a card issued under 6 is renewed at 6; it is valid until the day before the 6th birthday.
      validUntil: addCalendarDays(
        `${Number(dossier.child.dateOfBirth.slice(0, 4)) + 6}${dossier.child.dateOfBirth.slice(4)}`,
        -1,
      ),
      delivery: dossier.delivery.idCard ?? 'POST',
    };
  });
  return branchResult('ID_CARD', 'COMPLETED');
};
