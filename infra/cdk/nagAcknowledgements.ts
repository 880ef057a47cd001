import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
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

  // Grants land on each function's own role, a sibling of the function in the tree.
  for (const fn of stack.handlers.all.flatMap((f) => [f, f.role!])) {
    acknowledge(fn, 'L1', 'Node 22 is the runtime the project pins and tests on (package.json "node" 22.x).');
    acknowledge(fn, 'IAM5[Resource::*]', 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level scope.');
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
