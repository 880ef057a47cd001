/**
 * Keeps each execution's history beside its case, forever (Step Functions keeps it 90 days). The same code runs on
 * AWS (EventBridge "Step Functions Execution Status Change" → functions/steps/archiveExecutionHistory.ts) and locally
 * (the embedded engine's status changes → the same handler: infra/local/historyArchive.ts).
 *
 * For one execution: GetExecutionHistory (every page), the definition it ran on (DescribeStateMachineForExecution,
 * else DescribeStateMachine), then, idempotently: the workflow under `WORKFLOW#<hash>`, the history events, the
 * execution summary, and a HISTORY_ARCHIVED event in the case log that pins the history's digest into the hash chain.
 * Task tokens never reach the table (`sanitizeHistoryEvent`).
 *
 * Archive at completion is guaranteed after a crash: on AWS EventBridge redelivers for 24 h (then the dead-letter
 * queue); locally infra/local/historyArchive.ts re-archives, on start, every ended execution whose final status has no
 * HISTORY_ARCHIVED yet (the process may have died between the end of the execution and its archive, or half-way
 * through writing it). An execution already pinned with its final status is not fetched again; its pin's projection
 * and anchored head are written again (idempotent), since the writer may have died between the event and them.
 */
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { systemActor, type WorkflowRef } from '#domain/events.js';
import {
  definitionHash,
  type HistoryEventJson,
  historyDigest,
  sanitizeHistoryEvent,
} from '#domain/executionHistory.js';
import type { AuditStore } from './auditStore.js';
import type { CaseStore } from './caseStore.js';

export interface ArchiveDeps {
  sfn: Pick<SFNClient, 'send'>;
  auditStore: AuditStore;
  caseStore: CaseStore;
  now: () => Date;
}

export interface ArchiveResult {
  caseId: string;
  executionName: string;
  status: string;
  events: number;
  written: number;
  workflow: WorkflowRef;
}

const caseIdOf = (input: string | undefined, name: string): string => {
  try {
    const parsed = JSON.parse(input ?? '{}') as { caseId?: unknown };
    if (typeof parsed.caseId === 'string' && parsed.caseId) return parsed.caseId;
  } catch {
    // not JSON: the execution name is the case id (adapters/workflow.ts)
  }
  return name;
};

const fetchHistory = async (sfn: ArchiveDeps['sfn'], executionArn: string): Promise<HistoryEventJson[]> => {
  const events: HistoryEventJson[] = [];
  let nextToken: string | undefined;
  do {
    const r = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true, nextToken }),
    );
    for (const e of r.events ?? []) events.push(sanitizeHistoryEvent(e as unknown as HistoryEventJson));
    nextToken = r.nextToken;
  } while (nextToken);
  return events.sort((a, b) => a.id - b.id);
};

/** The definition the execution ran on: the version's, when the runtime can say; else the machine's current one. */
const fetchDefinition = async (
  sfn: ArchiveDeps['sfn'],
  executionArn: string,
  stateMachineArn: string,
  versionArn?: string,
) => {
  try {
    const r = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    if (r.definition) {
      return {
        definition: r.definition,
        version: versionArn ?? (r.revisionId ? `revision:${r.revisionId}` : 'unversioned'),
      };
    }
  } catch (err) {
    // The local engine does not implement it; on AWS an error here is real.
    const name = (err as { name?: string }).name ?? '';
    if (
      !/UnknownOperation|NotImplemented|UnsupportedOperation|InvalidAction/i.test(name) &&
      !/not (supported|implemented)/i.test(String(err))
    ) {
      throw err;
    }
  }
  const r = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: versionArn ?? stateMachineArn }));
  return {
    definition: r.definition ?? '{}',
    version: versionArn ?? (r.revisionId ? `revision:${r.revisionId}` : 'unversioned'),
  };
};

export const archiveExecution = async (executionArn: string, deps: ArchiveDeps): Promise<ArchiveResult> => {
  const described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const name = described.name ?? executionArn.split(':').at(-1) ?? '';
  const caseId = caseIdOf(described.input, name);
  const stateMachineArn = described.stateMachineArn ?? '';
  const status = String(described.status ?? 'RUNNING');
  if (status !== 'RUNNING') {
    // An ended execution's history no longer changes: once pinned with its final status, there is nothing to add.
    const pinned = (await deps.caseStore.loadEvents(caseId)).find(
      (e) => e.data.type === 'HISTORY_ARCHIVED' && e.data.executionName === name && e.data.status === status,
    );
    if (pinned?.data.type === 'HISTORY_ARCHIVED') {
      // Its writer may have died after the event and before the projection and the anchor (a crash, and the pin is
      // often a case's last event, so no later write would mend them): the same append finishes that work.
      await deps.caseStore.appendOnce(caseId, pinned.key, () => undefined, deps.now());
      return {
        caseId,
        executionName: name,
        status,
        events: pinned.data.events,
        written: 0,
        workflow: pinned.data.workflow,
      };
    }
  }
  const { definition, version } = await fetchDefinition(
    deps.sfn,
    executionArn,
    stateMachineArn,
    described.stateMachineVersionArn,
  );
  const hash = definitionHash(definition);
  const workflow: WorkflowRef = { stateMachineArn, definitionHash: hash, version };
  const now = deps.now();
  await deps.auditStore.putWorkflow({
    definitionHash: hash,
    definition,
    stateMachineArn,
    version,
    firstSeenAt: now.toISOString(),
  });

  const events = await fetchHistory(deps.sfn, executionArn);
  const written = await deps.auditStore.putHistory(caseId, name, events);
  await deps.auditStore.putExecution({
    caseId,
    executionName: name,
    executionArn,
    status,
    startDate: described.startDate ? new Date(described.startDate).toISOString() : '',
    ...(described.stopDate ? { stopDate: new Date(described.stopDate).toISOString() } : {}),
    workflow,
    events: events.length,
    archivedAt: now.toISOString(),
  });
  // Pins what was archived into the hash chain: a later edit of an archived history event is detected by `verify`.
  const key = `history:${name}:${status}:${events.length}`;
  await deps.caseStore.appendOnce(
    caseId,
    key,
    (existing) =>
      existing.length === 0
        ? undefined
        : {
            actor: systemActor,
            key,
            data: {
              type: 'HISTORY_ARCHIVED',
              executionName: name,
              status,
              events: events.length,
              historyHash: historyDigest(events),
              workflow,
            },
          },
    now,
  );
  return { caseId, executionName: name, status, events: events.length, written, workflow };
};

/** What EventBridge delivers for `aws.states` "Step Functions Execution Status Change" (the fields we read). */
export interface ExecutionStatusChangeEvent {
  version: '0';
  source: 'aws.states';
  'detail-type': 'Step Functions Execution Status Change';
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: string;
    startDate?: number;
    stopDate?: number | null;
  };
}
