/**
 * Counts wrong attempts in DynamoDB, so a limit holds across Lambda instances (and the local server's restarts):
 *   PK=RATE#<bucket key>  SK=WINDOW#<window start>  attempts (number), expiresAt (epoch seconds, the table's TTL)
 * `check` reads the buckets before an attempt is judged; `fail` adds one wrong attempt to each. Attempts judged while
 * the last allowed one is in flight can pass the limit by as many as are in flight; the next one is refused.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Bucket, Window } from '#domain/rateLimit.js';
import { dynamoDocumentClient } from './clients.js';
import { fromConfig } from './config.js';

/** A window's counts are kept a day past its end, then the table's TTL removes them. */
const KEEP_SECONDS = 24 * 3600;

export class AttemptCounter {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  private key(bucket: Bucket, window: Window) {
    return { PK: `RATE#${bucket.key}`, SK: `WINDOW#${window.start}` };
  }

  /** The buckets whose wrong attempts in this window reached their limit (none: the attempt may be judged). */
  async spent(buckets: Bucket[], window: Window): Promise<Bucket[]> {
    const r = await this.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: { Keys: buckets.map((b) => this.key(b, window)), ConsistentRead: true },
        },
      }),
    );
    const counts = new Map(
      (r.Responses?.[this.tableName] ?? []).map((i) => [String(i.PK), Number(i.attempts ?? 0)] as const),
    );
    return buckets.filter((b) => (counts.get(`RATE#${b.key}`) ?? 0) >= b.limit);
  }

  /** Records one wrong attempt in each bucket. */
  async fail(buckets: Bucket[], window: Window): Promise<void> {
    await Promise.all(
      buckets.map((b) =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(b, window),
            UpdateExpression: 'ADD attempts :one SET expiresAt = :expires',
            ExpressionAttributeValues: { ':one': 1, ':expires': Math.ceil(window.endMs / 1000) + KEEP_SECONDS },
          }),
        ),
      ),
    );
  }
}

export const attemptCounter = fromConfig((c) => new AttemptCounter(dynamoDocumentClient(), c.tableName));
