import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ChainAnchorProps {
  /**
   * How long an anchored head cannot be deleted or overwritten, by anyone (Object Lock, compliance mode). Default
   * 100 years: a civil-status record is kept forever. A throw-away test stack may pass a few days.
   */
  readonly retention?: Duration;
}

/**
 * Where the heads of the hash chains are kept (functions/adapters/chainAnchor.ts, `CHAIN_ANCHOR=s3://<bucket>`):
 * an S3 bucket with Object Lock in compliance mode. The functions that write the case table may add a head (an empty
 * object `heads/<chain>/<seq>/<hash>`), nobody can delete or replace one before its retention ends, so whoever can
 * rewrite the table cannot make a deleted tail or a re-hashed chain match its anchored heads (docs/audit.md).
 */
export class ChainAnchor extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ChainAnchorProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Heads', {
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(props.retention ?? Duration.days(36_500)),
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'Objects are empty and write-once under Object Lock; who wrote a head is in the case log it anchors.',
    });
  }

  /** `CHAIN_ANCHOR` for the functions' environment. */
  get setting(): string {
    return `s3://${this.bucket.bucketName}`;
  }

  /** Adding heads (PutObject under `heads/`) and listing them back; never deleting (Object Lock forbids it anyway). */
  grantAnchor(fn: IFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('heads/*')] }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucketVersions', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['heads/*'] } },
      }),
    );
    const heads = `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as never)}.Arn>/heads/*`;
    // Grants land on the function's own role, a sibling of the function in the tree.
    for (const scope of [fn, ...(fn.role ? [fn.role] : [])]) {
      Validations.of(scope).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[${heads}]`,
        reason: 'One object per chain head, named at run time by case and seq; write-once under Object Lock.',
      });
    }
  }
}
