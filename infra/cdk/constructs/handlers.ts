import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiHandlers, stepHandlers } from '#infra/handlers.js';
import type { ChainAnchor } from './chainAnchor.js';
import { lambdaDefaults } from './lambdaDefaults.js';
import type { Notifications } from './notifications.js';

export type StepPlaceholder = (typeof stepHandlers)[number]['placeholder'];
export type ApiHandlerName = (typeof apiHandlers)[number]['name'];

/** What one handler may do beyond writing its own logs. Keyed by the names in `infra/handlers.ts`, so a handler
 * added there without a line here fails the type check instead of deploying with no (or too many) rights. */
interface Access {
  readonly table: 'read' | 'readWrite';
  /** `start`: StartExecution + DescribeExecution; `answer`: SendTaskSuccess/Failure/Heartbeat (callback tokens). */
  readonly workflow: ReadonlyArray<'start' | 'answer'>;
  /** Callback tokens (functions/adapters/tokenSeal.ts): `seal` (KMS Encrypt) or `open` (KMS Decrypt) with the token key. */
  readonly taskToken?: 'seal' | 'open';
  /** Sends SMS / e-mail / supervisors' notices (functions/adapters/notifier.ts). */
  readonly notify?: true;
}

const stepAccess: Record<StepPlaceholder, Access> = {
  ReceiveDossierFunctionArn: { table: 'readWrite', workflow: [], notify: true },
  // Opens the agency task with the callback token; answers it itself when an agency system decides synchronously.
  OpenAgencyTaskFunctionArn: { table: 'readWrite', workflow: ['answer'], taskToken: 'seal', notify: true },
  EscalateOverdueFunctionArn: { table: 'readWrite', workflow: [], notify: true },
  CompleteProcedureFunctionArn: { table: 'readWrite', workflow: [], notify: true },
  RecordRefusalFunctionArn: { table: 'readWrite', workflow: [], notify: true },
  FinalizeCaseFunctionArn: { table: 'readWrite', workflow: [] },
  NotifyApplicantFunctionArn: { table: 'readWrite', workflow: [], notify: true },
};

const apiAccess: Record<ApiHandlerName, Access> = {
  health: { table: 'read', workflow: [] },
  applications: { table: 'readWrite', workflow: ['start'] },
  // Every read of personal data is recorded (the access log), hence write access for readers.
  cases: { table: 'readWrite', workflow: ['start'] },
  queue: { table: 'readWrite', workflow: [] },
  // Sends the apology and new-appointment slip when a deadline is extended.
  tasks: { table: 'readWrite', workflow: ['answer'], taskToken: 'open', notify: true },
  // A parent's supplement answers the SUPPLEMENT callback task of the workflow, like an officer's does.
  tracking: { table: 'readWrite', workflow: ['answer'], taskToken: 'open' },
  // Auditors change nothing, but each of their reads is recorded in the case's access log.
  audit: { table: 'readWrite', workflow: [] },
};

export interface HandlerFunctionsProps {
  readonly projectRoot: string;
  readonly table: ITable;
  /** Seals the callback tokens kept in the table (passed as `TOKEN_KEY_ARN` to the functions that seal or open). */
  readonly tokenKey: IKey;
  /** ARN of the birth-bundle state machine, built from its fixed name (no reference to the resource: no cycle). */
  readonly stateMachineArn: string;
  /** ARN pattern of that machine's executions, for DescribeExecution. */
  readonly executionArns: string;
  /** Where chain heads are kept: every function that writes the table anchors the heads it writes. */
  readonly chainAnchor?: ChainAnchor;
  /** SNS / SES for the functions that notify. */
  readonly notifications?: Notifications;
}

/** One Lambda function per entry of `stepHandlers` and `apiHandlers`, bundled locally by esbuild. */
export class HandlerFunctions extends Construct {
  readonly steps = new Map<StepPlaceholder, NodejsFunction>();
  readonly api = new Map<ApiHandlerName, NodejsFunction>();
  /** The functions that send notifications (their failures are a metric: constructs/monitoring.ts). */
  readonly notifying: NodejsFunction[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: HandlerFunctionsProps,
  ) {
    super(scope, id);
    for (const step of stepHandlers) {
      const name = step.placeholder.replace(/FunctionArn$/, '');
      const withWorkflow = stepAccess[step.placeholder].workflow.length > 0;
      const fn = this.makeFunction(`Step${name}`, step.entry, stepAccess[step.placeholder], withWorkflow, 30);
      this.steps.set(step.placeholder, fn);
    }
    for (const group of apiHandlers) {
      const name = group.name.charAt(0).toUpperCase() + group.name.slice(1);
      // HTTP API integrations time out at 30 s; a route that needs longer is a workflow step.
      const fn = this.makeFunction(`Api${name}`, group.entry, apiAccess[group.name], true, 15);
      this.api.set(group.name, fn);
    }
  }

  get all(): NodejsFunction[] {
    return [...this.steps.values(), ...this.api.values()];
  }

  private makeFunction(
    id: string,
    entry: string,
    access: Access,
    withStateMachineArn: boolean,
    timeoutSeconds: number,
  ): NodejsFunction {
    const { projectRoot, table, stateMachineArn, executionArns, tokenKey, chainAnchor, notifications } = this.props;
    // Own role instead of AWSLambdaBasicExecutionRole: the function may write to its own log group only.
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_YEAR });
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(
      this,
      id,
      lambdaDefaults({
        projectRoot,
        entry,
        role,
        logGroup,
        table,
        stateMachineArn: withStateMachineArn ? stateMachineArn : undefined,
        ...(chainAnchor ? { chainAnchor: chainAnchor.setting } : {}),
        timeout: Duration.seconds(timeoutSeconds),
      }),
    );

    if (access.notify) this.notifying.push(fn);
    if (access.notify && notifications) {
      for (const [k, v] of Object.entries(notifications.environment)) fn.addEnvironment(k, v);
      notifications.grantNotify(fn);
    }
    if (access.taskToken) {
      fn.addEnvironment('TOKEN_KEY_ARN', tokenKey.keyArn);
      if (access.taskToken === 'seal') tokenKey.grantEncrypt(fn);
      else tokenKey.grantDecrypt(fn);
    }
    if (access.table === 'readWrite') {
      table.grantReadWriteData(fn);
      chainAnchor?.grantAnchor(fn);
    } else table.grantReadData(fn);
    if (access.workflow.includes('start')) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }));
      fn.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionArns] }));
    }
    if (access.workflow.includes('answer')) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: [stateMachineArn],
        }),
      );
    }
    return fn;
  }
}
