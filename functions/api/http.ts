/**
 * What every API handler shares: middy, the one HTTP error format, JSON bodies, and the caller's identity from the
 * JWT claims that API Gateway's authorizer (or the local server, the same way) puts in the event.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '#adapters/logger.js';
import { claimList } from '#domain/claims.js';
import {
  ForbiddenError,
  type Issue,
  issue,
  LienthongError,
  UnauthorizedError,
  ValidationError,
} from '#domain/errors.js';
import { type Role, registry } from '#domain/procedures/index.js';
import { hasUnsafeCharacters, unsafeTextIssue } from '#domain/text.js';
import { apiHandlers } from '#infra/handlers.js';

export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  /** The administrative unit the officer belongs to (commune code; province code for social security). */
  unit: string;
}

export type ApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};

export interface Request {
  event: ApiEvent;
  principal: Principal | undefined;
  body: unknown;
  path: Record<string, string>;
  query: Record<string, string>;
  header: (name: string) => string | undefined;
}

export type Response = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The body is already text in the content type given (an export file), not JSON to serialise. */
  raw?: boolean;
};

export { claimList };

export const principalOf = (event: ApiEvent): Principal | undefined => {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims?.sub) return undefined;
  const roles = claimList(claims['cognito:groups']).filter((g): g is Role => Object.hasOwn(registry().roleNames, g));
  return {
    id: String(claims.sub),
    name: String(claims.name ?? claims['cognito:username'] ?? claims.sub),
    roles,
    unit: String(claims['custom:unit'] ?? ''),
  };
};

export const requirePrincipal = (req: Request): Principal => {
  if (!req.principal) throw new UnauthorizedError();
  return req.principal;
};

export const requireRole = (req: Request, ...roles: Role[]): Principal => {
  const p = requirePrincipal(req);
  if (!p.roles.some((r) => roles.includes(r))) {
    throw new ForbiddenError('auth.role', {
      vi: `Chức năng này dành cho: ${roles.join(', ')}.`,
      en: `This action is for: ${roles.join(', ')}.`,
    });
  }
  return p;
};

/** zod → the one error format, field by field. */
export const zodIssues = (err: z.ZodError, prefix = ''): Issue[] =>
  err.issues.map((i) => {
    const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)';
    return {
      field,
      rule: `schema.${i.code}`,
      message: {
        vi: `Trường "${field}" không hợp lệ (${i.message}).`,
        en: `Field "${field}" is not valid (${i.message}).`,
      },
    };
  });

export const parseWith = <T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.infer<T> => {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(zodIssues(r.error, prefix));
  return r.data;
};

const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * What the API accepts, the same on both runtimes (API Gateway's own limit is 10 MB; the local server reads at most
 * `bodyBytes` and answers with the same 413). A dossier is a few KB; 64 KB keeps every stored item far below
 * DynamoDB's 400 KB, and 16 levels below its 32 levels of nesting.
 */
export const inputLimits = {
  bodyBytes: 64 * 1024,
  depth: 16,
  /** A case id is 26 characters, a dossier code 22: a path parameter longer than this names nothing. */
  pathParameterChars: 128,
  queryValueChars: 256,
} as const;

/** Keys that would reach an object's prototype when merged (`deepMerge`, spreads): refused anywhere in a body. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const requestTooLarge = () =>
  new LienthongError(
    413,
    'request.tooLarge',
    {
      vi: `Nội dung gửi lên quá lớn (tối đa ${inputLimits.bodyBytes / 1024} KB).`,
      en: `The request body is too large (at most ${inputLimits.bodyBytes / 1024} KB).`,
    },
    {
      issues: [
        issue(
          '(body)',
          'request.tooLarge',
          `Nội dung gửi lên quá lớn (tối đa ${inputLimits.bodyBytes / 1024} KB).`,
          `The request body is too large (at most ${inputLimits.bodyBytes / 1024} KB).`,
        ),
      ],
    },
  );

export const pathEncodingInvalid = (field: string) =>
  new ValidationError([
    issue(field, 'request.pathEncoding', 'Đường dẫn có mã "%" không hợp lệ.', 'The path holds a malformed "%" escape.'),
  ]);

const uriTooLong = (field: string, max: number) => {
  const i = issue(
    field,
    'request.uriTooLong',
    `Giá trị "${field}" quá dài (tối đa ${max} ký tự).`,
    `"${field}" is too long (at most ${max} characters).`,
  );
  return new LienthongError(414, i.rule, i.message, { issues: [i] });
};

/**
 * Walks a parsed body without recursion: too deep → 400 `request.tooDeep`; a prototype key → 400
 * `request.forbiddenKey`; a string with refused characters (domain/text.ts) → 400 `text.controlCharacters`.
 */
