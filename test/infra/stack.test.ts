import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { officerGroups } from '../../infra/cdk/constructs/auth.js';
import { aslPlaceholders } from '../../infra/cdk/constructs/workflow.js';
import { createApp, projectRoot, stackName } from '../../infra/cdk/createApp.js';
import type { LienthongStack } from '../../infra/cdk/lienthongStack.js';
import { apiHandlers, stepHandlers, workflowFile } from '../../infra/handlers.js';

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
interface ValidationReport {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string }> }>;
}

const cdkJson = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const aslText = readFileSync(path.join(projectRoot, workflowFile), 'utf8');
const webOrigin = String(cdkJson.context.webOrigin);

// One synth for the whole file. Bundling is skipped (`aws:cdk:bundling-stacks: []`): `npm run synth` bundles for
// real; here only the template matters, and esbuild on 16 entries would triple the time.
let stack: LienthongStack;
let template: Template;
let resources: Record<string, Resource>;
let report: ValidationReport;

beforeAll(() => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'lienthong-cdk-'));
  const built = createApp({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  stack = built.stack;
  const assembly = built.app.synth(); // throws on any unacknowledged cdk-nag error
  const json = assembly.getStackByName(stackName).template as { Resources: Record<string, Resource> };
  template = Template.fromJSON(json);
  resources = json.Resources;
  report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
}, 120_000);

