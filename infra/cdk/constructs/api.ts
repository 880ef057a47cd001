import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { apiHandlers } from '#infra/handlers.js';
import type { ApiHandlerName } from './handlers.js';

export interface ThrottleProps {
  /** Steady-state requests per second of each route (the stage default: the officers' routes). */
  readonly rateLimit: number;
  /** Burst bucket size. */
  readonly burstLimit: number;
  /**
   * The same for the routes without sign-in (the parents' tracking, health, unknown routes): lower, so anonymous
   * traffic cannot take the officers' share. Defaults: 10 requests per second, burst 20.
   */
  readonly publicRateLimit?: number;
  readonly publicBurstLimit?: number;
}

/** Route key of API Gateway's catch-all route: unknown paths and methods, answered 404/405 in the one error shape. */
export const DEFAULT_ROUTE_KEY = '$default';

export interface PublicApiProps {
  readonly functions: ReadonlyMap<ApiHandlerName, IFunction>;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly throttle: ThrottleProps;
}

/** What a browser on an allowed origin may send (CORS preflight answer). */
export const corsRules = {
  AllowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  AllowHeaders: ['authorization', 'content-type', 'x-tracking-secret', 'idempotency-key'],
  MaxAge: 3600,
} as const;

/** Route key as API Gateway writes it (`GET /cases/{caseId}`). */
export const routeKey = (method: string, path: string): string => `${method} ${path}`;

/**
 * The HTTP API: every route of `apiHandlers`, JWT-checked by Cognito unless the manifest says `auth: false`
 * (health, and the parents' tracking routes, which carry the dossier code + secret instead).
 */
export class PublicApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** Routes by route key, so the stack can attach per-route acknowledgements. */
  readonly routes = new Map<string, { route: HttpRoute; auth: boolean }>();

  constructor(scope: Construct, id: string, props: PublicApiProps) {
    super(scope, id);

    // No `corsPreflight` here: the allowed origin is the CloudFront distribution's domain, and the distribution
    // references this API (its origin), so CORS is set afterwards by `allowBrowserOrigins` (no cycle).
    this.httpApi = new HttpApi(this, 'HttpApi', { apiName: 'lienthong', createDefaultStage: false });

    // Access logs name the route and the outcome, never the caller (no IP, no user): personal data stays out of logs.
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });
    const noAuth = new HttpNoneAuthorizer();

    for (const group of apiHandlers) {
      const fn = props.functions.get(group.name);
      if (!fn) throw new Error(`No function for API handler group ${group.name}`);
      const integration = new HttpLambdaIntegration(`${group.name}Integration`, fn);
      for (const r of group.routes) {
        const [route] = this.httpApi.addRoutes({
          path: r.path,
          methods: [HttpMethod[r.method]],
          integration,
          authorizer: r.auth ? authorizer : noAuth,
        });
        this.routes.set(routeKey(r.method, r.path), { route: route!, auth: r.auth });
      }
    }

    // Unknown routes reach a handler (health's: it answers nothing but /health) and get 404 `route.notFound` or 405
    // `route.methodNotAllowed` in the one error shape, as the local server answers, not API Gateway's own
    // `{"message":"Not Found"}`.
    const health = props.functions.get('health');
    if (!health) throw new Error('No function for API handler group health');
    const fallback = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('defaultRouteIntegration', health),
      authorizer: noAuth,
    });
    this.routes.set(DEFAULT_ROUTE_KEY, { route: fallback, auth: false });

    // Per-route throttling: the public routes get their own, lower limits (docs/deploy.md "Throttling"). The stage
    // names the routes by key, so it is deployed after them.
    const publicLimits = {
      ThrottlingRateLimit: props.throttle.publicRateLimit ?? 10,
      ThrottlingBurstLimit: props.throttle.publicBurstLimit ?? 20,
    };
    const routeSettings: Record<string, typeof publicLimits> = {};
    for (const [key, { route, auth }] of this.routes) {
      if (!auth) routeSettings[key] = publicLimits;
      this.stage.node.addDependency(route);
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  }

  /**
   * Sets the API's CORS configuration (UpdateApi) once the origins exist. The web app itself calls the API on its
   * own origin through CloudFront and never needs CORS; this only lets the same origins call the API's own
   * `execute-api` URL. The custom resource depends on the API and the distribution; neither depends on it.
   */
  allowBrowserOrigins(origins: string[]): AwsCustomResource {
    const stack = Stack.of(this);
    const logGroup = new LogGroup(this, 'CorsLogs', { retention: RetentionDays.ONE_YEAR });
    const role = new Role(this, 'CorsRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const cors = new AwsCustomResource(this, 'Cors', {
      onUpdate: {
        service: 'ApiGatewayV2',
        action: 'UpdateApi',
        parameters: { ApiId: this.httpApi.apiId, CorsConfiguration: { AllowOrigins: origins, ...corsRules } },
        physicalResourceId: PhysicalResourceId.of(`${this.httpApi.apiId}-cors`),
      },
      // UpdateApi is `PATCH /v2/apis/{apiId}` in IAM terms; nothing to undo on delete (the API goes too).
      role,
      logGroup,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(1),
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['apigateway:PATCH'],
        resources: [
          stack.formatArn({ service: 'apigateway', account: '', resource: '/apis', resourceName: this.httpApi.apiId }),
        ],
      }),
    );
    cors.node.addDependency(role);
    return cors;
  }

  get url(): string {
    return this.stage.url;
  }
}
