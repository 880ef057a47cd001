/**
 * Đăng ký thường trú: the commune police register the child's permanent residence (Law 68/2020 on residence); the
 * residence database is updated and a notice of the result is issued (Thông báo kết quả giải quyết thủ tục về cư trú,
 * domain.md §6.2). Only when the dossier asks for it.
 */
import { vnDate } from '../calendar.js';
import type { Agency, Procedure, Role } from './codes.js';
import type { ProcedureDefinition } from './types.js';

export const residence = {
  code: 'RESIDENCE',
  key: 'residence',
  name: { vi: 'Đăng ký thường trú', en: 'Permanent residence registration' },
  agency: 'POLICE',
  decidedBy: 'police-officer',
  unit: 'RESIDENCE_COMMUNE',
  stage: 'parallel',
  offeredFrom: 'ND63_2024',
  request: { kind: 'dossier', flag: 'residence' },
  deadline: {
    workingDays: 2,
    withVerificationWorkingDays: 4,
    basis: 'Decree 63/2024: ≤ 2 working days (3 for the bundle, 5 with verification)',
  },
  dossierPart: 'residence',
  // Not the commune or province of the address: that would hand the task to another commune's police.
  supplementScope: [
    'residence.joining',
    'residence.address.detail',
    'residence.householdHead',
    'residence.headIsParent',
    'residence.consent',
    'delivery.residence',
    'delivery.postalAddress',
  ],
  result: {
    fields: [
      { key: 'noticeNumber', label: { vi: 'Số thông báo', en: 'Notice number' }, format: 'text' },
      { key: 'registeredOn', label: { vi: 'Ngày đăng ký thường trú', en: 'Registered on' }, format: 'date' },
    ],
    document: {
      layout: 'residence',
      title: { vi: 'Thông báo kết quả giải quyết thủ tục về cư trú', en: 'Notice of the residence registration' },
      fileName: 'thong-bao-cu-tru',
    },
    issue: async ({ dossier, now, ports }) => {
      // Loaded when a result is issued, not with the entry (the web app reads the entries and never issues).
      const { residenceNoticeCounterKey, residenceNoticeNumber } = await import('../identifiers.js');
      const commune = dossier.residence.address.communeCode;
      const year = vnDate(now).slice(0, 4);
      const seq = await ports.nextCounter(residenceNoticeCounterKey(commune, year));
      return {
        noticeNumber: residenceNoticeNumber(seq, year, commune),
        registeredOn: vnDate(now),
        address: dossier.residence.address,
      };
    },
  },
} as const satisfies ProcedureDefinition<Procedure, Agency, Role>;
