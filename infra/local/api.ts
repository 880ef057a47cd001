/**
 * The local HTTP API: stands in for API Gateway (HTTP API + JWT authorizer). It turns each request into the API
 * Gateway v2 event the deployed handlers receive, verifies the bearer token for authorized routes and puts its claims
 * where the JWT authorizer puts them (arrays flattened to "[a b]", as API Gateway does), then calls the same handlers.
 * It also serves the web app (web/dist), its runtime settings (`/config.json`: the local sign-in; on AWS the CDK
 * stack writes the Cognito one next to index.html) and the local token issuer under /local/.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readOutbox } from '#adapters/notificationChannels.js';
import { errorResponse, inputLimits, pathEncodingInvalid, requestTooLarge, unknownRoute } from '#api/http.js';
import { LienthongError } from '#domain/errors.js';
import { apiHandlers } from '#infra/handlers.js';
import { demoUsers, type SignInLimiter, type TokenIssuer } from './auth.js';
import { isLoopback, outboxPage } from './outboxPage.js';

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  method: string;
  template: string;
  regex: RegExp;
  params: string[];
  auth: boolean;
  handler: Handler;
}

/** Past the app's limit the rest of a body is read and dropped (so the client reads the 413), up to API Gateway's own. */
const DRAIN_LIMIT = 10 * 1024 * 1024;

