/**
 * The only code that reads and writes the case table. Single-item conditional writes only (no transactions):
 * - case event  PK=CASE#<id> SK=EVENT#<seq 9 digits>  written with attribute_not_exists: the seq is the optimistic lock
 * - case state  PK=CASE#<id> SK=STATE                  projection, written forward only (version < :seq)
 * - agency task PK=CASE#<id> SK=TASK#<procedure>       open decision; GSI1 = queue / due time
 * - task token  PK=CASE#<id> SK=TASKTOKEN#<procedure>  its callback token, sealed (adapters/tokenSeal.ts); in no index
 * - claim       PK=UNIQUE#<kind>#<value> SK=CLAIM       first case wins; the same case claiming again is a no-op.
 *                                                      A filing's claim is pending (`pendingUntil`) until its case
 *                                                      is written; a stale pending claim of a case that never came to
 *                                                      exist may be taken over (see claimForFiling)
 * - request     PK=REQUEST#<hash> SK=REQUEST           one officer's filing request: the case id, dossier code and
 *                                                      sealed secret its retries answer with (api/filing.ts)
 * - tracking    PK=TRACK#<code> SK=TRACK               case id + hash of the parent's secret
 * - counter     PK=COUNTER#<name> SK=COUNTER           atomic ADD
 * Each event's hash is also the chain's new head, anchored outside the table (adapters/chainAnchor.ts). Reads of a
 * case are not events: they go to the access log (adapters/auditStore.ts), never into the case's legal chain.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CaseState, projectCase } from '#domain/caseState.js';
import { WriteConflictError } from '#domain/errors.js';
import type { CaseEvent, NewEvent } from '#domain/events.js';
import { eventHash, GENESIS_HASH } from '#domain/hashChain.js';
import type { Agency, Procedure, TaskKind } from '#domain/procedures.js';
import { type ChainAnchor, caseChain } from './chainAnchor.js';

/** Writers racing on one case (parallel branches, an officer and a step) retry with jittered backoff this many times. */
const MAX_APPEND_ATTEMPTS = 30;

const pad = (seq: number) => String(seq).padStart(9, '0');
const casePk = (caseId: string) => `CASE#${caseId}`;

export interface AgencyTask {
  caseId: string;
  procedure: Procedure;
  kind: TaskKind;
  round: number;
  agency: Agency;
  unit: string;
  dueAt: string;
  dossierCode: string;
  overdue: boolean;
  openedAt: string;
}

/** Who holds a uniqueness claim; `pendingUntil` while the holder's filing has not written its case yet. */
export interface ClaimHolder {
  caseId: string;
  pendingUntil?: string;
}

/** A filing request as recorded for its retries: the answer it gives, the secret sealed with the request's id. */
export interface FilingRequest {
  caseId: string;
  dossierCode: string;
  receivedAt: string;
  sealedSecret: string;
}

export interface AppendResult {
  events: CaseEvent[];
  state: CaseState;
  /** The event with the requested key: newly written, or found (recorded earlier). */
  event: CaseEvent;
  written: boolean;
}

