import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiHandlers } from '../../handlers.js';
import type { ApiHandlerName } from './handlers.js';

export interface ThrottleProps {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Burst bucket size. */
  readonly burstLimit: number;
}

export interface PublicApiProps {
  readonly functions: ReadonlyMap<ApiHandlerName, IFunction>;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The web app's origin, the only one CORS allows. */
  readonly webOrigin: string;
  readonly throttle: ThrottleProps;
}

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

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: 'lienthong',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [props.webOrigin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'x-tracking-secret', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });

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
  }

  get url(): string {
    return this.stage.url;
  }
}
