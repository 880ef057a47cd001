/**
 * What every API handler shares (functions/api/http.ts): identity from API Gateway's JWT claims and the one error
 * format, including for bodies that do not parse and for exceptions nobody expected (500, without the message).
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { logger } from '#adapters/logger.js';
import { type ApiEvent, apiHandler, claimList, principalOf, type Route } from '#api/http.js';
import { ConflictError } from '#domain/errors.js';

const event = (over: Partial<ApiEvent> = {}, claims?: Record<string, string | number | boolean | string[]>): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: { 'Content-Type': 'application/json' },
    isBase64Encoded: false,
    requestContext: { ...(claims ? { authorizer: { jwt: { claims } } } : {}) },
    ...over,
  }) as unknown as ApiEvent;

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;

const call = async (route: Route, over: Partial<ApiEvent> = {}) => {
  const res = await apiHandler({ 'POST /things': route })(event(over), context);
  return {
    status: res.statusCode,
    body: JSON.parse(String(res.body)) as { error: Record<string, unknown> } & Record<string, unknown>,
  };
};

afterEach(() => {
  jest.restoreAllMocks();
});

describe('Function: claimList', () => {
  it.each([
    ['API Gateway flattened array', '[civil-status-officer auditor]', ['civil-status-officer', 'auditor']],
    ['a flattened single value', '[police-officer]', ['police-officer']],
    ['a real array', ['insurance-officer', 'auditor'], ['insurance-officer', 'auditor']],
    ['a comma list', 'a,b', ['a', 'b']],
    ['a plain value', 'auditor', ['auditor']],
    ['an empty flattened array', '[]', []],
    ['an empty string', '', []],
    ['no claim', undefined, []],
    ['a number', 7, []],
  ])('parses %s', (_what, input, expected) => {
    // act / assess
    expect(claimList(input)).toEqual(expected);
  });
});

describe('Function: principalOf', () => {
  it('reads id, name, known roles and unit from the JWT claims', () => {
    // prepare
    const e = event(
      {},
      { sub: 'u-1', name: 'Nguyễn Thị Hoa', 'cognito:groups': '[civil-status-officer admin]', 'custom:unit': '00004' },
    );
    // act / assess
    expect(principalOf(e)).toEqual({
      id: 'u-1',
      name: 'Nguyễn Thị Hoa',
      roles: ['civil-status-officer'],
      unit: '00004',
    });
  });

  it.each([
    ['cognito:username when there is no name', { sub: 'u-2', 'cognito:username': 'hotich' }, 'hotich'],
    ['the subject when there is neither', { sub: 'u-3' }, 'u-3'],
  ])('falls back to %s', (_what, claims, name) => {
    // act
    const p = principalOf(event({}, claims));
    // assess
    expect(p).toMatchObject({ name, roles: [], unit: '' });
  });

  it.each([
    ['no authorizer', event()],
    ['claims without a subject', event({}, { name: 'x', 'cognito:groups': '[auditor]' })],
  ])('gives no principal for %s', (_what, e) => {
    // act / assess
    expect(principalOf(e)).toBeUndefined();
  });
});

describe('Function: apiHandler', () => {
  it('passes the parsed JSON body to the route and answers JSON, not cached', async () => {
    // prepare
    const route: Route = async (req) => ({ status: 201, body: { got: req.body } });
    // act
    const res = await apiHandler({ 'POST /things': route })(event({ body: '{"a":[1,"b"]}' }), context);
    // assess
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(String(res.body))).toEqual({ got: { a: [1, 'b'] } });
    expect(res.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  });

  it('decodes a base64 body', async () => {
    // prepare
    const route: Route = async (req) => ({ status: 200, body: req.body });
    // act
    const r = await call(route, { body: Buffer.from('{"tên":"An"}').toString('base64'), isBase64Encoded: true });
    // assess
    expect(r.body).toEqual({ tên: 'An' });
  });

  it.each([['{"dossier":'], ['not json'], ["{'single':'quotes'}"], ['{"a":1}}']])(
    'answers 400 request.json for a body that does not parse: %s',
    async (body) => {
      // prepare
      const route = jest.fn<Route>();
      // act
      const r = await call(route, { body });
      // assess
      expect(route).not.toHaveBeenCalled();
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({
        status: 400,
        rule: 'request.json',
        issues: [{ field: '(body)', rule: 'request.json' }],
      });
      expect(r.body.error.message).toEqual({ vi: expect.stringMatching(/.+/), en: expect.stringMatching(/.+/) });
    },
  );

  it('answers a LienthongError in the one format, with its details', async () => {
    // prepare
    const route: Route = async () => {
      throw new ConflictError(
        'dossier.duplicate',
        { vi: 'Trùng.', en: 'Duplicate.' },
        { existingCaseId: 'c-1' },
        'dossier.child',
      );
    };
    // act
    const r = await call(route);
    // assess
    expect(r).toEqual({
      status: 409,
      body: {
        error: {
          status: 409,
          rule: 'dossier.duplicate',
          message: { vi: 'Trùng.', en: 'Duplicate.' },
          issues: [{ field: 'dossier.child', rule: 'dossier.duplicate', message: { vi: 'Trùng.', en: 'Duplicate.' } }],
          details: { existingCaseId: 'c-1' },
        },
      },
    });
  });

  it.each([
    ['an Error', () => new Error('ECONNREFUSED 10.0.0.7:8000 table lienthong-cases secret=abc')],
    ['a thrown string', () => 'SELECT * FROM secrets'],
    [
      'an AWS SDK error',
      () =>
        Object.assign(new Error('User: arn:aws:iam::123:role/x is not authorized'), { name: 'AccessDeniedException' }),
    ],
  ])('answers an unknown exception (%s) with the 500 format, without leaking its message', async (_what, make) => {
    // prepare
    const thrown = make();
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const route: Route = async () => {
      throw thrown;
    };
    // act
    const r = await call(route);
    // assess
    expect(r.status).toBe(500);
    expect(r.body.error).toMatchObject({ status: 500, rule: 'server.error', issues: [] });
    expect(r.body.error.message).toEqual({ vi: expect.stringMatching(/.+/), en: expect.stringMatching(/.+/) });
    expect(JSON.stringify(r.body)).not.toMatch(/ECONNREFUSED|SELECT|arn:aws|secret|AccessDenied/);
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('answers 404 route.notFound for a route the group does not serve', async () => {
    // act
    const res = await apiHandler({})(event({ routeKey: 'DELETE /things' }), context);
    // assess
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(String(res.body)).error.rule).toBe('route.notFound');
  });
});

describe('Function: apiHandler, input checks (the same answers as the local server)', () => {
  const ok: Route = async (req) => ({ status: 200, body: { got: req.body ?? null } });
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it.each([
    ['request.tooLarge', 413, { body: JSON.stringify({ x: 'x'.repeat(70_000) }) }],
    [
      'request.tooLarge',
      413,
      { body: Buffer.from(JSON.stringify({ x: 'x'.repeat(70_000) })).toString('base64'), isBase64Encoded: true },
    ],
    ['request.tooDeep', 400, { body: deep(17) }],
    ['request.tooDeep', 400, { body: deep(30_000) }],
    ['request.forbiddenKey', 400, { body: '{"changes":{"__proto__":{"admin":true}}}' }],
    ['request.forbiddenKey', 400, { body: '{"data":{"constructor":{"prototype":{"x":1}}}}' }],
    ['text.controlCharacters', 400, { body: '{"note":"a\\u0000b"}' }],
    ['text.controlCharacters', 400, { body: '{"note":"\\ud800"}' }],
    ['text.controlCharacters', 400, { body: '{"note":"\\u202e"}' }],
    ['request.uriTooLong', 414, { pathParameters: { caseId: 'A'.repeat(129) } }],
    ['request.uriTooLong', 414, { queryStringParameters: { unit: '9'.repeat(257) } }],
    ['text.controlCharacters', 400, { pathParameters: { code: 'LT\u0000' } }],
  ] as const)('%s: answers %i in the one format', async (rule, status, over) => {
    // act
    const r = await call(ok, over as Partial<ApiEvent>);
    // assess
    expect([r.status, r.body.error.rule]).toEqual([status, rule]);
    expect(r.body.error.message).toEqual({ vi: expect.any(String), en: expect.any(String) });
  });

  it('keeps a body at the limits: 16 levels deep, tabs and line breaks in text', async () => {
    // act
    const r = await call(ok, { body: JSON.stringify({ note: 'a\tb\r\nc', deep: JSON.parse(deep(15)) }) });
    // assess
    expect(r.status).toBe(200);
  });

  it('route.notFound / route.methodNotAllowed: API Gateway’s $default route answers in the one format', async () => {
    // act
    const unknown = await apiHandler({})(
      event({ routeKey: '$default', rawPath: '/nothing', requestContext: { http: { method: 'GET' } } as never }),
      context,
    );
    const wrongMethod = await apiHandler({})(
      event({
        routeKey: '$default',
        rawPath: '/cases/01K/decisions',
        requestContext: { http: { method: 'GET' } } as never,
      }),
      context,
    );
    // assess
    expect([unknown.statusCode, JSON.parse(String(unknown.body)).error.rule]).toEqual([404, 'route.notFound']);
    expect([wrongMethod.statusCode, JSON.parse(String(wrongMethod.body)).error.rule]).toEqual([
      405,
      'route.methodNotAllowed',
    ]);
    expect(wrongMethod.headers).toMatchObject({ allow: 'POST' });
  });
});
