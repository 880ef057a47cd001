/**
 * What the auditor's side keeps in the case table, beside the case log (architecture.md "Audit and replay"):
 * - history event  PK=CASE#<id>      SK=HISTORY#<executionName>#<event id, 6 digits>  one GetExecutionHistory event,
 *                  written once (attribute_not_exists): an archived event is never rewritten
 * - execution      PK=CASE#<id>      SK=EXECUTION#<executionName>  status, dates, the workflow it ran on
 * - workflow       PK=WORKFLOW#<sha256 of the definition>  SK=DEFINITION  every definition that ever ran, forever
 * - access entry   PK=ACCESS#<id>    SK=READ#<seq 9>  who read the case's personal data, when and why: the access log,
 *                  hash-chained like the case log but in its own partition, so reading a case never writes into (nor
 *                  waits on) its legal chain; GSI1 `ACCESS#<yyyy-mm-dd>` lists reads across cases by day
 * One event per item: a history event holds at most one input/output (256 KB on AWS), under the 400 KB item limit.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CaseState } from '#domain/caseState.js';
import { WriteConflictError } from '#domain/errors.js';
import type { Actor, CaseEvent, WorkflowRef } from '#domain/events.js';
import type { HistoryEventJson } from '#domain/executionHistory.js';
import { type AccessEntry, type AnchoredHead, accessEntryHash, GENESIS_HASH } from '#domain/hashChain.js';
import { accessChain, accessCheckpointChain, type ChainAnchor } from './chainAnchor.js';

const casePk = (caseId: string) => `CASE#${caseId}`;
const accessPk = (caseId: string) => `ACCESS#${caseId}`;
const padId = (id: number) => String(id).padStart(6, '0');
const padSeq = (seq: number) => String(seq).padStart(9, '0');
/** Readers of one case racing for the next seq of its access log retry with jittered backoff this many times. */
const MAX_ACCESS_ATTEMPTS = 60;

export interface ArchivedExecution {
  caseId: string;
  executionName: string;
  executionArn: string;
  status: string;
  startDate: string;
  stopDate?: string;
  workflow: WorkflowRef;
  events: number;
  archivedAt: string;
}

export interface StoredWorkflow {
  definitionHash: string;
  definition: string;
  stateMachineArn: string;
  version: string;
  firstSeenAt: string;
}

export interface AccessRecord {
  caseId: string;
  seq: number;
  at: string;
  actor: CaseEvent['actor'];
  purpose: string;
}

const isConditionFailure = (err: unknown) =>
  err instanceof ConditionalCheckFailedException ||
  (err as { name?: string }).name === 'ConditionalCheckFailedException';

/** Every this many reads of a case, its access log's head is also anchored as a checkpoint verify starts from. */
export const ACCESS_CHECKPOINT_EVERY = 1000;

