/**
 * The National Population Database assigns the child's personal ID number on birth registration (domain.md §2.1).
 * This adapter stands in for it: it composes a well-formed number (domain.md §7.2) and makes it unique with a claim
 * in the case table. A retry by the same case gets the same number back.
 */
import { AgencyUnavailableError } from '#domain/errors.js';
import { randomDigits } from '#domain/ids.js';
import { composePersonalId, type SexCode } from '#domain/personalId.js';
import type { CaseStore } from './caseStore.js';

export interface PersonalIdRequest {
  caseId: string;
  provinceCode3: string;
  dateOfBirth: string;
  sex: SexCode;
}

export const assignPersonalId = async (store: CaseStore, req: PersonalIdRequest): Promise<string> => {
  const existing = await store.holderOf('PIN_OF_CASE', req.caseId);
  if (existing) return existing;
  for (let attempt = 0; attempt < 20; attempt++) {
    const pin = composePersonalId(req.provinceCode3, req.dateOfBirth, req.sex, randomDigits(6));
    const holder = await store.claimUnique('PIN', pin, req.caseId);
    if (holder === undefined) {
      const earlier = await store.claimUnique('PIN_OF_CASE', req.caseId, pin);
      return earlier ?? pin;
    }
  }
  throw new AgencyUnavailableError('Population registry could not allocate a personal ID number');
};
