import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccessLevel,
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  type FunctionAssociation,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { apiHandlers } from '#infra/handlers.js';

/** Id of the warning emitted when the web build is missing at synth time. */
export const webDistMissingWarning = 'lienthong:webDistMissing';

/**
 * CloudFront path patterns that send a request to the HTTP API, one per first path segment of the routes in
 * `apiHandlers`: the exact path when every route of that segment is that path (`/health`, `/queue`), else
 * `/<segment>*` (`/cases*` covers `/cases`, `/cases/{id}`, `/cases/{id}/decisions`). Everything else is the web app.
 */
export function apiPathPatterns(): string[] {
  const bySegment = new Map<string, string[]>();
  for (const group of apiHandlers) {
    for (const route of group.routes) {
      const segment = route.path.split('/')[1]!;
      bySegment.set(segment, [...(bySegment.get(segment) ?? []), route.path]);
    }
  }
  return [...bySegment].map(([segment, paths]) =>
    paths.every((p) => p === `/${segment}`) ? `/${segment}` : `/${segment}*`,
  );
}

/**
 * Hash routes (`#/queue`) never reach the server; any other extension-less path of the web app (a pasted
 * `/track/LT-...`) gets the app's `index.html`. Done here rather than with distribution-wide custom error responses,
 * which CloudFront would also apply to the API's own 403/404 JSON answers.
 */
const spaRewrite = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) request.uri = '/index.html';
  return request;
}`;

export interface WebHostingProps {
  /** Absolute path of the web build (`web/dist`, made by `npm run build:web`). */
  readonly webDist: string;
  /** The HTTP API, served by the distribution on the same origin under `apiPathPatterns()`. */
  readonly httpApi: IHttpApi;
  /** Custom domain (`lienthong.example.gov.vn`) with its ACM certificate (us-east-1); else `*.cloudfront.net`. */
  readonly domain?: { readonly name: string; readonly certificate: ICertificate };
  /** ARN of a WAF web ACL (scope CLOUDFRONT, made in us-east-1), if any. */
  readonly webAclArn?: string;
  /** The officers' sign-in (Cognito managed login): written to `/config.json` for the web app, and allowed by the
   * CSP's `connect-src` (the app posts to `<domainUrl>/oauth2/token` itself). */
  readonly signIn?: SignInSettings;
}

export interface SignInSettings {
  /** `https://<prefix>.auth.<region>.amazoncognito.com` (no trailing slash). */
  readonly domainUrl: string;
  /** The web app client (public, no secret). */
  readonly clientId: string;
}

/** `/config.json` as the web app reads it (web/src/oauth.ts `AuthConfig`), for an origin `https://<domain>`. */
export const cognitoWebConfig = (signIn: SignInSettings, origin: string) => ({
  auth: {
    type: 'cognito',
    domain: signIn.domainUrl,
    clientId: signIn.clientId,
    redirectUri: `${origin}/`,
    logoutUri: `${origin}/`,
  },
});

/**
 * The web app as static files: a private, versioned, encrypted S3 bucket read only by CloudFront (Origin Access
 * Control), and one distribution that serves the app AND the API on the same origin, so the app's relative calls
 * (`fetch('/cases')`) work unchanged on AWS as they do on the local server.
 */
