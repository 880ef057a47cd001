import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PublicApi, type ThrottleProps } from './constructs/api.js';
import { OfficerDirectory } from './constructs/auth.js';
import { CaseStore } from './constructs/data.js';
import { HandlerFunctions } from './constructs/handlers.js';
import { BirthBundleWorkflow } from './constructs/workflow.js';
import { acknowledgeNagFindings } from './nagAcknowledgements.js';

export interface LienthongStackProps extends StackProps {
  /** Repository root: `infra/handlers.ts` entries and the ASL file are relative to it. */
  readonly projectRoot: string;
  /** Origin of the web app (CORS, Cognito callback), e.g. `https://lienthong.example.gov.vn`. */
  readonly webOrigin: string;
  /** Default throttling of the API stage. */
  readonly throttle: ThrottleProps;
}

/**
 * Everything the AWS runtime needs: the single table, one Lambda per handler of `infra/handlers.ts`, the
 * birth-bundle Standard state machine from `workflows/birth-bundle.asl.json`, the HTTP API and the officers'
 * user pool.
 */
export class LienthongStack extends Stack {
  readonly caseStore: CaseStore;
  readonly handlers: HandlerFunctions;
  readonly workflow: BirthBundleWorkflow;
  readonly directory: OfficerDirectory;
  readonly api: PublicApi;
  /** Fixed at synth time (see below), unlike `workflow.stateMachine.stateMachineName` which is a token. */
  readonly stateMachineName: string;
  /** ARN pattern of the machine's executions (DescribeExecution). */
  readonly executionArns: string;

  constructor(scope: Construct, id: string, props: LienthongStackProps) {
    super(scope, id, props);

    this.caseStore = new CaseStore(this, 'CaseStore');

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

    this.handlers = new HandlerFunctions(this, 'Handlers', {
      projectRoot: props.projectRoot,
      table: this.caseStore.table,
      stateMachineArn,
      executionArns,
    });

    this.workflow = new BirthBundleWorkflow(this, 'Workflow', {
      projectRoot: props.projectRoot,
      stateMachineName,
      stepFunctions: this.handlers.steps,
    });

    this.directory = new OfficerDirectory(this, 'Officers', { webOrigin: props.webOrigin });

    this.api = new PublicApi(this, 'Api', {
      functions: this.handlers.api,
      userPool: this.directory.userPool,
      userPoolClient: this.directory.webClient,
      webOrigin: props.webOrigin,
      throttle: props.throttle,
    });

    // Room for the next issues, each its own construct beside these:
    // - ExecutionHistoryArchive: EventBridge rule on Step Functions status changes copying each execution's
    //   history into the table (Step Functions keeps it 90 days; the record lives forever).
    // - WebHosting: S3 bucket + CloudFront distribution serving `web/`; its domain then becomes `webOrigin`.

    acknowledgeNagFindings(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'UserPoolId', { value: this.directory.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.directory.webClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.caseStore.table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
  }
}