const logicalId = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** Every IAM action granted to the role of a function, from the policies attached to that role. */
function actionsOf(fn: { role?: IConstruct }): string[] {
  const roleId = logicalId(fn.role!);
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('Stack: Lienthong', () => {
  describe('Construct: CaseStore (single table)', () => {
    it('keys items by PK/SK and serves agency queues from GSI1 (GSI1PK/GSI1SK, all attributes)', () => {
      // Act & assess
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
          { AttributeName: 'GSI1PK', AttributeType: 'S' },
          { AttributeName: 'GSI1SK', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
    });

    it('is on-demand, point-in-time recoverable, encrypted with the customer key and never deleted', () => {
      // Act & assess
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
          DeletionProtectionEnabled: true,
        }),
      });
      template.hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ EnableKeyRotation: true }),
      });
    });
  });

  describe('Construct: HandlerFunctions', () => {
    it('makes exactly one function per entry of stepHandlers and apiHandlers', () => {
      // Assess
      template.resourceCountIs('AWS::Lambda::Function', stepHandlers.length + apiHandlers.length);
      expect([...stack.handlers.steps.keys()]).toEqual(stepHandlers.map((s) => s.placeholder));
      expect([...stack.handlers.api.keys()]).toEqual(apiHandlers.map((a) => a.name));
    });

    it('runs every function on Node 22 arm64 with the shared environment', () => {
      for (const [, fn] of ofType('AWS::Lambda::Function')) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          Environment: {
            Variables: {
              TABLE_NAME: { Ref: logicalId(stack.caseStore.table) },
              POWERTOOLS_SERVICE_NAME: 'lienthong',
              NODE_OPTIONS: '--enable-source-maps',
            },
          },
        });
      }
    });

    it('gives STATE_MACHINE_ARN to the API functions and the OpenAgencyTask step only, without a reference', () => {
      // Prepare
      const expected = [...stack.handlers.api.values(), stack.handlers.steps.get('OpenAgencyTaskFunctionArn')!];
      // Act
      const withArn = ofType('AWS::Lambda::Function').filter(([, fn]) =>
        JSON.stringify(fn.Properties?.Environment).includes('STATE_MACHINE_ARN'),
      );
      // Assess
      expect(withArn.map(([id]) => id).sort()).toEqual(expected.map(logicalId).sort());
      for (const [, fn] of withArn) {
        const arn = JSON.stringify(
          (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables.STATE_MACHINE_ARN,
        );
        expect(arn).toContain(`:stateMachine:${stack.stateMachineName}`);
        expect(arn).not.toContain('WorkflowStateMachine'); // built by name: no Lambda -> state machine reference
      }
    });

    it.each([
      ['api', 'applications', ['states:StartExecution', 'states:DescribeExecution']],
      ['api', 'cases', ['states:StartExecution', 'states:DescribeExecution']],
      ['api', 'tasks', ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']],
      ['api', 'tracking', ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']],
      ['api', 'queue', []],
      ['api', 'health', []],
      [
        'step',
        'OpenAgencyTaskFunctionArn',
        ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      ],
      ['step', 'ReceiveDossierFunctionArn', []],
      ['step', 'FinalizeCaseFunctionArn', []],
    ] as const)('grants the %s handler %s exactly the workflow actions %j', (kind, name, expected) => {
      // Prepare
      const fn = kind === 'api' ? stack.handlers.api.get(name as never) : stack.handlers.steps.get(name as never);
      // Act
      const states = actionsOf(fn!).filter((a) => a.startsWith('states:'));
      // Assess
      expect(states.sort()).toEqual([...expected].sort());
    });

    it('lets every step and API function read the table, and all but health write it', () => {
      for (const fn of stack.handlers.all) {
        const actions = actionsOf(fn);
        expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
        const writes = actions.includes('dynamodb:PutItem');
        expect(writes).toBe(fn !== stack.handlers.api.get('health'));
      }
    });

    it('uses no AWS managed policy (each function writes only to its own log group)', () => {
      for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('Construct: BirthBundleWorkflow', () => {
    const machine = () => ofType('AWS::StepFunctions::StateMachine').map(([, r]) => r.Properties!)[0]!;

    it('is one STANDARD machine with its fixed name, X-Ray on, and no execution data in the logs', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      expect(machine()).toMatchObject({
        StateMachineType: 'STANDARD',
        StateMachineName: stack.stateMachineName,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { IncludeExecutionData: false, Level: 'ALL' },
      });
    });

    it(`deploys the definition of ${workflowFile} itself, placeholders left for CloudFormation`, () => {
      // Act
      const deployed = JSON.parse(machine().DefinitionString as string) as { States: Record<string, unknown> };
      const file = JSON.parse(aslText) as { States: Record<string, unknown> };
      // Assess
      expect(Object.keys(deployed.States)).toEqual(Object.keys(file.States));
      expect(deployed).toEqual(file);
    });

    it('substitutes every placeholder of the file with the ARN of its step function, and nothing else', () => {
      // Prepare
      const placeholders = aslPlaceholders(aslText);
      // Act
      const substitutions = machine().DefinitionSubstitutions as Record<string, unknown>;
      // Assess
      expect(placeholders.length).toBeGreaterThan(0);
      expect(Object.keys(substitutions).sort()).toEqual([...placeholders].sort());
      expect([...placeholders].sort()).toEqual(stepHandlers.map((s) => s.placeholder).sort());
      for (const name of placeholders) {
        const fn = stack.handlers.steps.get(name as never)!;
        expect(substitutions[name]).toEqual({ 'Fn::GetAtt': [logicalId(fn), 'Arn'] });
      }
    });

    it('lets the machine invoke every step function', () => {
      const roleId = logicalId(stack.workflow.stateMachine.role);
      const policy = JSON.stringify(
        ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes(roleId)),
      );
      expect(policy).toContain('lambda:InvokeFunction');
      for (const fn of stack.handlers.steps.values()) expect(policy).toContain(logicalId(fn));
    });
  });

  describe('Construct: PublicApi', () => {
    const expectedRoutes = apiHandlers.flatMap((g) =>
      g.routes.map((r) => ({ key: `${r.method} ${r.path}`, auth: r.auth, handler: g.name })),
    );

    it('has exactly the routes of apiHandlers', () => {
      const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!.RouteKey as string);
      expect(keys.sort()).toEqual(expectedRoutes.map((r) => r.key).sort());
    });

    it.each(expectedRoutes)(
      '$key: JWT required = $auth, integrated with the $handler function',
      ({ key, auth, handler }) => {
        // Prepare
        const [, route] = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties!.RouteKey === key)!;
        const integrationId = JSON.stringify(route.Properties!.Target).match(/"Ref":"([A-Za-z0-9]+)"/)![1]!;
        // Assess
        expect(route.Properties!.AuthorizationType).toBe(auth ? 'JWT' : 'NONE');
        expect(route.Properties!.AuthorizerId !== undefined).toBe(auth);
        expect(JSON.stringify(resources[integrationId]!.Properties!.IntegrationUri)).toContain(
          logicalId(stack.handlers.api.get(handler)!),
        );
      },
    );

    it('checks JWTs issued by the officers user pool for the web client', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Audience: [{ Ref: logicalId(stack.directory.webClient) }],
          Issuer: Match.anyValue(),
        },
      });
    });

    it('allows the web origin only (CORS) and throttles the $default stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.objectLike({ AllowOrigins: [webOrigin] }),
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      });
    });
  });

  describe('Construct: OfficerDirectory', () => {
    it('has one group per role', () => {
      const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties!.GroupName);
      expect(groups.sort()).toEqual(['auditor', 'civil-status-officer', 'insurance-officer', 'police-officer'].sort());
      expect(Object.keys(officerGroups).sort()).toEqual(groups.sort());
    });

    it('admits only administrator-created accounts, with a commune unit, a strong password and MFA', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Schema: Match.arrayWith([Match.objectLike({ Name: 'unit', AttributeDataType: 'String', Mutable: true })]),
        MfaConfiguration: 'ON',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        DeletionProtection: 'ACTIVE',
      });
    });

    it('lets the web client read custom:unit but never write it', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ReadAttributes: Match.arrayWith(['custom:unit']),
        WriteAttributes: Match.not(Match.arrayWith(['custom:unit'])),
      });
    });
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('ran and left no unacknowledged finding', () => {
      const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      expect(nag).toBeDefined();
      expect(nag!.violations.map((v) => v.ruleName)).toEqual([]);
      expect(nag!.conclusion).toBe('success');
    });
  });
});
