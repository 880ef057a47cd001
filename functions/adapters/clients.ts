/**
 * AWS SDK clients, built once per process from the config. Local mode points the same clients at the embedded
 * endpoints (dynalite on :8000, the Step Functions endpoint on :8083).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromConfig } from './config.js';

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const dynamoDocumentClient = fromConfig(
  (c): DynamoDBDocumentClient =>
    DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: c.region,
        ...(c.dynamoEndpoint ? { endpoint: c.dynamoEndpoint, credentials: localCredentials } : {}),
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    ),
);

export const sfnClient = fromConfig(
  (c): SFNClient =>
    new SFNClient({
      region: c.region,
      ...(c.sfnEndpoint ? { endpoint: c.sfnEndpoint, credentials: localCredentials } : {}),
    }),
);
