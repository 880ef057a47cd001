/** The process's audit store, built once from the config (like `caseStore()`). */
import { AuditStore } from './auditStore.js';
import { dynamoDocumentClient } from './clients.js';
import { config } from './config.js';
import { chainAnchor } from './store.js';

let store: AuditStore | undefined;
export const auditStore = (): AuditStore => {
  store ??= new AuditStore(dynamoDocumentClient(), config().tableName, chainAnchor());
  return store;
};
