import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** GSI that serves the agency work queues: `GSI1PK = QUEUE#<agency>#<unit code>`, `GSI1SK` = due time (ISO 8601). */
export const queueIndexName = 'GSI1';

/**
 * The single table: case events, case state, agency tasks, uniqueness claims, tracking codes, each told apart by
 * its `PK`/`SK` prefix (the architecture's "Data" section). Civil-status records are kept forever, so neither the table nor its key can be
 * removed by a stack update or deletion.
 */
export class CaseStore extends Construct {
  readonly table: Table;
  readonly key: Key;
  /**
   * Seals the workflow's callback tokens before they are written to the table (functions/adapters/tokenSeal.ts): not
   * the table's key, so reading the table (or a backup) yields no usable token. Encrypt is granted to the step that
   * opens tasks, Decrypt to the functions that deliver decisions and supplements, nothing else.
   */
  readonly tokenKey: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new Key(this, 'TableKey', {
      description: 'Lienthong case table: encrypts civil-status personal data at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.tokenKey = new Key(this, 'TaskTokenKey', {
      description: 'Lienthong callback tokens: sealed in the case table, opened only by the decision path',
      enableKeyRotation: true,
      // A token lives as long as its task (at most a supplement window): nothing to keep once the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Only the rate-limit counts (`RATE#…`, adapters/rateLimit.ts) carry `expiresAt`: records never expire.
      timeToLiveAttribute: 'expiresAt',
    });

    this.table.addGlobalSecondaryIndex({
      indexName: queueIndexName,
      partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
      sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