const compile = (template: string) => {
  const params: string[] = [];
  const pattern = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${pattern}/?$`), params };
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

const flattenClaims = (claims: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : v]));

/** Reads at most the app's limit; a larger body is drained (not kept) and reported too large. */
const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= inputLimits.bodyBytes) chunks.push(c);
      else if (size > DRAIN_LIMIT) {
        resolve('too-large');
        req.destroy();
      }
    });
    req.on('end', () => resolve(size > inputLimits.bodyBytes ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

export interface LocalApiOptions {
  host: string;
  port: number;
  issuer: TokenIssuer;
  webDir?: string;
  /** Loads a handler module by its entry path (relative to the repo root). */
  load: (entry: string) => Promise<Handler>;
  /** Brakes password guessing on /local/token (Cognito does this on AWS). */
  signInLimiter: SignInLimiter;
}

export const startLocalApi = async (opts: LocalApiOptions) => {
  const routes: CompiledRoute[] = [];
  for (const group of apiHandlers) {
    const handler = await opts.load(group.entry);
    for (const r of group.routes)
      routes.push({ method: r.method, template: r.path, auth: r.auth, handler, ...compile(r.path) });
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  /** An error in the one shape, as the handlers answer it. */
  const sendError = (res: ServerResponse, err: LienthongError) => {
    const r = errorResponse(err);
    res.writeHead(r.statusCode ?? 500, (r.headers ?? {}) as Record<string, string>);
    res.end(r.body ?? '');
  };

  const serveStatic = (res: ServerResponse, path: string) => {
    if (!opts.webDir || !existsSync(opts.webDir)) {
      sendError(
        res,
        new LienthongError(404, 'web.notBuilt', {
          vi: 'Chưa dựng ứng dụng web: chạy `npm run build:web`.',
          en: 'Web app not built: run `npm run build:web`.',
        }),
      );
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return sendError(res, pathEncodingInvalid('(path)'));
    }
    const rel = normalize(decoded).replace(/^([/\\])+/, '');
    let file = join(opts.webDir, rel || 'index.html');
    if (!file.startsWith(opts.webDir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(opts.webDir, 'index.html');
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    const immutable = /\/assets\//.test(file);
    res.writeHead(200, {
      'content-type': type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(readFileSync(file));
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const method = req.method ?? 'GET';

      if (url.pathname === '/local/token' && method === 'POST') {
        const raw = await readBody(req);
        if (raw === 'too-large') return sendError(res, requestTooLarge());
        let creds: unknown;
        try {
          creds = JSON.parse(raw.toString('utf8') || '{}');
        } catch {
          /* answered below, as wrong credentials */
        }
        const field = (name: string) => {
          const v = creds && typeof creds === 'object' ? (creds as Record<string, unknown>)[name] : undefined;
          return typeof v === 'string' ? v : '';
        };
        const username = field('username');
        const client = req.socket.remoteAddress ?? '';
        const blocked = await opts.signInLimiter.check(username, client);
        if (blocked) return sendError(res, blocked);
        const issued = await opts.issuer.issue(username, field('password'));
        if (!issued) {
          await opts.signInLimiter.failed(username, client);
          return send(res, 401, {
            error: {
              status: 401,
              rule: 'auth.credentials',
              message: { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
              issues: [],
            },
          });
        }
        return send(res, 200, { token: issued.token, expiresIn: issued.expiresIn, user: issued.user });
      }
      // The demo accounts, for the sign-in page's list; the password is in the README, never served.
      if (url.pathname === '/local/users' && method === 'GET') return send(res, 200, { users: demoUsers });
      if (url.pathname === '/local/.well-known/jwks.json') return send(res, 200, opts.issuer.jwks());
      // The outbox: what SNS and SES would have sent (adapters/notificationChannels.ts), as a page or JSON.
      if (url.pathname === '/local/outbox' && (method === 'GET' || method === 'HEAD')) {
        if (!isLoopback(req.socket.remoteAddress)) {
          return sendError(
            res,
            new LienthongError(403, 'outbox.localOnly', {
              vi: 'Hộp thư đi chỉ mở được trên chính máy chạy hệ thống (có số điện thoại, thư điện tử của gia đình).',
              en: "The outbox opens only on the machine that runs the system (it holds families' phones and e-mails).",
            }),
          );
        }
        const caseId = url.searchParams.get('caseId') || undefined;
        const messages = await readOutbox({ ...(caseId ? { caseId } : {}), limit: 200 });
        const json = url.searchParams.get('format') === 'json' || /application\/json/.test(req.headers.accept ?? '');
        if (json) return send(res, 200, { messages }, { 'cache-control': 'no-store' });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return void res.end(method === 'HEAD' ? undefined : outboxPage(messages, caseId));
      }
      // Read by the web app at start: the same build signs in here with /local/token, on AWS with Cognito.
      if (url.pathname === '/config.json' && (method === 'GET' || method === 'HEAD')) {
        return send(res, 200, { auth: { type: 'local' } }, { 'cache-control': 'no-cache' });
      }

      const route = routes.find((r) => r.method === method && r.regex.test(url.pathname));
      if (!route) {
        // What is not an API path is the web app (on AWS, CloudFront sends those to S3).
        const apiPath = routes.some((r) => r.regex.test(url.pathname));
        if ((method === 'GET' || method === 'HEAD') && !apiPath) return serveStatic(res, url.pathname);
        // API Gateway's `$default` route: the same 404/405 in the one error shape (functions/api/http.ts).
        return sendError(res, unknownRoute(method, url.pathname));
      }
      const m = route.regex.exec(url.pathname)!;
      let pathParameters: Record<string, string>;
      try {
        pathParameters = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return sendError(res, pathEncodingInvalid('(path)'));
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );

      let claims: Record<string, unknown> | undefined;
      if (route.auth) {
        const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
        claims = bearer ? await opts.issuer.verify(bearer) : undefined;
        // API Gateway's JWT authorizer answers 401 itself before any handler runs.
        if (!claims) return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      }
      const raw = await readBody(req);
      if (raw === 'too-large') return sendError(res, requestTooLarge());
      const routeKey = `${route.method} ${route.template}`;
      const now = Date.now();
      const event = {
        version: '2.0',
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        pathParameters: route.params.length ? pathParameters : undefined,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey,
          stage: '$default',
          time: new Date(now).toUTCString(),
          timeEpoch: now,
          ...(claims ? { authorizer: { jwt: { claims: flattenClaims(claims), scopes: null } } } : {}),
        },
        body: raw.length ? raw.toString('utf8') : undefined,
        isBase64Encoded: false,
      };
      const context = {
        functionName: `local-${routeKey}`,
        awsRequestId: event.requestContext.requestId,
        getRemainingTimeInMillis: () => 29_000,
      };
      const result = await route.handler(event, context);
      res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
      res.end(result.body ?? '');
    } catch (err) {
      // API Gateway answers 500 when an integration fails; the handlers themselves never let an error escape.
      console.error('local api: integration failure', (err as Error).message);
      if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
