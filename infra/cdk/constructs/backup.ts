import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TableBackupProps {
  readonly table: ITable;
  /** Encrypts the recovery points (the table's own key). */
  readonly key: IKey;
}

/**
 * Civil-status records are kept forever; point-in-time recovery reaches back 35 days only. AWS Backup keeps a daily
 * recovery point for 35 days and a monthly one for 10 years (cold storage after 90 days), in a vault that outlives the
 * stack. A table edited by mistake months ago can still be compared and restored; what verify detects
 * (docs/audit.md) can be repaired from a point before the damage.
 */
export class TableBackup extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);
    this.vault = new BackupVault(this, 'Vault', {
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily35Days',
          scheduleExpression: Schedule.cron({ hour: '18', minute: '0' }), // 01:00 in Vietnam
          deleteAfter: Duration.days(35),
        }),
        new BackupPlanRule({
          ruleName: 'Monthly10Years',
          scheduleExpression: Schedule.cron({ day: '1', hour: '18', minute: '0' }),
          moveToColdStorageAfter: Duration.days(90),
          deleteAfter: Duration.days(3650),
        }),
      ],
    });
    this.plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(props.table)] });
  }
}