export class AuditStore {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    /** Where chain heads are kept (adapters/chainAnchor.ts); without one, verify cannot see a deleted tail. */
    readonly anchor?: ChainAnchor,
    /** Tests: a checkpoint every few entries. */
    readonly accessCheckpointEvery = ACCESS_CHECKPOINT_EVERY,
  ) {}

  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Writes the events not archived yet, 25 to a request (BatchWriteItem: the archive is the largest writer of the
   * table). An archived event is not written again; two archivers racing would write the same bytes (a history event
   * never changes), and the HISTORY_ARCHIVED event's digest makes any later edit visible to `verify`.
   * Returns how many were new.
   */
  async putHistory(caseId: string, executionName: string, events: HistoryEventJson[]): Promise<number> {
    const have = new Set((await this.loadHistory(caseId, executionName)).map((e) => e.id));
    const fresh = events.filter((e) => !have.has(e.id));
    for (let i = 0; i < fresh.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = fresh.slice(i, i + 25).map((event) => ({
        PutRequest: { Item: { PK: casePk(caseId), SK: `HISTORY#${executionName}#${padId(event.id)}`, event } },
      }));
      for (let attempt = 0; requests && requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        if (attempt > 8) throw new Error(`History archive of ${executionName}: DynamoDB left items unprocessed`);
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } }));
        requests = r.UnprocessedItems?.[this.tableName] as Record<string, unknown>[] | undefined;
      }
    }
    return fresh.length;
  }

  async loadHistory(caseId: string, executionName: string): Promise<HistoryEventJson[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
      ExpressionAttributeValues: { ':pk': casePk(caseId), ':h': `HISTORY#${executionName}#` },
      ConsistentRead: true,
    });
    return items.map((i) => i.event as HistoryEventJson);
  }

  async putExecution(x: ArchivedExecution): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: casePk(x.caseId), SK: `EXECUTION#${x.executionName}`, execution: x },
      }),
    );
  }

  async listExecutions(caseId: string): Promise<ArchivedExecution[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :x)',
      ExpressionAttributeValues: { ':pk': casePk(caseId), ':x': 'EXECUTION#' },
      ConsistentRead: true,
    });
    return items.map((i) => i.execution as ArchivedExecution);
  }

  /** First writer wins: the same hash is the same definition. */
  async putWorkflow(w: StoredWorkflow): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `WORKFLOW#${w.definitionHash}`, SK: 'DEFINITION', workflow: w },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async getWorkflow(definitionHash: string): Promise<StoredWorkflow | undefined> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: `WORKFLOW#${definitionHash}`, SK: 'DEFINITION' },
        ConsistentRead: true,
      }),
    );
    return r.Item?.workflow as StoredWorkflow | undefined;
  }

  /** The STATE item: the projection and its `version` (the last seq it saw; catches a deleted last event). */
  async stateItem(caseId: string): Promise<{ state?: CaseState; version?: number }> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: 'STATE' }, ConsistentRead: true }),
    );
    return {
      ...(r.Item?.state ? { state: r.Item.state as CaseState } : {}),
      ...(typeof r.Item?.version === 'number' ? { version: r.Item.version } : {}),
    };
  }

  /** Every archived history event of the case, by execution (whether or not a HISTORY_ARCHIVED pins it). */
  async listHistories(caseId: string): Promise<Map<string, HistoryEventJson[]>> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
      ExpressionAttributeValues: { ':pk': casePk(caseId), ':h': 'HISTORY#' },
      ConsistentRead: true,
    });
    const out = new Map<string, HistoryEventJson[]>();
    for (const i of items) {
      const sk = String(i.SK);
      const name = sk.slice('HISTORY#'.length, sk.lastIndexOf('#'));
      out.set(name, [...(out.get(name) ?? []), i.event as HistoryEventJson]);
    }
    return out;
  }

  /** The heads the anchor holds for a chain (undefined: no anchor configured, nothing to compare with). */
  async anchoredHeads(chain: string): Promise<AnchoredHead[] | undefined> {
    return this.anchor ? this.anchor.heads(chain) : undefined;
  }

  /**
   * Appends one read to the case's access log: the last entry is read (one item, not the log), the next seq written
   * with `attribute_not_exists`, its hash anchored. Readers racing on one case retry; the case's own log is untouched.
   */
  async recordAccess(caseId: string, actor: Actor, purpose: string, now: Date): Promise<AccessEntry> {
    for (let attempt = 0; attempt < MAX_ACCESS_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :r)',
          ExpressionAttributeValues: { ':pk': accessPk(caseId), ':r': 'READ#' },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const last = r.Items?.[0]?.entry as AccessEntry | undefined;
      const base = {
        caseId,
        seq: (last?.seq ?? 0) + 1,
        at: now.toISOString(),
        actor,
        purpose,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const entry: AccessEntry = { ...base, hash: accessEntryHash(base) };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              PK: accessPk(caseId),
              SK: `READ#${padSeq(entry.seq)}`,
              GSI1PK: `ACCESS#${entry.at.slice(0, 10)}`,
              GSI1SK: `${entry.at}#${caseId}#${padSeq(entry.seq)}`,
              entry,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (err) {
        if (isConditionFailure(err)) continue;
        throw err;
      }
      await this.anchor?.anchor(accessChain(caseId), { seq: entry.seq, hash: entry.hash });
      // A checkpoint: verify checks the log from here on (and the whole log only when asked: `verify --full`).
      if (entry.seq % this.accessCheckpointEvery === 0) {
        await this.anchor?.anchor(accessCheckpointChain(caseId), { seq: entry.seq, hash: entry.hash });
      }
      return entry;
    }
    throw new WriteConflictError(`Too many concurrent readers on case ${caseId}`);
  }

  /** The case's access log, oldest first (the entries after `afterSeq` only, when given: one query from there). */
  async loadAccess(caseId: string, afterSeq = 0): Promise<AccessEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': accessPk(caseId),
        ':from': `READ#${padSeq(afterSeq + 1)}`,
        ':to': `READ#${'9'.repeat(9)}`,
      },
      ConsistentRead: true,
    });
    return items.map((i) => i.entry as AccessEntry);
  }

  /** Every case (a full scan of the STATE items), optionally received within [from, to). For batch audits. */
  async listCases(range: { from?: string; to?: string } = {}): Promise<{ caseId: string; receivedAt: string }[]> {
    const out: { caseId: string; receivedAt: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'SK = :s',
          ExpressionAttributeValues: { ':s': 'STATE' },
          ProjectionExpression: 'PK, #st.receivedAt',
          ExpressionAttributeNames: { '#st': 'state' },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of r.Items ?? []) {
        const receivedAt = String((i.state as Partial<CaseState> | undefined)?.receivedAt ?? '');
        if (range.from && receivedAt < range.from) continue;
        if (range.to && receivedAt >= range.to) continue;
        out.push({ caseId: String(i.PK).replace(/^CASE#/, ''), receivedAt });
      }
      start = r.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.caseId.localeCompare(b.caseId));
  }

  /** Reads of personal data in [from, to) across every case: one query per day of the GSI1 `ACCESS#<day>` index. */
  async listAccess(from: string, to: string): Promise<AccessRecord[]> {
    const out: AccessRecord[] = [];
    for (
      let day = new Date(`${from.slice(0, 10)}T00:00:00Z`);
      day.toISOString() < to;
      day = new Date(day.getTime() + 86_400_000)
    ) {
      const items = await this.queryAll({
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': `ACCESS#${day.toISOString().slice(0, 10)}`, ':a': from, ':b': `${to}` },
      });
      for (const i of items) {
        const a = i.entry as AccessEntry | undefined;
        if (a && a.at >= from && a.at < to)
          out.push({ caseId: a.caseId, seq: a.seq, at: a.at, actor: a.actor, purpose: a.purpose });
        // Reads recorded before the access log had its own partition were CASE_VIEWED events in the case log.
        const e = i.event as CaseEvent | undefined;
        if (e?.data.type === 'CASE_VIEWED' && e.at >= from && e.at < to) {
          out.push({ caseId: e.caseId, seq: e.seq, at: e.at, actor: e.actor, purpose: e.data.purpose });
        }
      }
    }
    return out;
  }
}
