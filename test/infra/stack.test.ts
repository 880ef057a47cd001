import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IConstruct } from 'constructs';
import { OfficerDirectory, officerGroups, validDomainPrefix } from '#infra/cdk/constructs/auth.js';
import {
  apiPathPatterns,
  CLOUDFRONT_CACHED_ERROR_STATUSES,
  WebHosting,
  webDistMissingWarning,
} from '#infra/cdk/constructs/webHosting.js';
import { aslPlaceholders } from '#infra/cdk/constructs/workflow.js';
import { createApp, projectRoot, stackName } from '#infra/cdk/createApp.js';
import type { LienthongStack } from '#infra/cdk/lienthongStack.js';
import { apiHandlers, eventHandlers, stepHandlers, workflowFile } from '#infra/handlers.js';

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
};
interface ValidationReport {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string }> }>;
}

const cdkJson = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const aslText = readFileSync(path.join(projectRoot, workflowFile), 'utf8');

/** A stand-in web build, so the template does not depend on whether `npm run build:web` ran. */
function fakeWebDist(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lienthong-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="assets/app-1.js"></script>');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dir, 'build-stats.json'), '{}');
  writeFileSync(path.join(dir, 'assets', 'app-1.js'), 'export {};');
  return dir;
}

// One synth for the whole file. Bundling is skipped (`aws:cdk:bundling-stacks: []`): `npm run synth` bundles for
// real; here only the template matters, and esbuild on 16 entries would triple the time.
let stack: LienthongStack;
let template: Template;
let resources: Record<string, Resource>;
let report: ValidationReport;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(os.tmpdir(), 'lienthong-cdk-'));
  const built = createApp({
    outdir,
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], webDist: fakeWebDist() },
  });
  stack = built.stack;
  const assembly = built.app.synth(); // throws on any unacknowledged cdk-nag error
  const json = assembly.getStackByName(stackName).template as { Resources: Record<string, Resource> };
  template = Template.fromJSON(json);
  resources = json.Resources;
  report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
}, 300_000);

const logicalId = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** A `Fn::Join` rendered as text, references as `<Id>` / `<Id.Attr>`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const [sep, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return ref.Ref ? `<${ref.Ref}>` : `<${ref['Fn::GetAtt']!.join('.')}>`;
    })
    .join(sep);
}

