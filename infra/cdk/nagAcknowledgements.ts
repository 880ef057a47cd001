import { Annotations, ArnFormat, type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { LienthongStack } from './lienthongStack.js';

/** cdk-nag v3 findings are acknowledged by their exact id, qualified by the pack's namespace. */
const acknowledge = (scope: IConstruct, finding: string, reason: string): void =>
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });

/** How cdk-nag renders a resource's ARN in a finding id: `<LogicalId.Arn>`. */
const arnRef = (element: IConstruct): string => {
  const cfn = element.node.defaultChild as CfnElement;
  return `<${Stack.of(element).getLogicalId(cfn)}.Arn>`;
};

/** How cdk-nag renders a string built from pseudo parameters (`arn:<AWS::Partition>:states:...`). */
const rendered = (stack: Stack, value: string): string => {
  const resolved: unknown = stack.resolve(value);
  if (typeof resolved === 'string') return resolved;
  const join = (resolved as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`Cannot render ${JSON.stringify(resolved)} for a cdk-nag finding id`);
  return join[1].map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`)).join(join[0]);
};

/**
 * Every AwsSolutions finding this stack keeps on purpose, each on the narrowest construct, with its reason.
 * Anything not listed here fails `npm run synth` and the infra tests.
 */
export function acknowledgeNagFindings(stack: LienthongStack): void {
  const table = arnRef(stack.caseStore.table);

  // AWS Backup's own role for the table's selection.
  acknowledge(
    stack.backup.plan.node.findChild('Table'),
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    "AWS Backup's service-role policy: the documented permissions for backing up a DynamoDB table, kept current by AWS.",
  );

  // Grants land on each function's own role, a sibling of the function in the tree.
  const archive = stack.historyArchive.function;
  for (const fn of [...stack.handlers.all, archive].flatMap((f) => [f, f.role!])) {
    acknowledge(fn, 'L1', 'Node 22 is the runtime the project pins and tests on (package.json "node" 22.x).');
    acknowledge(
      fn,
      'IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level scope; SNS direct SMS (a phone number is not an ARN) neither.',
    );
    acknowledge(fn, `IAM5[Resource::${table}/index/*]`, "Only this table's indexes: the GSI1 work-queue query.");
    acknowledge(fn, 'IAM5[Action::kms:GenerateDataKey*]', 'Table writes through the one table key (CDK grant).');
    acknowledge(fn, 'IAM5[Action::kms:ReEncrypt*]', 'Table writes through the one table key (CDK grant).');
  }
  for (const name of ['applications', 'cases'] as const) {
    const fn = stack.handlers.api.get(name)?.role;
    if (!fn) continue;
    const executions = rendered(stack, stack.executionArns);
    acknowledge(fn, `IAM5[Resource::${executions}]`, 'Executions are named per case at run time; one machine only.');
  }

  const executions = rendered(stack, stack.executionArns);
  acknowledge(archive.role!, `IAM5[Resource::${executions}]`, 'Every execution of the one machine: its history.');
  acknowledge(
    archive.role!,
    `IAM5[Resource::${rendered(stack, `${stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stack.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })}:*`)}]`,
    "The machine's versions (`<arn>:<n>`): the definition an execution ran on.",
  );
  acknowledge(
    stack.historyArchive.deadLetterQueue,
    'SQS3',
    'This queue is the dead-letter queue (of the EventBridge target); it has none of its own.',
  );

  acknowledgeWebFindings(stack);

  const machine = stack.workflow.stateMachine;
  acknowledge(machine, 'IAM5[Resource::*]', 'X-Ray and CloudWatch Logs delivery actions have no resource-level scope.');
  for (const fn of stack.handlers.steps.values()) {
    acknowledge(
      machine,
      `IAM5[Resource::${arnRef(fn)}:*]`,
      'Versions/aliases of this one step function (CDK grantInvoke).',
    );
  }

  acknowledge(
    stack.directory.userPool,
    'COG8',
    'Plus tier (threat protection) is billed per active user; MFA (TOTP) is required instead. See docs/deploy.md.',
  );

  for (const { route, auth } of stack.api.routes.values()) {
    if (auth) continue;
    acknowledge(
      route,
      'APIG4',
      'Public by design (infra/handlers.ts auth: false): health probe, or parent tracking by dossier code + secret.',
    );
  }
}

/** The web distribution, its bucket deployment, and what only a custom domain or a us-east-1 web ACL would fix. */
function acknowledgeWebFindings(stack: LienthongStack): void {
  const { distribution, deployments } = stack.web;
  acknowledge(
    distribution,
    'CFR1',
    'Parents and officers may connect from anywhere; access is decided by sign-in or dossier secret, not geography.',
  );
  acknowledge(
    distribution,
    'CFR3',
    'Standard logs always hold the viewer IP and the path (dossier codes); the API keeps its own caller-free log.',
  );
  if (!distribution.node.tryGetContext('webAclArn')) {
    acknowledge(
      distribution,
      'CFR2',
      'CloudFront web ACLs live in us-east-1, this stack is regional: pass one with -c webAclArn (docs/deploy.md).',
    );
  }
  if (!distribution.node.tryGetContext('webDomainName')) {
    acknowledge(
      distribution,
      'CFR4',
      'The default *.cloudfront.net certificate allows no minimum TLS; a custom domain gets TLSv1.2_2021.',
    );
  }
  Annotations.of(distribution).acknowledgeWarning(
    '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
    'defaultRootObject is index.html, and the bucket holds the public build only: LIST turns 403s into 404s.',
  );

  if (deployments.length === 0) return;
  const role = deployments[0]!.handlerRole;
  const bucket = arnRef(stack.web.bucket);
  const qualifier = String(stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? 'hnb659fds');
  // Concrete when the stack has an account and region (`npm run synth`), pseudo parameters otherwise (tests).
  const pseudo = (value: string, name: string) => (Token.isUnresolved(value) ? `<AWS::${name}>` : value);
  const assetBucket = `arn:${pseudo(stack.partition, 'Partition')}:s3:::cdk-${qualifier}-assets-${pseudo(stack.account, 'AccountId')}-${pseudo(stack.region, 'Region')}`;
  const reason = 'BucketDeployment grant (CDK): read its staged zip, write the build into the site bucket.';
  for (const finding of [
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    `Resource::${bucket}/*`,
    `Resource::${assetBucket}/*`,
  ]) {
    acknowledge(role, `IAM5[${finding}]`, reason);
  }
  // The CDK's singleton handler of every BucketDeployment sits at the stack's root.
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    acknowledge(child, 'L1', 'Runtime of the CDK-provided BucketDeployment handler, chosen by aws-cdk-lib.');
  }
}
