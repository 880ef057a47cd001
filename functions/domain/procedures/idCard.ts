/**
 * Cấp thẻ căn cước cho trẻ dưới 6 tuổi (Decree 301/2026, from 1 September 2026): the police's ID-card desk issues the
 * child's card (no biometrics, delivered to the home, domain.md §7.1), carrying the child's personal ID number.
 * Only under that regime, and only when the dossier asks for it.
 */
import { addCalendarDays, vnDate } from '../calendar.js';
import type { Agency, Procedure, Role } from './codes.js';
import type { ProcedureDefinition } from './types.js';

export const idCard = {
  code: 'ID_CARD',
  key: 'idCard',
  name: { vi: 'Cấp thẻ căn cước cho trẻ dưới 6 tuổi', en: 'ID card (child under 6)' },
  agency: 'IDENTITY',
  decidedBy: 'police-officer',
  unit: 'RESIDENCE_COMMUNE',
  stage: 'parallel',
  offeredFrom: 'ND63_ND301_2026',
  request: { kind: 'regime', flag: 'idCard', recordedAs: 'idCardRequested' },
  deadline: {
    workingDays: 2,
    withVerificationWorkingDays: 4,
    basis: 'Decree 63/2024 as amended by Decree 301/2026: as the other downstream procedures',
  },
  dossierPart: 'idCard',
  supplementScope: ['delivery.idCard', 'delivery.postalAddress'],
  result: {
    fields: [
      { key: 'idCardNumber', label: { vi: 'Số thẻ căn cước', en: 'ID card number' }, format: 'text' },
      { key: 'validUntil', label: { vi: 'Có giá trị đến', en: 'Valid until' }, format: 'date' },
    ],
    issue: async ({ events, now, dossier }) => {
      const birth = events.find((e) => e.data.type === 'PROCEDURE_COMPLETED' && e.data.procedure === 'BIRTH');
      return {
        idCardNumber: birth?.data.type === 'PROCEDURE_COMPLETED' ? birth.data.result.personalIdNumber : undefined,
        issuedOn: vnDate(now),
        // Identity Law 2023: a card issued under 6 is renewed at 6; it is valid until the day before the 6th birthday.
        validUntil: addCalendarDays(
          `${Number(dossier.child.dateOfBirth.slice(0, 4)) + 6}${dossier.child.dateOfBirth.slice(4)}`,
          -1,
        ),
        delivery: dossier.delivery.idCard ?? 'POST',
      };
    },
  },
} as const satisfies ProcedureDefinition<Procedure, Agency, Role>;
