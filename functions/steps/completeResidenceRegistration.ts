/**
 * Step CompleteResidenceRegistration: the commune police approved; the residence database is updated and a notice of
 * the result is issued (Thông báo kết quả giải quyết thủ tục về cư trú, domain.md §6.2).
 */
import { vnDate } from '#domain/calendar.js';
import { residenceNoticeCounterKey, residenceNoticeNumber } from '#domain/identifiers.js';
import { branchResult, type CompletionInput, completeProcedure } from './completion.js';

export const handler = async (input: CompletionInput) => {
  await completeProcedure(input, async ({ store, dossier, now }) => {
    const commune = dossier.residence.address.communeCode;
    const year = vnDate(now).slice(0, 4);
    const seq = await store.nextCounter(residenceNoticeCounterKey(commune, year));
    return {
      noticeNumber: residenceNoticeNumber(seq, year, commune),
      registeredOn: vnDate(now),
      address: dossier.residence.address,
    };
  });
  return branchResult('RESIDENCE', 'COMPLETED');
};
