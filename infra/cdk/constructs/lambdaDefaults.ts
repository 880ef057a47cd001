import path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type NodejsFunctionProps, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';

/** ESM bundles still meet CommonJS dependencies that call `require`: give them one. */
const esmRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface LambdaDefaultsProps {
  readonly projectRoot: string;
  /** The handler's file, relative to `projectRoot` (an `entry` of `infra/handlers.ts`). */
  readonly entry: string;
  readonly role: IRole;
  readonly logGroup: ILogGroup;
  /** The case table, passed as `TABLE_NAME`. */
  readonly table: ITable;
  /** Passed as `STATE_MACHINE_ARN` when given; a function that never names the workflow goes without. */
  readonly stateMachineArn?: string;
  /** Where chain heads are kept, passed as `CHAIN_ANCHOR` (`s3://<bucket>`, constructs/chainAnchor.ts). */
  readonly chainAnchor?: string;
  readonly timeout: Duration;
}

/** The props every Lienthong Lambda function shares: Node 22 on ARM, traced, bundled locally by esbuild as ESM. */
export function lambdaDefaults(props: LambdaDefaultsProps): NodejsFunctionProps {
  const { projectRoot, entry, role, logGroup, table, stateMachineArn, chainAnchor, timeout } = props;
  return {
    entry: path.join(projectRoot, entry),
    handler: 'handler',
    projectRoot,
    depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: 512,
    timeout,
    tracing: Tracing.ACTIVE,
    role,
    logGroup,
    environment: {
      TABLE_NAME: table.tableName,
      ...(stateMachineArn !== undefined ? { STATE_MACHINE_ARN: stateMachineArn } : {}),
      ...(chainAnchor !== undefined ? { CHAIN_ANCHOR: chainAnchor } : {}),
      POWERTOOLS_SERVICE_NAME: 'lienthong',
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      mainFields: ['module', 'main'],
      banner: esmRequireBanner,
      target: 'node22',
      minify: true,
      sourceMap: true,
      sourceMapMode: SourceMapMode.DEFAULT,
      // Ship the SDK versions the tests ran against, not whatever the managed runtime carries this month.
      bundleAwsSDK: true,
    },
  };
}
