/**
 * Persistence of the local engine in one DynamoDB table (dynalite locally): one item per execution and one item per
 * history event, so a new process on the same data directory sees every execution and re-drives the running ones.
 *
 * | item      | PK                              | SK                 |
 * |-----------|---------------------------------|--------------------|
 * | execution | `SFN#SM#<stateMachineArn>`      | `EXEC#<name>`      |
 * | event     | `SFN#EXEC#<executionArn>`       | `EVENT#<id, 8 digits>` |
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** The definition the execution started on (placeholders filled): re-drives and redrives run it, not a newer one. */
  definition?: string;
  revisionId?: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  redriveCount?: number;
  redriveDate?: Date;
}

export interface StoredEvent {
  event: HistoryEvent;
  /** `<type>|<state name>`: what a re-drive compares to recognise an event it already recorded. */
  matchKey: string;
}

const executionKey = (stateMachineArn: string, name: string) => ({
  PK: `SFN#SM#${stateMachineArn}`,
  SK: `EXEC#${name}`,
});

function toItem(record: ExecutionRecord): Record<string, unknown> {
  return {
    ...executionKey(record.stateMachineArn, record.name),
    ...record,
    startDate: record.startDate.toISOString(),
    stopDate: record.stopDate?.toISOString(),
    redriveDate: record.redriveDate?.toISOString(),
  };
}

function fromItem(item: Record<string, unknown>): ExecutionRecord {
  const { PK: _pk, SK: _sk, startDate, stopDate, redriveDate, ...rest } = item;
  return {
    ...(rest as Omit<ExecutionRecord, 'startDate' | 'stopDate' | 'redriveDate'>),
    startDate: new Date(String(startDate)),
    ...(typeof stopDate === 'string' ? { stopDate: new Date(stopDate) } : {}),
    ...(typeof redriveDate === 'string' ? { redriveDate: new Date(redriveDate) } : {}),
  };
}

export class ExecutionStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  }

  async createTableIfMissing(): Promise<void> {
    try {
      await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException) && (error as Error).name !== 'ResourceNotFoundException') {
        throw error;
      }
    }
    try {
      await this.dynamo.send(
        new CreateTableCommand({
          TableName: this.tableName,
          AttributeDefinitions: [
            { AttributeName: 'PK', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (error) {
      // Another process created it between our describe and create.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
    for (let i = 0; i < 100; i++) {
      const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Writes a new execution; false when one with this name already exists (the caller then reads it). */
  async createExecution(record: ExecutionRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async saveExecution(record: ExecutionRecord): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: toItem(record) }));
  }

  async getExecution(stateMachineArn: string, name: string): Promise<ExecutionRecord | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: executionKey(stateMachineArn, name), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async listExecutions(stateMachineArn: string): Promise<ExecutionRecord[]> {
    const items = await this.queryAll(`SFN#SM#${stateMachineArn}`, 'EXEC#');
    return items.map(fromItem);
  }

  /** Writes history events, 25 to a request (BatchWriteItem's limit), retrying what DynamoDB left unprocessed. */
  async putEvents(executionArn: string, events: StoredEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 25) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] = events
        .slice(start, start + 25)
        .map(({ event, matchKey }) => ({
          PutRequest: {
            Item: {
              PK: `SFN#EXEC#${executionArn}`,
              SK: `EVENT#${String(event.id).padStart(8, '0')}`,
              matchKey,
              event: JSON.stringify(event),
            },
          },
        }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const { UnprocessedItems } = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async listEvents(executionArn: string): Promise<StoredEvent[]> {
    const items = await this.queryAll(`SFN#EXEC#${executionArn}`, 'EVENT#');
    return items.map((item) => {
      const event = JSON.parse(String(item.event)) as HistoryEvent & { timestamp: string };
      return { matchKey: String(item.matchKey), event: { ...event, timestamp: new Date(event.timestamp) } };
    });
  }

  private async queryAll(pk: string, skPrefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
          ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
