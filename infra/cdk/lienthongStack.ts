import { ArnFormat, CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { PublicApi, type ThrottleProps } from './constructs/api.js';
import { OfficerDirectory } from './constructs/auth.js';
import { TableBackup } from './constructs/backup.js';
import { ChainAnchor } from './constructs/chainAnchor.js';
import { CaseStore } from './constructs/data.js';
import { HandlerFunctions } from './constructs/handlers.js';
import { HistoryArchive } from './constructs/historyArchive.js';
import { Monitoring } from './constructs/monitoring.js';
import { Notifications } from './constructs/notifications.js';
import { WebHosting } from './constructs/webHosting.js';
import { BirthBundleWorkflow } from './constructs/workflow.js';
import { acknowledgeNagFindings } from './nagAcknowledgements.js';

export interface LienthongStackProps extends StackProps {
  /** Repository root: `infra/handlers.ts` entries and the ASL file are relative to it. */
  readonly projectRoot: string;
  /** Absolute path of the web build (`web/dist`); deployed when it exists at synth time. */
  readonly webDist: string;
  /** Custom domain of the distribution and its ACM certificate ARN (us-east-1); else the `*.cloudfront.net` name. */
  readonly webDomain?: { readonly name: string; readonly certificateArn: string };
  /** WAF web ACL (CLOUDFRONT scope, us-east-1) to attach to the distribution. */
  readonly webAclArn?: string;
  /** Origins allowed besides the distribution's (CORS, Cognito callbacks), e.g. `http://localhost:3000`. */
  readonly extraWebOrigins: string[];
  /** Default throttling of the API stage. */
  readonly throttle: ThrottleProps;
  /** Prefix of the Cognito managed-login domain; default `<stack name>-<account>` in lowercase. */
  readonly cognitoDomainPrefix?: string;
  /** The families' e-mail sender, the SMS sender ID and the supervisors' addresses (docs/operations.md). */
  readonly notifications: {
    readonly emailFrom: string;
    readonly smsSenderId?: string;
    readonly supervisorEmails: string[];
  };
  /** Addresses subscribed to the operators' alarm topic. */
  readonly operatorEmails: string[];
}

/**
 * Everything the AWS runtime needs: the single table, one Lambda per handler of `infra/handlers.ts`, the
 * birth-bundle Standard state machine from `workflows/birth-bundle.asl.json`, the archive of its execution
 * histories, the HTTP API, the officers' user pool, and the web app (S3 + CloudFront, which also fronts the API).
 */
export class LienthongStack extends Stack {
  readonly caseStore: CaseStore;
  readonly chainAnchor: ChainAnchor;
  readonly backup: TableBackup;
  readonly handlers: HandlerFunctions;
  readonly workflow: BirthBundleWorkflow;
  readonly directory: OfficerDirectory;
  readonly api: PublicApi;
  readonly historyArchive: HistoryArchive;
  readonly notifications: Notifications;
  readonly monitoring: Monitoring;
  readonly web: WebHosting;
  /** Every origin the web app is served from: the distribution's (or its custom domain), then `extraWebOrigins`. */
  readonly webOrigins: string[] = [];
  /** Fixed at synth time (see below), unlike `workflow.stateMachine.stateMachineName` which is a token. */
  readonly stateMachineName: string;
  /** ARN pattern of the machine's executions (DescribeExecution). */
  readonly executionArns: string;

  constructor(scope: Construct, id: string, props: LienthongStackProps) {
    super(scope, id, props);

    this.caseStore = new CaseStore(this, 'CaseStore');
    // The heads of the case logs' hash chains, where whoever can rewrite the table cannot (docs/audit.md).
    this.chainAnchor = new ChainAnchor(this, 'ChainAnchor');
    // Daily and monthly recovery points beyond PITR's 35 days (constructs/backup.ts).
    this.backup = new TableBackup(this, 'Backup', { table: this.caseStore.table, key: this.caseStore.key });

    // The functions need the machine's ARN and the machine needs the functions' ARNs: name the machine up front
    // and build its ARN by hand, so neither resource references the other in both directions.
    const stateMachineName = `${this.stackName}-birth-bundle`;
    this.stateMachineName = stateMachineName;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const executionArns = this.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionArns = executionArns;

    // SMS and e-mail to families, notices to supervisors (functions/adapters/notificationChannels.ts).
    this.notifications = new Notifications(this, 'Notifications', {
      emailFrom: props.notifications.emailFrom,
      ...(props.notifications.smsSenderId ? { smsSenderId: props.notifications.smsSenderId } : {}),
      supervisorEmails: props.notifications.supervisorEmails,
      key: this.caseStore.key,
    });

    this.handlers = new HandlerFunctions(this, 'Handlers', {
      projectRoot: props.projectRoot,
      table: this.caseStore.table,
      tokenKey: this.caseStore.tokenKey,
      stateMachineArn,
      executionArns,
      chainAnchor: this.chainAnchor,
      notifications: this.notifications,
    });

    this.workflow = new BirthBundleWorkflow(this, 'Workflow', {
      projectRoot: props.projectRoot,
      stateMachineName,
      stepFunctions: this.handlers.steps,
    });

    // Step Functions keeps a history 90 days; the record lives forever: each status change copies it beside the case.
    this.historyArchive = new HistoryArchive(this, 'HistoryArchive', {
      projectRoot: props.projectRoot,
      table: this.caseStore.table,
      stateMachineArn,
      executionArns,
      chainAnchor: this.chainAnchor,
    });

    // The app client's callback URLs name the distribution, which is made after the API (its origin) and hence
    // after the user pool the API's authorizer needs: filled lazily, at synth. No resource cycle: client ->
    // distribution -> API <- authorizer -> client.
    this.directory = new OfficerDirectory(this, 'Officers', {
      webOrigins: Lazy.list({ produce: () => this.webOrigins.map((origin) => `${origin}/`) }),
      // Unique per region across all accounts: the account id makes the default so (a token in tests).
      domainPrefix: props.cognitoDomainPrefix ?? `${this.stackName.toLowerCase()}-${this.account}`,
    });

    this.api = new PublicApi(this, 'Api', {
      functions: this.handlers.api,
      userPool: this.directory.userPool,
      userPoolClient: this.directory.webClient,
      throttle: props.throttle,
    });

    this.web = new WebHosting(this, 'Web', {
      webDist: props.webDist,
      httpApi: this.api.httpApi,
      ...(props.webDomain
        ? {
            domain: {
              name: props.webDomain.name,
              certificate: Certificate.fromCertificateArn(this, 'WebCertificate', props.webDomain.certificateArn),
            },
          }
        : {}),
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
      signIn: { domainUrl: this.directory.domainUrl, clientId: this.directory.webClient.userPoolClientId },
    });
    this.webOrigins.push(this.web.origin, ...props.extraWebOrigins);
    this.api.allowBrowserOrigins(this.webOrigins);

    // Alarms to the operators' topic and one dashboard (docs/operations.md).
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stateMachine: this.workflow.stateMachine,
      functions: [...this.handlers.all, this.historyArchive.function],
      notifyingFunctions: this.handlers.notifying,
      httpApi: this.api.httpApi,
      deadLetterQueue: this.historyArchive.deadLetterQueue,
      operatorEmails: props.operatorEmails,
      key: this.caseStore.key,
    });

    acknowledgeNagFindings(this);

    new CfnOutput(this, 'WebUrl', { value: `${this.web.origin}/` });
    new CfnOutput(this, 'DistributionId', { value: this.web.distribution.distributionId });
    new CfnOutput(this, 'WebBucketName', { value: this.web.bucket.bucketName });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.directory.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.directory.webClient.userPoolClientId });
    new CfnOutput(this, 'SignInDomainUrl', { value: this.directory.domainUrl });
    new CfnOutput(this, 'TableName', { value: this.caseStore.table.tableName });
    new CfnOutput(this, 'ChainAnchorBucketName', { value: this.chainAnchor.bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'SupervisorTopicArn', { value: this.notifications.supervisorTopic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'HistoryDeadLetterQueueUrl', { value: this.historyArchive.deadLetterQueue.queueUrl });
  }
}