/** The error statuses CloudFront caches by default (and the only ones a custom error response may name). */
export const CLOUDFRONT_CACHED_ERROR_STATUSES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly distribution: Distribution;
  readonly securityHeaders: ResponseHeadersPolicy;
  /** Deployments of web/dist (hashed assets, then the rest); empty when web/dist was missing at synth. */
  readonly deployments: BucketDeployment[] = [];
  /** `https://<domain>`: the custom domain if any, else the distribution's own. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // S3 server access logs of the site bucket (requests come from CloudFront and the deployment only).
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'site/',
      // Old hashed assets stay current (open tabs may still load them); replaced index.html versions go after 30 days.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    });

    // LIST as well as READ: a missing file is then a 404, not S3's 403.
    const siteOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket, {
      originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
    });
    const apiOrigin = new HttpOrigin(`${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(30),
    });

    const connectSrc = [
      "'self'",
      `https://cognito-idp.${stack.region}.${stack.urlSuffix}`,
      ...(props.signIn ? [props.signIn.domainUrl] : []),
    ].join(' ');
    this.securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Lienthong: HSTS, CSP (same-origin app and API), nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            `connect-src ${connectSrc}`,
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            'upgrade-insecure-requests',
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      removeHeaders: ['Server'],
    });

    // index.html (and anything without a hash) is revalidated on every visit: a deploy shows at once.
    const documentCache = new CachePolicy(this, 'DocumentCache', {
      comment: 'Lienthong web documents: always revalidated (Cache-Control: no-cache from the object)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const rewrite: FunctionAssociation = {
      eventType: FunctionEventType.VIEWER_REQUEST,
      function: new EdgeFunction(this, 'SpaRewrite', {
        code: FunctionCode.fromInline(spaRewrite),
        runtime: FunctionRuntime.JS_2_0,
        comment: 'Extension-less web paths get index.html',
      }),
    };

    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Never cached. With caching disabled, AllViewerExceptHostHeader forwards every viewer header, Authorization
      // and x-tracking-secret included, and every query string; Host must be the API's own.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.securityHeaders,
    };
    const additionalBehaviors: Record<string, BehaviorOptions> = {
      // Hashed names never change content: cached a year at the edge and in the browser.
      '/assets/*': {
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.securityHeaders,
      },
    };
    for (const pattern of apiPathPatterns()) additionalBehaviors[pattern] = apiBehavior;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Lienthong web app and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: documentCache,
        compress: true,
        responseHeadersPolicy: this.securityHeaders,
        functionAssociations: [rewrite],
      },
      additionalBehaviors,
      // CloudFront caches these error statuses 10 s by default, whatever the cache policy: an API error (a 404 for a
      // case not yet visible, a 403 before a token refresh) would then be served again to the next caller. Never
      // cached; the origin's body and status pass through unchanged.
      errorResponses: CLOUDFRONT_CACHED_ERROR_STATUSES.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      ...(props.domain
        ? {
            domainNames: [props.domain.name],
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });

    this.origin = props.domain ? `https://${props.domain.name}` : `https://${this.distribution.distributionDomainName}`;

    if (!existsSync(path.join(props.webDist, 'index.html'))) {
      Annotations.of(this).addWarningV2(
        webDistMissingWarning,
        `${props.webDist}/index.html not found: the web app is NOT deployed by this synth. ` +
          'Run `npm run build:web` before `cdk deploy` (see docs/deploy.md).',
      );
      return;
    }

    // One role and log group for both deployments (the CDK's own would use an AWS managed policy).
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.ONE_YEAR });
    const role = new Role(this, 'DeployRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const common = {
      destinationBucket: this.bucket,
      role,
      logGroup,
      memoryLimit: 512,
      // Old hashed files are kept: a tab opened before the deploy still loads its chunks.
      prune: false,
    };
    const assets = new BucketDeployment(this, 'DeployAssets', {
      ...common,
      sources: [Source.asset(path.join(props.webDist, 'assets'))],
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
    });
    // Documents after the assets they name, so a new index.html never points at a file not yet uploaded. With them
    // `/config.json` (the same build runs locally and here): its values are filled in by the deployment's handler
    // at deploy time, once the distribution, the app client and the domain exist (none of them depends on it).
    const documents = new BucketDeployment(this, 'DeployDocuments', {
      ...common,
      sources: [
        Source.asset(props.webDist, { exclude: ['assets', 'assets/**', 'build-stats.json', 'config.json'] }),
        ...(props.signIn ? [Source.jsonData('config.json', cognitoWebConfig(props.signIn, this.origin))] : []),
      ],
      cacheControl: [CacheControl.noCache()],
    });
    documents.node.addDependency(assets);
    this.deployments.push(assets, documents);
  }
}
