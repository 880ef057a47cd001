/**
 * AWS SDK clients, built once per process from the config. Local mode points the same clients at the embedded
 * endpoints (dynalite on :8000, the Step Functions endpoint on :8083).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let dynamo: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;

export const dynamoDocumentClient = (): DynamoDBDocumentClient => {
  if (!dynamo) {
    const c = config();
    const raw = new DynamoDBClient({
      region: c.region,
      ...(c.dynamoEndpoint ? { endpoint: c.dynamoEndpoint, credentials: localCredentials } : {}),
    });
    dynamo = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  }
  return dynamo;
};

export const sfnClient = (): SFNClient => {
  if (!sfn) {
    const c = config();
    sfn = new SFNClient({
      region: c.region,
      ...(c.sfnEndpoint ? { endpoint: c.sfnEndpoint, credentials: localCredentials } : {}),
    });
  }
  return sfn;
};
