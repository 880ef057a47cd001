/** The process's case store and clock, built once from the config. */
import type { Clock } from '../domain/clock.js';
import { CaseStore } from './caseStore.js';
import { dynamoDocumentClient } from './clients.js';
import { config } from './config.js';

let store: CaseStore | undefined;
export const caseStore = (): CaseStore => {
  store ??= new CaseStore(dynamoDocumentClient(), config().tableName);
  return store;
};

export const clock = (): Clock => config().clock;
