import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowFile } from '#infra/handlers.js';

/** Every `${Name}` placeholder of an ASL text, in order of first appearance. */
export function aslPlaceholders(asl: string): string[] {
  return [...new Set([...asl.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string))];
}

export interface BirthBundleWorkflowProps {
  readonly projectRoot: string;
  /** Fixed name, so functions can be given the machine's ARN without referencing the resource (no cycle). */
  readonly stateMachineName: string;
  /** Function per placeholder of the ASL file (`stepHandlers` in `infra/handlers.ts`). */
  readonly stepFunctions: ReadonlyMap<string, IFunction>;
}

/**
 * The Standard state machine (callbacks need Standard) built from the very ASL file the local engine runs.
 * CloudFormation fills the `${...}` placeholders from `DefinitionSubstitutions`.
 */
export class BirthBundleWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: BirthBundleWorkflowProps) {
    super(scope, id);

    const asl = readFileSync(path.join(props.projectRoot, workflowFile), 'utf8');
    const placeholders = aslPlaceholders(asl);
    const unmapped = placeholders.filter((name) => !props.stepFunctions.has(name));
    if (unmapped.length > 0) {
      throw new Error(`${workflowFile} uses placeholders with no handler in infra/handlers.ts: ${unmapped.join(', ')}`);
    }

    const definitionSubstitutions: Record<string, string> = {};
    for (const name of placeholders) definitionSubstitutions[name] = props.stepFunctions.get(name)!.functionArn;

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // The file's own JSON, re-serialised without whitespace: what runs on AWS is what runs locally.
      definitionBody: DefinitionBody.fromString(JSON.stringify(JSON.parse(asl))),
      definitionSubstitutions,
      tracingEnabled: true,
      logs: {
        // Step Functions writes to log groups under /aws/vendedlogs/ without hitting CloudWatch's resource-policy size
        // limit (AWS's recommended prefix for vended logs).
        destination: new LogGroup(this, 'ExecutionLogs', {
          logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
          retention: RetentionDays.ONE_YEAR,
        }),
        level: LogLevel.ALL,
        // State inputs and outputs carry the dossier (names, dates of birth, ID numbers) and callback tokens.
        includeExecutionData: false,
      },
    });

    // Step functions run from Task states (`Resource`) and from `lambda:invoke.waitForTaskToken` (`FunctionName`).
    for (const fn of new Set(props.stepFunctions.values())) fn.grantInvoke(this.stateMachine);
  }
}
