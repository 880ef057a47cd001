/**
 * Keeps every execution's history beside its case, forever (Step Functions keeps it 90 days): an EventBridge rule on
 * `aws.states` "Step Functions Execution Status Change" for the birth-bundle machine → the archive Lambda
 * (functions/steps/archiveExecutionHistory.ts, `eventHandlers` in infra/handlers.ts), which reads the history
 * (GetExecutionHistory, every page) and the definition it ran on (DescribeStateMachineForExecution /
 * DescribeStateMachine) and writes them in the case table. Failed deliveries are retried by EventBridge for a day,
 * then kept in a dead-letter queue; a run of the function that throws is retried twice by Lambda and then sent to the
 * same queue (its on-failure destination). The handler is idempotent, so a redelivery writes nothing twice.
 *
 * The lead wires it in the stack:
 *   new HistoryArchive(this, 'HistoryArchive', { projectRoot, table, stateMachineArn, executionArns });
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventHandlers } from '#infra/handlers.js';
import type { ChainAnchor } from './chainAnchor.js';
import { lambdaDefaults } from './lambdaDefaults.js';

export interface HistoryArchiveProps {
  readonly projectRoot: string;
  /** The case table: history, executions and workflow definitions are written beside the cases. */
  readonly table: ITable;
  /** ARN of the birth-bundle state machine (its versions' ARNs start with it). */
  readonly stateMachineArn: string;
  /** ARN pattern of that machine's executions. */
  readonly executionArns: string;
  /** Where chain heads are kept: the HISTORY_ARCHIVED event is a new head of the case's chain. */
  readonly chainAnchor?: ChainAnchor;
}

export class HistoryArchive extends Construct {
  readonly function: NodejsFunction;
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: HistoryArchiveProps) {
    super(scope, id);
    const entry = eventHandlers.find((h) => h.name === 'archiveExecutionHistory')!.entry;
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR });
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new NodejsFunction(
      this,
      'Function',
      lambdaDefaults({
        projectRoot: props.projectRoot,
        entry,
        role,
        logGroup,
        table: props.table,
        stateMachineArn: props.stateMachineArn,
        ...(props.chainAnchor ? { chainAnchor: props.chainAnchor.setting } : {}),
        // A long history is paged 1000 events at a time and written one item per event.
        timeout: Duration.minutes(5),
      }),
    );
    // Writes history, execution and workflow items, and the HISTORY_ARCHIVED event of the case log.
    props.table.grantReadWriteData(this.function);
    props.chainAnchor?.grantAnchor(this.function);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:GetExecutionHistory', 'states:DescribeExecution', 'states:DescribeStateMachineForExecution'],
        resources: [props.executionArns],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeStateMachine'],
        // The machine and its versions (`<arn>:<version>`), for a definition that ran on a version.
        resources: [props.stateMachineArn, `${props.stateMachineArn}:*`],
      }),
    );

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.rule = new Rule(this, 'StatusChange', {
      description: 'Archive the execution history of every birth-bundle status change beside its case',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [props.stateMachineArn] },
      },
      targets: [
        new LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          maxEventAge: Duration.hours(24),
          retryAttempts: 185,
        }),
      ],
    });
    // EventBridge invokes the function asynchronously: a delivery that reached it but then threw (a throttled
    // GetExecutionHistory, a timeout) is retried by Lambda, and what still fails goes to the same dead-letter queue
    // instead of being discarded. The handler is idempotent: docs/operations.md says how to replay a dead letter.
    this.function.configureAsyncInvoke({
      onFailure: new SqsDestination(this.deadLetterQueue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
  }
}
