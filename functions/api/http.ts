/**
 * What every API handler shares: middy, the one HTTP error format, JSON bodies, and the caller's identity from the
 * JWT claims that API Gateway's authorizer (or the local server, the same way) puts in the event.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from '../adapters/logger.js';
import { claimList } from '../domain/claims.js';
import { ForbiddenError, type Issue, LienthongError, UnauthorizedError, ValidationError } from '../domain/errors.js';
import { Role } from '../domain/procedures.js';

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
  const roles = claimList(claims['cognito:groups']).filter((g): g is Role => Role.safeParse(g).success);
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

const readBody = (event: ApiEvent): unknown => {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([
      {
        field: '(body)',
        rule: 'request.json',
        message: { vi: 'Nội dung gửi lên không phải JSON hợp lệ.', en: 'The request body is not valid JSON.' },
      },
    ]);
  }
};

/** A route: `(method path) → function`. One Lambda serves a route group and dispatches on `routeKey`. */
export type Route = (req: Request) => Promise<Response>;

export const routeKeyOf = (event: ApiEvent) => event.routeKey;

export const apiHandler = (routes: Record<string, Route>) =>
  middy<ApiEvent, APIGatewayProxyStructuredResultV2, Error, Context>().handler(async (event) => {
    try {
      const route = routes[event.routeKey];
      if (!route) {
        throw new LienthongError(404, 'route.notFound', { vi: 'Không có chức năng này.', en: 'No such route.' });
      }
      const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const req: Request = {
        event,
        principal: principalOf(event),
        body: readBody(event),
        path: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
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
      if (err instanceof LienthongError) return json(err.status, err.toBody());
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
