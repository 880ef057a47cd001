/** The process's case store and clock, built once from the config. */
import type { Clock } from '#domain/clock.js';
import { CaseStore } from './caseStore.js';
import { anchorFromSetting, type ChainAnchor } from './chainAnchor.js';
import { dynamoDocumentClient } from './clients.js';
import { config } from './config.js';

let anchor: ChainAnchor | undefined;
/** Where the heads of the hash chains are kept, out of the table writer's reach (adapters/chainAnchor.ts). */
export const chainAnchor = (): ChainAnchor => {
  anchor ??= anchorFromSetting(config().chainAnchor, config().region);
  return anchor;
};

let store: CaseStore | undefined;
export const caseStore = (): CaseStore => {
  store ??= new CaseStore(dynamoDocumentClient(), config().tableName, chainAnchor());
  return store;
};

export const clock = (): Clock => config().clock;