/** The project's own functions: one per entry of the manifest's step, API and event handlers. */
const projectFunctions = () => [...stack.handlers.all, stack.historyArchive.function];

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

    it('expires the rate-limit counts by their expiresAt (the only items that carry it)', () => {
      // Act & assess
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
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

  describe('Construct: ChainAnchor (issue 9 finding 4)', () => {
    it('keeps chain heads in a versioned bucket with Object Lock in compliance mode, never deleted', () => {
      // Act & assess
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          ObjectLockEnabled: true,
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 36_500 } },
          },
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      });
    });

    it('names the bucket to every project function, and lets those that write the table add heads, never delete', () => {
      // Prepare
      const bucket = logicalId(stack.chainAnchor.bucket);
      // Act & assess
      for (const fn of projectFunctions()) {
        const variables = (resources[logicalId(fn)]!.Properties!.Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(joined(variables.CHAIN_ANCHOR)).toBe(`s3://<${bucket}>`);
        const actions = actionsOf(fn);
        if (actions.some((a) => a.startsWith('dynamodb:PutItem'))) expect(actions).toContain('s3:PutObject');
        expect(actions.filter((a) => /^s3:(Delete|PutObjectRetention|PutObjectLegalHold|Bypass)/.test(a))).toEqual([]);
      }
    });
  });

  describe('Construct: HandlerFunctions', () => {
    it('makes exactly one function per entry of stepHandlers, apiHandlers and eventHandlers', () => {
      // Prepare
      const ours = projectFunctions().map(logicalId);
      // Act: the others are the CDK's own singleton handlers (web deployment, API CORS setting)
      const others = ofType('AWS::Lambda::Function')
        .map(([id]) => id)
        .filter((id) => !ours.includes(id));
      // Assess
      expect(ours).toHaveLength(stepHandlers.length + apiHandlers.length + eventHandlers.length);
      expect([...stack.handlers.steps.keys()]).toEqual(stepHandlers.map((s) => s.placeholder));
      expect([...stack.handlers.api.keys()]).toEqual(apiHandlers.map((a) => a.name));
      expect(others).toHaveLength(2);
      expect(others.filter((id) => /^CustomCDKBucketDeployment|^AWS679f53fa/.test(id))).toEqual(others);
    });

    it('runs every project function on Node 22 arm64 with the shared environment', () => {
      for (const fn of projectFunctions().map((f) => resources[logicalId(f)]!)) {
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

    it('gives STATE_MACHINE_ARN to the API functions, OpenAgencyTask and the archive only, without a reference', () => {
      // Prepare
      const expected = [
        ...stack.handlers.api.values(),
        stack.handlers.steps.get('OpenAgencyTaskFunctionArn')!,
        stack.historyArchive.function,
      ];
      // Act
      const withArn = ofType('AWS::Lambda::Function').filter(([, fn]) =>
        JSON.stringify(fn.Properties?.Environment ?? {}).includes('STATE_MACHINE_ARN'),
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

    it('seals callback tokens with a key of their own: Encrypt for OpenAgencyTask, Decrypt for the tasks and tracking APIs, nothing for anyone else', () => {
      // Prepare
      const tokenKey = logicalId(stack.caseStore.tokenKey);
      const tokenKeyActions = (fn: { role?: IConstruct }) =>
        ofType('AWS::IAM::Policy')
          .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: logicalId(fn.role!) }]))
          .flatMap(
            ([, p]) =>
              (p.Properties!.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> })
                .Statement,
          )
          .filter((st) => JSON.stringify(st.Resource).includes(tokenKey))
          .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
      const sealer = stack.handlers.steps.get('OpenAgencyTaskFunctionArn')!;
      const openers = [stack.handlers.api.get('tasks')!, stack.handlers.api.get('tracking')!];
      // Act
      const withKey = ofType('AWS::Lambda::Function').filter(([, fn]) =>
        JSON.stringify(fn.Properties?.Environment ?? {}).includes('TOKEN_KEY_ARN'),
      );
      // Assess
      expect(stack.caseStore.tokenKey).not.toBe(stack.caseStore.key);
      expect(withKey.map(([id]) => id).sort()).toEqual([sealer, ...openers].map(logicalId).sort());
      expect(tokenKeyActions(sealer)).toContain('kms:Encrypt');
      expect(tokenKeyActions(sealer)).not.toContain('kms:Decrypt');
      for (const fn of openers) {
        expect(tokenKeyActions(fn)).toContain('kms:Decrypt');
        expect(tokenKeyActions(fn)).not.toContain('kms:Encrypt');
      }
      for (const fn of [...projectFunctions()].filter((f) => f !== sealer && !openers.includes(f))) {
        expect(tokenKeyActions(fn)).toEqual([]);
      }
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
      // AWS Backup's own role is the one exception (its service-role policy, acknowledged in nagAcknowledgements.ts).
      const backupRole = logicalId(stack.backup.plan.node.findChild('Table').node.findChild('Role'));
      for (const [id, role] of ofType('AWS::IAM::Role')) {
        if (id !== backupRole) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      }
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
    const expectedRoutes = [
      ...apiHandlers.flatMap((g) =>
        g.routes.map((r) => ({ key: `${r.method} ${r.path}`, auth: r.auth as boolean, handler: g.name })),
      ),
      // unknown paths and methods: the health function answers 404/405 in the one error shape
      { key: '$default', auth: false, handler: 'health' as const },
    ];

    it('has exactly the routes of apiHandlers, and $default', () => {
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

    it("allows the distribution's origin only (CORS, set after both exist) and throttles the $default stage", () => {
      // Prepare
      const distribution = logicalId(stack.web.distribution);
      const apiId = logicalId(stack.api.httpApi);
      // Act
      const [[, cors]] = ofType('Custom::AWS') as [[string, Resource]];
      const call = joined(cors.Properties!.Create);
      // Assess: the API itself carries no CORS (it would reference the distribution, which references the API)
      expect(resources[apiId]!.Properties!.CorsConfiguration).toBeUndefined();
      expect(call).toContain(`"service":"ApiGatewayV2","action":"UpdateApi","parameters":{"ApiId":"<${apiId}>"`);
      expect(call).toContain(`"AllowOrigins":["https://<${distribution}.DomainName>"]`);
      expect(call).toContain('"AllowHeaders":["authorization","content-type","x-tracking-secret","idempotency-key"]');
      expect(cors.Properties!.Update).toEqual(cors.Properties!.Create);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      });
    });

    it('throttles the routes without sign-in (parents’ tracking, health, $default) lower than the officers’ routes', () => {
      // Prepare
      const [[stageId, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
      const settings = stage.Properties!.RouteSettings as Record<string, Record<string, number>>;
      const officer = stage.Properties!.DefaultRouteSettings as Record<string, number>;
      const publicKeys = expectedRoutes.filter((r) => !r.auth).map((r) => r.key);
      // Assess: each public route has its own lower limits; officers' routes keep the stage default
      expect(Object.keys(settings).sort()).toEqual(publicKeys.sort());
      expect(publicKeys).toEqual(expect.arrayContaining(['GET /tracking/{code}', 'POST /tracking/{code}/supplements']));
      for (const key of publicKeys) {
        expect(settings[key]).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
        expect(settings[key]!.ThrottlingRateLimit).toBeLessThan(officer.ThrottlingRateLimit!);
        expect(settings[key]!.ThrottlingBurstLimit).toBeLessThan(officer.ThrottlingBurstLimit!);
      }
      // the stage names the routes by key, so CloudFormation must create them first
      const routeIds = ofType('AWS::ApiGatewayV2::Route').map(([id]) => id);
      expect(resources[stageId]!.DependsOn).toEqual(expect.arrayContaining(routeIds));
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

    it('lets the web client sign in with the authorization code flow only, asking for openid, profile and email', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: Match.arrayWith(['openid', 'email', 'profile']),
        SupportedIdentityProviders: ['COGNITO'],
        ReadAttributes: Match.arrayWith(['name']),
      });
    });

    it('has a managed-login domain named after the stack and account, with the default style for the web client', () => {
      // Prepare
      const pool = logicalId(stack.directory.userPool);
      const [[, domain]] = ofType('AWS::Cognito::UserPoolDomain') as [[string, Resource]];
      // Assess: the account is a token in this synth (no env), a concrete id in `npm run synth`
      expect(joined(domain.Properties!.Domain)).toBe('lienthong-<AWS::AccountId>');
      expect(domain.Properties).toMatchObject({ ManagedLoginVersion: 2, UserPoolId: { Ref: pool } });
      template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
        UserPoolId: { Ref: pool },
        ClientId: { Ref: logicalId(stack.directory.webClient) },
        UseCognitoProvidedValues: true,
      });
      expect(joined(stack.resolve(stack.directory.domainUrl))).toBe(
        `https://<${logicalId(stack.directory.domain)}>.auth.<AWS::Region>.amazoncognito.com`,
      );
    });

    it('takes the domain prefix from context (cognitoDomainPrefix) and refuses one Cognito would refuse', () => {
      // Prepare
      const { stack: custom } = createApp({
        context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], cognitoDomainPrefix: 'lienthong-hanoi' },
      });
      const bare = new Stack(new App(), 'Bare');
      // Act & assess
      Template.fromStack(custom).hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'lienthong-hanoi' });
      expect(
        () => new OfficerDirectory(bare, 'Bad', { webOrigins: ['https://x.test/'], domainPrefix: 'my-cognito-login' }),
      ).toThrow(/domain prefix/);
      expect(validDomainPrefix('lienthong-123456789012')).toBe(true);
      for (const bad of ['Lienthong', '-x', 'x-', 'aws-login', 'amazon', 'a_b', 'x'.repeat(64)]) {
        expect(validDomainPrefix(bad)).toBe(false);
      }
    }, 120_000);
  });

  describe('Construct: HistoryArchive', () => {
    it('runs the archive handler of eventHandlers on every status change of the birth-bundle machine only', () => {
      // Prepare
      const [[ruleId, rule]] = ofType('AWS::Events::Rule') as [[string, Resource]];
      const pattern = rule.Properties!.EventPattern as Record<string, unknown>;
      // Assess
      expect(eventHandlers.map((h) => h.source)).toEqual(['aws.states']);
      expect(pattern).toMatchObject({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
      });
      const machines = (pattern.detail as { stateMachineArn: unknown[] }).stateMachineArn;
      expect(machines).toHaveLength(1);
      expect(joined(machines[0])).toBe(
        `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${stack.stateMachineName}`,
      );
      // The event invokes the archive function, and only EventBridge through this rule may.
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalId(stack.historyArchive.function), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
      });
    });

    it('retries a failed delivery for a day, then keeps it in an encrypted dead-letter queue', () => {
      // Prepare
      const [[, rule]] = ofType('AWS::Events::Rule') as [[string, Resource]];
      const dlq = logicalId(stack.historyArchive.deadLetterQueue);
      // Assess
      expect(rule.Properties!.Targets).toEqual([
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [logicalId(stack.historyArchive.function), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
      ]);
      expect(resources[dlq]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      });
      const queuePolicy = JSON.stringify(
        ofType('AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties!.Queues).includes(dlq)),
      );
      expect(queuePolicy).toContain('"Service":"events.amazonaws.com"');
      expect(queuePolicy).toContain('"aws:SecureTransport":"false"');
    });

    it('may read histories and definitions of this machine, write the table, and start or answer nothing', () => {
      // Prepare
      const fn = stack.historyArchive.function;
      const roleId = logicalId(fn.role!);
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement);
      const states = statements.filter((st) => JSON.stringify(st.Action).includes('states:'));
      // Assess
      expect(actionsOf(fn)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
      expect(
        actionsOf(fn)
          .filter((a) => a.startsWith('states:'))
          .sort(),
      ).toEqual(
        [
          'states:DescribeExecution',
          'states:DescribeStateMachine',
          'states:DescribeStateMachineForExecution',
          'states:GetExecutionHistory',
        ].sort(),
      );
      const resourcesOf = (action: string) =>
        states
          .filter((st) => JSON.stringify(st.Action).includes(action))
          .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]))
          .map(joined);
      const machine = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:${stack.stateMachineName}`;
      const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stack.stateMachineName}:*`;
      expect(resourcesOf('states:GetExecutionHistory')).toEqual([executions]);
      expect(resourcesOf('states:DescribeStateMachine"').sort()).toEqual([machine, `${machine}:*`].sort());
      expect(resources[logicalId(fn)]!.Properties).toMatchObject({
        Timeout: 300,
        Environment: { Variables: { TABLE_NAME: { Ref: logicalId(stack.caseStore.table) } } },
      });
    });
  });

  describe('Construct: WebHosting', () => {
    it('never caches an error response (CloudFront caches them 10 s by default, API errors included)', () => {
      const dist = ofType('AWS::CloudFront::Distribution')[0]![1];
      const errors = (dist.Properties!.DistributionConfig as { CustomErrorResponses: Record<string, unknown>[] })
        .CustomErrorResponses;
      expect(errors.map((e) => e.ErrorCode)).toEqual(CLOUDFRONT_CACHED_ERROR_STATUSES);
      for (const e of errors) {
        expect(e.ErrorCachingMinTTL).toBe(0);
        expect(e.ResponsePagePath).toBeUndefined();
      }
    });

    const distribution = () =>
      resources[logicalId(stack.web.distribution)]!.Properties!.DistributionConfig as Record<string, unknown> & {
        CacheBehaviors: Array<Record<string, unknown>>;
        DefaultCacheBehavior: Record<string, unknown>;
        Origins: Array<Record<string, unknown>>;
      };
    const managed = {
      cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      allViewerExceptHost: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    };
    /** CloudFront path-pattern matching (`*` any run of characters, `?` one), case-sensitive. */
    const matches = (pattern: string, p: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(p);

    it('keeps the site in a private, versioned, encrypted bucket that refuses plain HTTP', () => {
      // Prepare
      const site = logicalId(stack.web.bucket);
      // Assess
      expect(resources[site]!.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.web.accessLogs) } },
      });
      const policy = JSON.stringify(
        ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties!.Bucket).includes(site)),
      );
      expect(policy).toContain('"aws:SecureTransport":"false"');
      expect(policy).toContain('"Service":"cloudfront.amazonaws.com"');
      expect(policy).toContain('"AWS:SourceArn"');
      expect(policy).toContain(logicalId(stack.web.distribution));
    });

    it('reads the bucket through Origin Access Control (no OAI, no public website endpoint)', () => {
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      });
      const s3Origin = distribution().Origins.find((o) => o.S3OriginConfig)!;
      const [[oacId]] = ofType('AWS::CloudFront::OriginAccessControl') as [[string, Resource]];
      expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
      expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    });

    it('serves index.html at the root over HTTP/2 and HTTP/3, redirects HTTP to HTTPS, and never caches documents', () => {
      // Prepare
      const config = distribution();
      const defaults = config.DefaultCacheBehavior;
      const documentPolicy = resources[(defaults.CachePolicyId as { Ref: string }).Ref]!.Properties!
        .CachePolicyConfig as Record<string, unknown>;
      // Assess
      expect(config).toMatchObject({ DefaultRootObject: 'index.html', HttpVersion: 'http2and3', Enabled: true });
      expect(defaults).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
      expect(documentPolicy).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
      // No error pages: a distribution-wide one would replace the API's own 403/404 JSON with index.html. The only
      // error settings are "never cache" (no page, no status change): see the test below.
      for (const e of config.CustomErrorResponses as Record<string, unknown>[]) {
        expect(Object.keys(e).sort()).toEqual(['ErrorCachingMinTTL', 'ErrorCode']);
      }
    });

    it('caches hashed /assets/* for a year and sends index.html to extension-less web paths (SPA)', () => {
      // Prepare
      const assets = distribution().CacheBehaviors.find((b) => b.PathPattern === '/assets/*')!;
      const [association] = distribution().DefaultCacheBehavior.FunctionAssociations as Array<{
        EventType: string;
        FunctionARN: { 'Fn::GetAtt': [string, string] };
      }>;
      const code = resources[association!.FunctionARN['Fn::GetAtt'][0]]!.Properties!.FunctionCode as string;
      const handler = new Function(`${code}; return handler;`)() as (e: unknown) => { uri: string };
      const rewrite = (uri: string) => handler({ request: { uri } }).uri;
      // Assess
      expect(assets).toMatchObject({
        CachePolicyId: managed.cachingOptimized,
        ViewerProtocolPolicy: 'redirect-to-https',
      });
      expect(association!.EventType).toBe('viewer-request');
      expect(rewrite('/')).toBe('/index.html');
      expect(rewrite('/track/LT-00004-2026-000001')).toBe('/index.html');
      expect(rewrite('/assets/app-1.js')).toBe('/assets/app-1.js');
      expect(rewrite('/favicon.svg')).toBe('/favicon.svg');
    });

    it('sends every API route to the HTTP API on the same origin, uncached, with all viewer headers but Host', () => {
      // Prepare
      const apiId = logicalId(stack.api.httpApi);
      const apiOrigin = distribution().Origins.find((o) => o.CustomOriginConfig)!;
      const apiBehaviors = distribution().CacheBehaviors.filter((b) => b.TargetOriginId === apiOrigin.Id);
      const patterns = apiBehaviors.map((b) => b.PathPattern as string);
      const routePaths = apiHandlers.flatMap((g) => g.routes.map((r) => r.path.replace(/\{[^}]+\}/g, 'x1')));
      // Assess
      expect(joined(apiOrigin.DomainName)).toBe(`<${apiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`);
      expect(apiOrigin.CustomOriginConfig).toMatchObject({
        OriginProtocolPolicy: 'https-only',
        OriginSSLProtocols: ['TLSv1.2'],
      });
      expect(patterns.sort()).toEqual(apiPathPatterns().sort());
      for (const behavior of apiBehaviors) {
        expect(behavior).toMatchObject({
          CachePolicyId: managed.cachingDisabled,
          OriginRequestPolicyId: managed.allViewerExceptHost,
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']),
        });
      }
      for (const route of routePaths) expect(patterns.filter((p) => matches(p, route))).toHaveLength(1);
      for (const webPath of ['/', '/index.html', '/favicon.svg', '/assets/app-1.js', '/track/LT-1']) {
        expect(patterns.filter((p) => matches(p, webPath))).toEqual([]);
      }
    });

    it('adds HSTS, a same-origin CSP, nosniff, DENY framing and no referrer to every answer', () => {
      // Prepare
      const policyId = logicalId(stack.web.securityHeaders);
      const config = resources[policyId]!.Properties!.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      };
      const headers = config.SecurityHeadersConfig;
      const csp = joined(headers.ContentSecurityPolicy!.ContentSecurityPolicy);
      // Assess
      expect(headers.StrictTransportSecurity).toMatchObject({
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
      });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self' https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>");
      expect(csp).toContain("frame-ancestors 'none'");
      const behaviors = [distribution().DefaultCacheBehavior, ...distribution().CacheBehaviors];
      for (const b of behaviors) expect(b.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    });

    it('deploys web/dist: hashed assets cached a year, then the documents with no-cache, build stats left out', () => {
      // Prepare
      const deployments = ofType('Custom::CDKBucketDeployment');
      const [assetsId, assets] = deployments.find(([id]) => id.startsWith('WebDeployAssets'))!;
      const [, documents] = deployments.find(([id]) => id.startsWith('WebDeployDocuments'))! as [
        string,
        Resource & { DependsOn?: string[] },
      ];
      // Assess
      template.resourceCountIs('Custom::CDKBucketDeployment', 2);
      expect(assets.Properties).toMatchObject({
        DestinationBucketKeyPrefix: 'assets/',
        Prune: false,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      });
      expect(documents.Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'no-cache' } });
      expect(documents.DependsOn).toEqual(expect.arrayContaining([assetsId]));
      const staged = (d: Resource) => {
        const [key] = d.Properties!.SourceObjectKeys as string[];
        return readdirSync(path.join(outdir, `asset.${key!.replace(/\.zip$/, '')}`)).sort();
      };
      expect(staged(assets)).toEqual(['app-1.js']);
      expect(staged(documents)).toEqual(['favicon.svg', 'index.html']);
      expect(stack.web.deployments).toHaveLength(2);
    });

    it('writes /config.json beside index.html with the Cognito sign-in, its values filled in at deploy time', () => {
      // Prepare
      const [, documents] = ofType('Custom::CDKBucketDeployment').find(([id]) => id.startsWith('WebDeployDocuments'))!;
      const props = documents.Properties as {
        SourceObjectKeys: string[];
        SourceMarkers: Array<Record<string, unknown>>;
        SourceMarkersConfig: Array<Record<string, unknown>>;
      };
      // Act: the staged file (markers) with each marker replaced by what CloudFormation will put there
      const [, key] = props.SourceObjectKeys;
      const dir = path.join(outdir, `asset.${key!.replace(/\.zip$/, '')}`);
      expect(readdirSync(dir)).toEqual(['config.json']);
      let text = readFileSync(path.join(dir, 'config.json'), 'utf8');
      for (const [marker, value] of Object.entries(props.SourceMarkers[1]!)) {
        text = text.split(marker).join(joined({ 'Fn::Join': ['', [value]] }));
      }
      const config = JSON.parse(text) as unknown;
      // Assess
      const distribution = `https://<${logicalId(stack.web.distribution)}.DomainName>/`;
      expect(config).toEqual({
        auth: {
          type: 'cognito',
          domain: `https://<${logicalId(stack.directory.domain)}>.auth.<AWS::Region>.amazoncognito.com`,
          clientId: `<${logicalId(stack.directory.webClient)}>`,
          redirectUri: distribution,
          logoutUri: distribution,
        },
      });
      expect(props.SourceMarkersConfig[1]).toEqual({ jsonEscape: true });
    });

    it("lets the web app post to the managed login's token endpoint (CSP connect-src)", () => {
      const policy = resources[logicalId(stack.web.securityHeaders)]!.Properties!.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
      };
      const csp = joined(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(csp).toMatch(
        new RegExp(
          `connect-src [^;]* https://<${logicalId(stack.directory.domain)}>\\.auth\\.<AWS::Region>\\.amazoncognito\\.com;`,
        ),
      );
    });

    it("names the distribution in the app client's callback and sign-out URLs and the outputs", () => {
      const distributionId = logicalId(stack.web.distribution);
      const [[, client]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Resource]];
      expect((client.Properties!.CallbackURLs as unknown[]).map(joined)).toEqual([
        `https://<${distributionId}.DomainName>/`,
      ]);
      expect((client.Properties!.LogoutURLs as unknown[]).map(joined)).toEqual([
        `https://<${distributionId}.DomainName>/`,
      ]);
      expect(joined((template.toJSON().Outputs as Record<string, { Value: unknown }>).WebUrl!.Value)).toBe(
        `https://<${distributionId}.DomainName>/`,
      );
    });

    it('deploys nothing, with a warning, when web/dist was not built (synth still works offline)', () => {
      // Prepare: a bare stack, the API imported by id (fast: no handlers, no synth of the whole app)
      const app = new App({ context: cdkJson.context });
      const bare = new Stack(app, 'Bare', { env: { account: '000000000000', region: 'ap-southeast-1' } });
      const httpApi = HttpApi.fromHttpApiAttributes(bare, 'Api', { httpApiId: 'abc123' });
      // Act
      new WebHosting(bare, 'Web', { webDist: path.join(os.tmpdir(), 'lienthong-no-such-build'), httpApi });
      // Assess
      Template.fromStack(bare).resourceCountIs('Custom::CDKBucketDeployment', 0);
      Template.fromStack(bare).resourceCountIs('AWS::CloudFront::Distribution', 1);
      Annotations.fromStack(bare).hasWarning('/Bare/Web', Match.stringLikeRegexp('npm run build:web'));
      expect(webDistMissingWarning).toBe('lienthong:webDistMissing');
    });
  });

  describe('Construct: Notifications (issue 11: families and supervisors really told)', () => {
    const notifying = () => [
      ...[...stack.handlers.steps.entries()].filter(([k]) => k !== 'FinalizeCaseFunctionArn').map(([, f]) => f),
      stack.handlers.api.get('tasks')!,
    ];
    const statementsOf = (fn: { role?: IConstruct }) => {
      const roleId = logicalId(fn.role!);
      return ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(
          ([, p]) =>
            (p.Properties!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement as Array<{
              Action: string | string[];
              Resource: unknown;
              Condition?: unknown;
            }>,
        );
    };

    it("has the supervisors' topic, encrypted with the table's key and refusing plain HTTP", () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack.caseStore.key), 'Arn'] },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('gives every function that notifies NOTIFIER=aws, the sender and the topic, and the others nothing', () => {
      const ids = notifying().map(logicalId);
      for (const [id, fn] of ofType('AWS::Lambda::Function')) {
        const vars =
          (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
        if (ids.includes(id)) {
          expect(vars.NOTIFIER).toBe('aws');
          expect(vars.EMAIL_FROM).toEqual(expect.stringContaining('@'));
          expect(vars.SUPERVISOR_TOPIC_ARN).toEqual({ Ref: logicalId(stack.notifications.supervisorTopic) });
        } else expect(vars.NOTIFIER).toBeUndefined();
      }
    });

    it('lets them publish SMS and to the topic, and send e-mail only from the one sender address', () => {
      for (const fn of notifying()) {
        const statements = statementsOf(fn);
        const ses = statements.find((st) => st.Action === 'ses:SendEmail');
        expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': expect.stringContaining('@') } });
        expect(joined(ses!.Resource)).toMatch(/:ses:.*:identity\//);
        // CDK merges statements (the "*" one with X-Ray's): look at every statement that allows sns:Publish.
        const publishTo = statements
          .filter((st) => [st.Action].flat().includes('sns:Publish'))
          .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]));
        expect(publishTo).toEqual(
          expect.arrayContaining(['*', { Ref: logicalId(stack.notifications.supervisorTopic) }]),
        );
      }
      for (const name of ['cases', 'queue', 'health', 'audit', 'applications', 'tracking'] as const) {
        const actions = actionsOf(stack.handlers.api.get(name)!);
        expect(actions.filter((a) => a.startsWith('sns:') || a.startsWith('ses:'))).toEqual([]);
      }
    });
  });

  describe('Construct: Monitoring (issue 11: operators alerted)', () => {
    it("raises an alarm to the operators' topic for failed executions, 5xx, Lambda errors and throttles, dead letters and failed notifications", () => {
      const alarms = ofType('AWS::CloudWatch::Alarm');
      const topic = { Ref: logicalId(stack.monitoring.alarmTopic) };
      for (const [, a] of alarms) expect(a.Properties?.AlarmActions).toEqual([topic]);
      const descriptions = alarms.map(([, a]) => String(a.Properties?.AlarmDescription));
      for (const about of [
        /failed, timed out or was aborted/,
        /5xx/,
        /threw/,
        /throttled/,
        /could not be archived/,
        /refused a message/,
      ]) {
        expect(descriptions.some((d) => about.test(d))).toBe(true);
      }
      // Metric math in an alarm takes at most 10 metrics.
      for (const [, a] of alarms) expect(((a.Properties?.Metrics as unknown[]) ?? []).length).toBeLessThanOrEqual(11);
    });

    it('counts notification.failed log lines of every notifying function as one metric', () => {
      const filters = ofType('AWS::Logs::MetricFilter');
      expect(filters).toHaveLength(stack.handlers.notifying.length);
      for (const [, f] of filters) {
        expect(f.Properties).toMatchObject({
          FilterPattern: '{ $.message = "notification.failed" }',
          MetricTransformations: [
            { MetricNamespace: 'Lienthong', MetricName: 'NotificationsFailed', MetricValue: '1' },
          ],
        });
      }
    });

    it('has one operations dashboard', () => {
      expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
    });

    it('sends a history-archive run that still fails after Lambda retries to the dead-letter queue (not discarded)', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(stack.historyArchive.function) },
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.historyArchive.deadLetterQueue), 'Arn'] } },
        },
      });
    });

    it("writes the state machine's logs under /aws/vendedlogs/states/", () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/states/${stack.stateMachineName}`,
      });
    });
  });

  describe('Construct: TableBackup (issue 11: records kept forever, PITR only 35 days)', () => {
    it('backs the table up daily (35 days) and monthly (10 years, cold after 90 days) into a retained, encrypted vault', () => {
      template.hasResource('AWS::Backup::BackupVault', {
        DeletionPolicy: 'Retain',
        Properties: { EncryptionKeyArn: { 'Fn::GetAtt': [logicalId(stack.caseStore.key), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: {
          BackupPlanRule: Match.arrayWith([
            Match.objectLike({ RuleName: 'Daily35Days', Lifecycle: { DeleteAfterDays: 35 } }),
            Match.objectLike({
              RuleName: 'Monthly10Years',
              Lifecycle: { DeleteAfterDays: 3650, MoveToColdStorageAfterDays: 90 },
            }),
          ]),
        },
      });
      const selection = JSON.stringify(ofType('AWS::Backup::BackupSelection')[0]![1].Properties);
      expect(selection).toContain(logicalId(stack.caseStore.table));
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
