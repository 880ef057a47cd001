/**
 * The process's stores, built once from the config: the case log (`caseStore`), the auditor's records beside it
 * (`auditStore`: archived histories, workflows, the access log) and the anchor of both chains' heads.
 */
import { AuditStore } from './auditStore.js';
import { CaseStore } from './caseStore.js';
import { anchorFromSetting, type ChainAnchor } from './chainAnchor.js';
import { dynamoDocumentClient } from './clients.js';
import { fromConfig, readAtColdStart } from './config.js';

readAtColdStart((c) => c.chainAnchor);

/** Where the heads of the hash chains are kept, out of the table writer's reach (adapters/chainAnchor.ts). */
export const chainAnchor = fromConfig((c): ChainAnchor => anchorFromSetting(c.chainAnchor, c.region));

export const caseStore = fromConfig((c) => new CaseStore(dynamoDocumentClient(), c.tableName, chainAnchor()));

export const auditStore = fromConfig((c) => new AuditStore(dynamoDocumentClient(), c.tableName, chainAnchor()));
