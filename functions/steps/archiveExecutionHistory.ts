/**
 * Not a workflow step: the target of the EventBridge rule on `aws.states` "Step Functions Execution Status Change"
 * for the birth-bundle machine (infra/cdk/constructs/historyArchive.ts), and locally of the embedded engine's status
 * changes (adapters/historyArchive.ts `attachHistoryArchive`). Archives the execution's history beside its case.
 * Idempotent: EventBridge delivers at least once, and every status change re-archives what is new.
 */

import { sfnClient } from '#adapters/clients.js';
import { clock, config } from '#adapters/config.js';
import { archiveExecution, type ExecutionStatusChangeEvent } from '#adapters/historyArchive.js';
import { logger } from '#adapters/logger.js';
import { auditStore, caseStore } from '#adapters/store.js';

export const handler = async (event: ExecutionStatusChangeEvent) => {
  const { executionArn, stateMachineArn } = event.detail;
  const ours = config().stateMachineArn;
  // The rule filters on our machine already; a stray event (another machine, a version ARN of ours) is checked here.
  if (ours && stateMachineArn && !stateMachineArn.startsWith(ours)) return { archived: false };
  const r = await archiveExecution(executionArn, {
    sfn: sfnClient(),
    auditStore: auditStore(),
    caseStore: caseStore(),
    now: () => clock().now(),
  });
  logger.info('history archived', { caseId: r.caseId, status: r.status, events: r.events, written: r.written });
  return { archived: true, ...r };
};
