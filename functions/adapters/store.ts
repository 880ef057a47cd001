/**
 * The process's stores, built once from the config: the case log (`caseStore`), the auditor's records beside it
 * (`auditStore`: archived histories, workflows, the access log) and the anchor of both chains' heads.
 */
import { AuditStore } from './auditStore.js';
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

let audit: AuditStore | undefined;
export const auditStore = (): AuditStore => {
  audit ??= new AuditStore(dynamoDocumentClient(), config().tableName, chainAnchor());
  return audit;
};