export class CaseStore {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    /** Where each new head of a case's chain is kept; none for tools that only read (and the data-layer tests). */
    readonly anchor?: ChainAnchor,
  ) {}

  async loadEvents(caseId: string): Promise<CaseEvent[]> {
    const out: CaseEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :ev)',
          ExpressionAttributeValues: { ':pk': casePk(caseId), ':ev': 'EVENT#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of r.Items ?? []) out.push(item.event as CaseEvent);
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /**
   * Appends one event unless an event with the same key is already recorded; then writes the state projection.
   * `build` sees the events so far and returns the event to write (or undefined to write nothing).
   * Concurrent writers (parallel branches) race on the seq: the loser reloads and tries again.
   */
  async appendOnce(
    caseId: string,
    key: string,
    build: (events: CaseEvent[]) => NewEvent | undefined,
    now: Date,
  ): Promise<AppendResult | undefined> {
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      // Lost the race for this seq: back off a random few milliseconds so the writers spread out.
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** attempt)));
      const events = await this.loadEvents(caseId);
      const found = events.find((e) => e.key === key);
      if (found) {
        // A writer that crashed after its event and before the projection or the anchor: finish its work.
        const state = projectCase(events);
        await this.saveState(state);
        await this.anchorHead(events.at(-1)!);
        return { events, state, event: found, written: false };
      }
      const next = build(events);
      if (!next) return undefined;
      const last = events.at(-1);
      const base = {
        caseId,
        seq: (last?.seq ?? 0) + 1,
        at: now.toISOString(),
        actor: next.actor,
        key,
        data: next.data,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const event: CaseEvent = { ...base, hash: eventHash(base) };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              PK: casePk(caseId),
              SK: `EVENT#${pad(event.seq)}`,
              type: event.data.type,
              event,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) continue;
        throw err;
      }
      const all = [...events, event];
      const state = projectCase(all);
      await this.saveState(state);
      await this.anchorHead(event);
      return { events: all, state, event, written: true };
    }
    throw new WriteConflictError(`Too many concurrent writers on case ${caseId}`);
  }

  /** The chain reached this event: its hash is the new head (a deleted or rewritten tail no longer matches it). */
  private async anchorHead(e: CaseEvent): Promise<void> {
    await this.anchor?.anchor(caseChain(e.caseId), { seq: e.seq, hash: e.hash });
  }

  /** The first event of a case: fails (returns false) if the case already exists. */
  async createCase(caseId: string, first: NewEvent, now: Date): Promise<AppendResult> {
    const r = await this.appendOnce(caseId, first.key, (events) => (events.length === 0 ? first : undefined), now);
    if (!r) throw new WriteConflictError(`Case ${caseId} already exists`);
    return r;
  }

  async saveState(state: CaseState): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: casePk(state.caseId), SK: 'STATE', ...stateIndexKeys(state), state, version: state.version },
          ConditionExpression: 'attribute_not_exists(PK) OR version < :v',
          ExpressionAttributeValues: { ':v': state.version },
        }),
      );
    } catch (err) {
      // A newer projection is already there: forward-only, so nothing to do.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async getState(caseId: string): Promise<CaseState | undefined> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: 'STATE' }, ConsistentRead: true }),
    );
    return r.Item?.state as CaseState | undefined;
  }

  /** Cases of one commune (GSI1 `UNIT#<commune>`), newest first. */
  async listCasesOfUnit(unit: string, limit = 50): Promise<CaseState[]> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': `UNIT#${unit}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => i.state as CaseState);
  }

  /**
   * Publishes a task in its queue. `sealedToken` (the waiting step's callback token, sealed) goes to an item of its
   * own with no index keys, so no index ever projects it; it is written first, so a task in a queue has its token.
   */
  async putTask(task: AgencyTask, sealedToken?: string): Promise<void> {
    if (sealedToken !== undefined) {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: casePk(task.caseId),
            SK: `TASKTOKEN#${task.procedure}`,
            round: task.round,
            kind: task.kind,
            sealedToken,
          },
        }),
      );
    }
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: casePk(task.caseId),
          SK: `TASK#${task.procedure}`,
          GSI1PK: queueKey(task.agency, task.unit),
          GSI1SK: `${task.dueAt}#${task.caseId}`,
          task,
        },
      }),
    );
  }

  /** The sealed callback token of the procedure's task of this round and kind, if that task is the one waiting. */
  async getSealedToken(
    caseId: string,
    procedure: Procedure,
    round: number,
    kind: TaskKind,
  ): Promise<string | undefined> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: casePk(caseId), SK: `TASKTOKEN#${procedure}` },
        ConsistentRead: true,
      }),
    );
    return r.Item && r.Item.round === round && r.Item.kind === kind ? (r.Item.sealedToken as string) : undefined;
  }

  async getTask(caseId: string, procedure: Procedure): Promise<AgencyTask | undefined> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: casePk(caseId), SK: `TASK#${procedure}` },
        ConsistentRead: true,
      }),
    );
    return r.Item?.task as AgencyTask | undefined;
  }

  /** Removes an answered task and its token, unless it was re-opened since (another round). */
  async closeTask(caseId: string, procedure: Procedure, round: number, kind: TaskKind): Promise<void> {
    for (const [sk, names] of [
      [`TASK#${procedure}`, { '#t': 'task', '#r': 'round', '#k': 'kind' }],
      [`TASKTOKEN#${procedure}`, { '#r': 'round', '#k': 'kind' }],
    ] as const) {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { PK: casePk(caseId), SK: sk },
            ConditionExpression: '#t' in names ? '#t.#r = :r AND #t.#k = :k' : '#r = :r AND #k = :k',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':r': round, ':k': kind },
          }),
        );
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
  }

  async markTaskOverdue(caseId: string, procedure: Procedure, round: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: casePk(caseId), SK: `TASK#${procedure}` },
          UpdateExpression: 'SET #t.overdue = :true',
          ConditionExpression: '#t.#r = :r',
          ExpressionAttributeNames: { '#t': 'task', '#r': 'round' },
          ExpressionAttributeValues: { ':true': true, ':r': round },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /** An agency's open tasks in one unit, most urgent first. */
  async queue(agency: Agency, unit: string, limit = 100): Promise<AgencyTask[]> {
    const r = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': queueKey(agency, unit) },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return (r.Items ?? []).map((i) => i.task as AgencyTask);
  }

  /** Claims `value` of `kind` for a case. Returns the case that holds it when another case got there first. */
  async claimUnique(kind: string, value: string, caseId: string): Promise<string | undefined> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM', caseId },
          ConditionExpression: 'attribute_not_exists(PK) OR caseId = :c',
          ExpressionAttributeValues: { ':c': caseId },
        }),
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const r = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM' },
          ConsistentRead: true,
        }),
      );
      return (r.Item?.caseId as string | undefined) ?? 'unknown';
    }
  }

  /** Gives a claim back (a filing that failed half-way must not block the next one). */
  async releaseClaim(kind: string, value: string, caseId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM' },
          ConditionExpression: 'caseId = :c',
          ExpressionAttributeValues: { ':c': caseId },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /**
   * Claims a uniqueness key for a case being filed, pending until `pendingUntil` (the case is not written yet).
   * Returns undefined when the claim is this case's (new, or renewed by a retry of the same filing), else the holder:
   * a holder without `pendingUntil` is confirmed (its case exists); a pending one is verified by the caller against
   * the case (caseExists) and, once stale, taken over with takeOverClaim.
   */
  async claimForFiling(
    kind: string,
    value: string,
    caseId: string,
    pendingUntil: Date,
  ): Promise<ClaimHolder | undefined> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM', caseId, pendingUntil: pendingUntil.toISOString() },
          ConditionExpression: 'attribute_not_exists(PK) OR (caseId = :c AND attribute_exists(pendingUntil))',
          ExpressionAttributeValues: { ':c': caseId },
        }),
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const holder = await this.getClaim(kind, value);
      // Confirmed by this very case (a retry after the case was written): still ours.
      if (holder?.caseId === caseId) return undefined;
      // Released between the write and the read: try again.
      return holder ?? this.claimForFiling(kind, value, caseId, pendingUntil);
    }
  }

  /**
   * Takes over a stale pending claim: only if it is still exactly `from` (same case, same expiry), so a holder that
   * renewed or confirmed it in the meantime keeps it. The caller has checked that `from`'s case does not exist.
   */
  async takeOverClaim(
    kind: string,
    value: string,
    from: ClaimHolder,
    caseId: string,
    pendingUntil: Date,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM', caseId, pendingUntil: pendingUntil.toISOString() },
          ConditionExpression: 'caseId = :old AND pendingUntil = :oldUntil',
          ExpressionAttributeValues: { ':old': from.caseId, ':oldUntil': from.pendingUntil ?? '' },
        }),
      );
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return false;
    }
  }

  /** The case is written: its claim is no longer pending (and can no longer be taken over). Idempotent. */
  async confirmClaim(kind: string, value: string, caseId: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM' },
          UpdateExpression: 'REMOVE pendingUntil',
          ConditionExpression: 'caseId = :c',
          ExpressionAttributeValues: { ':c': caseId },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async getClaim(kind: string, value: string): Promise<ClaimHolder | undefined> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM' },
        ConsistentRead: true,
      }),
    );
    if (!r.Item) return undefined;
    return {
      caseId: r.Item.caseId as string,
      ...(r.Item.pendingUntil ? { pendingUntil: r.Item.pendingUntil as string } : {}),
    };
  }

  /** True once the case's first event is written (the filing's commit point). */
  async caseExists(caseId: string): Promise<boolean> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: casePk(caseId), SK: `EVENT#${pad(1)}` },
        ConsistentRead: true,
        ProjectionExpression: 'PK',
      }),
    );
    return r.Item !== undefined;
  }

  /**
   * Records a filing request under its (hashed) key unless it is already recorded; returns the recorded one, so every
   * retry of the request files the same case with the same dossier code and secret.
   */
  async claimRequest(key: string, request: FilingRequest): Promise<FilingRequest> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `REQUEST#${key}`, SK: 'REQUEST', ...request },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return request;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const r = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { PK: `REQUEST#${key}`, SK: 'REQUEST' },
          ConsistentRead: true,
        }),
      );
      // Released between the write and the read (a concurrent attempt was refused): record ours.
      if (!r.Item) return this.claimRequest(key, request);
      const { caseId, dossierCode, receivedAt, sealedSecret } = r.Item as FilingRequest;
      return { caseId, dossierCode, receivedAt, sealedSecret };
    }
  }

  /** Forgets a refused filing request (only the one that filed `caseId`). */
  async releaseRequest(key: string, caseId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: `REQUEST#${key}`, SK: 'REQUEST' },
          ConditionExpression: 'caseId = :c',
          ExpressionAttributeValues: { ':c': caseId },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async holderOf(kind: string, value: string): Promise<string | undefined> {
    const r = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: `UNIQUE#${kind}#${value}`, SK: 'CLAIM' },
        ConsistentRead: true,
      }),
    );
    return r.Item?.caseId as string | undefined;
  }

  async putTracking(code: string, caseId: string, secretHash: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: `TRACK#${code}`, SK: 'TRACK', caseId, secretHash },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /**
   * The tracking record of a filing, written once: again with the same case and secret hash (a retry) is a no-op;
   * anything else on that code is refused (returns false).
   */
  async ensureTracking(code: string, caseId: string, secretHash: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `TRACK#${code}`, SK: 'TRACK', caseId, secretHash },
          ConditionExpression: 'attribute_not_exists(PK) OR (caseId = :c AND secretHash = :h)',
          ExpressionAttributeValues: { ':c': caseId, ':h': secretHash },
        }),
      );
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return false;
    }
  }

  /** A re-issued secret: replaces the hash of the case's own tracking record (false when the code is not the case's). */
  async replaceTrackingSecret(code: string, caseId: string, secretHash: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `TRACK#${code}`, SK: 'TRACK', caseId, secretHash },
          ConditionExpression: 'attribute_not_exists(PK) OR caseId = :c',
          ExpressionAttributeValues: { ':c': caseId },
        }),
      );
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return false;
    }
  }

  async getTracking(code: string): Promise<{ caseId: string; secretHash: string } | undefined> {
    const r = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: `TRACK#${code}`, SK: 'TRACK' } }),
    );
    return r.Item ? { caseId: r.Item.caseId as string, secretHash: r.Item.secretHash as string } : undefined;
  }

  /** Next value of a named counter (birth-register numbers per commune and year). */
  async nextCounter(name: string): Promise<number> {
    const r = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: `COUNTER#${name}`, SK: 'COUNTER' },
        UpdateExpression: 'ADD #v :one',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(r.Attributes?.value);
  }
}

export const queueKey = (agency: Agency, unit: string) => `QUEUE#${agency}#${unit}`;

/** The state item is also indexed by its registering commune, newest first, for the officers' case list. */
const stateIndexKeys = (s: CaseState) => ({
  GSI1PK: `UNIT#${s.registrationCommuneCode}`,
  GSI1SK: `${s.receivedAt}#${s.caseId}`,
});

/** The table's key schema, shared by the CDK app's assertions, the local runtime and the tests. */
export const caseTableDefinition = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' as const },
    { AttributeName: 'SK', AttributeType: 'S' as const },
    { AttributeName: 'GSI1PK', AttributeType: 'S' as const },
    { AttributeName: 'GSI1SK', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' as const },
    { AttributeName: 'SK', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' as const },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
});