export const inspectBody = (body: unknown): void => {
  const issues: Issue[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0 && issues.length < 20) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (hasUnsafeCharacters(value)) issues.push(unsafeTextIssue(path || '(body)'));
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= inputLimits.depth) {
      throw new ValidationError([
        issue(
          path || '(body)',
          'request.tooDeep',
          `Nội dung gửi lên lồng nhau quá sâu (tối đa ${inputLimits.depth} cấp).`,
          `The request body is nested too deep (at most ${inputLimits.depth} levels).`,
        ),
      ]);
    }
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (PROTOTYPE_KEYS.has(k)) {
        issues.push(
          issue(at, 'request.forbiddenKey', `Không được dùng khóa "${k}".`, `The key "${k}" is not allowed.`),
        );
        continue;
      }
      if (hasUnsafeCharacters(k, true)) {
        issues.push(unsafeTextIssue(path ? `${path}.(key)` : '(key)'));
        continue;
      }
      stack.push({ value: v, path: at, depth: depth + 1 });
    }
  }
  if (issues.length === 0) return;
  const rules = new Set(issues.map((i) => i.rule));
  if (issues.length === 1 || rules.size > 1) throw new ValidationError(issues);
  // several fields break the same rule: the answer names that rule, every field is listed
  throw new LienthongError(
    400,
    issues[0]!.rule,
    {
      vi: `${issues.length} trường không hợp lệ: ${issues.map((i) => i.field).join(', ')}.`,
      en: `${issues.length} fields are not valid: ${issues.map((i) => i.field).join(', ')}.`,
    },
    { issues, name: 'Request.Invalid' },
  );
};

const readBody = (event: ApiEvent): unknown => {
  if (!event.body) return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > inputLimits.bodyBytes) throw requestTooLarge();
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError([
      {
        field: '(body)',
        rule: 'request.json',
        message: { vi: 'Nội dung gửi lên không phải JSON hợp lệ.', en: 'The request body is not valid JSON.' },
      },
    ]);
  }
  inspectBody(body);
  return body;
};

/** Path parameters and query values: bounded in length (DynamoDB keys are at most 2 KB), no refused characters. */
const checkedParameters = (values: Record<string, string | undefined> | undefined, kind: 'path' | 'query') => {
  const out: Record<string, string> = {};
  const max = kind === 'path' ? inputLimits.pathParameterChars : inputLimits.queryValueChars;
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value === undefined) continue;
    const field = `${kind}.${name}`;
    if (value.length > max) throw uriTooLong(field, max);
    if (hasUnsafeCharacters(value, true)) throw new ValidationError([unsafeTextIssue(field)]);
    out[name] = value;
  }
  return out;
};

/** Every route template of the API, as a matcher: unknown path → 404, known path with another method → 405. */
const routeTable = apiHandlers.flatMap((g) =>
  g.routes.map((r) => ({
    method: r.method as string,
    regex: new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}/?$`),
  })),
);

/** 404 `route.notFound` or 405 `route.methodNotAllowed` (with the methods the path has), in the one error shape. */
export const unknownRoute = (method: string, path: string): LienthongError => {
  const allowed = [...new Set(routeTable.filter((r) => r.regex.test(path)).map((r) => r.method))];
  if (allowed.length === 0 || allowed.includes(method)) {
    return new LienthongError(404, 'route.notFound', { vi: 'Không có chức năng này.', en: 'No such route.' });
  }
  return new LienthongError(
    405,
    'route.methodNotAllowed',
    {
      vi: `Đường dẫn này chỉ nhận: ${allowed.join(', ')}.`,
      en: `This path accepts only: ${allowed.join(', ')}.`,
    },
    { details: { allow: allowed } },
  );
};

/** The response of an error, as the handlers and the local server send it (405: `Allow`; 429: `Retry-After`). */
export const errorResponse = (err: LienthongError) => {
  const headers: Record<string, string> = {};
  if (err.status === 405 && Array.isArray(err.details?.allow)) headers.allow = err.details.allow.join(', ');
  if (err.status === 429 && typeof err.details?.retryAfterSeconds === 'number') {
    headers['retry-after'] = String(err.details.retryAfterSeconds);
  }
  return json(err.status, err.toBody(), headers);
};

/** A route: `(method path) → function`. One Lambda serves a route group and dispatches on `routeKey`. */
export type Route = (req: Request) => Promise<Response>;

export const routeKeyOf = (event: ApiEvent) => event.routeKey;

export const apiHandler = (routes: Record<string, Route>) =>
  middy<ApiEvent, APIGatewayProxyStructuredResultV2, Error, Context>().handler(async (event) => {
    try {
      const route = routes[event.routeKey];
      // API Gateway's `$default` route (and any route this group does not serve) lands here.
      if (!route) throw unknownRoute(event.requestContext?.http?.method ?? '', event.rawPath ?? '');
      const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const req: Request = {
        event,
        principal: principalOf(event),
        path: checkedParameters(event.pathParameters, 'path'),
        query: checkedParameters(event.queryStringParameters, 'query'),
        body: readBody(event),
        header: (name) => headers[name.toLowerCase()],
      };
      const res = await route(req);
      if (res.raw) {
        return {
          statusCode: res.status,
          headers: { 'cache-control': 'no-store', ...res.headers },
          body: String(res.body),
        };
      }
      return json(res.status, res.body, res.headers);
    } catch (err) {
      if (err instanceof LienthongError) return errorResponse(err);
      logger.error('unhandled', { routeKey: event.routeKey, error: err as Error });
      return json(500, {
        error: {
          status: 500,
          rule: 'server.error',
          message: {
            vi: 'Lỗi hệ thống, vui lòng thử lại. Hồ sơ không bị mất.',
            en: 'Server error, please try again. Nothing was lost.',
          },
          issues: [],
        },
      });
    }
  });
