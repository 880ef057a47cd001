import { randomUUID } from 'node:crypto';
/**
 * Every API rule of docs/api.md, one test named after it, against one in-process local stack: the status, the rule,
 * the field and both messages of the one error format, and that a refused request writes nothing (no case, no
 * claim, no tracking entry, no event). Bad input never gets a 5xx: POST /applications is also fuzzed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { config } from '#adapters/config.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { deepMerge } from '#domain/eventLog.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { type ApiResponse, apiClient, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { scanTable } from '#support/table.js';
import { pinnedTime } from '#support/time.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ clock: pinnedTime() });
  api = apiClient(stack.apiUrl);
}, 300_000);
afterAll(async () => {
  await stack?.stop();
});

interface ErrorBody {
  error: {
    status: number;
    rule: string;
    message: { vi: string; en: string };
    issues: { field: string; rule: string; message: { vi: string; en: string } }[];
    details?: Record<string, unknown>;
  };
}

/** The one error format, with both messages non-empty, the rule and (when the rule has one) the field. */
const expectError = (r: ApiResponse<unknown>, status: number, rule: string, field?: string) => {
  const body = r.body as ErrorBody;
  // `schema.*`: one broken field names its own rule; several are reported together as `request.invalid`
  const top = rule.endsWith('*')
    ? expect.stringMatching(new RegExp(`^(${rule.replace('.*', '\\.\\w+')}|request\\.invalid)$`))
    : rule;
  expect({ status: r.status, rule: body.error?.rule }).toEqual({ status, rule: top });
  expect(body.error.status).toBe(status);
  expect(body.error.message.vi.trim()).not.toBe('');
  expect(body.error.message.en.trim()).not.toBe('');
  expect(Array.isArray(body.error.issues)).toBe(true);
  for (const i of body.error.issues) {
    expect(i.field).toEqual(expect.any(String));
    expect(i.message.vi.trim()).not.toBe('');
    expect(i.message.en.trim()).not.toBe('');
  }
  if (field === undefined) expect(body.error.issues).toEqual([]);
  else {
    const named = rule.endsWith('*') ? expect.stringMatching(new RegExp(`^${rule.replace('.*', '\\.')}`)) : rule;
    expect(body.error.issues.map((i) => [i.field, i.rule])).toContainEqual([field, named]);
  }
  return body.error;
};

const FILING_CLAIMS = /^(REQUEST#|UNIQUE#(REQUEST|BIRTH_CERT|MOTHER_BIRTH|FATHER_BIRTH|FOUNDLING)#)/;

/** What filing writes: cases (their STATE items and first events), filing claims and tracking entries. */
const filingFootprint = async () => {
  const items = await scanTable(caseStore().doc, stack.tableName);
  const keys = (test: (i: Record<string, unknown>) => boolean) =>
    items
      .filter(test)
      .map((i) => `${i.PK}|${i.SK}`)
      .sort();
  return {
    cases: keys((i) => i.SK === 'STATE'),
    firstEvents: keys((i) => i.SK === 'EVENT#000000001'),
    claims: keys((i) => FILING_CLAIMS.test(String(i.PK))),
    tracking: keys((i) => String(i.PK).startsWith('TRACK#')),
  };
};
/** What people recorded on a case (the workflow keeps appending its own events, e.g. archived histories, meanwhile). */
const eventsOf = async (caseId: string) =>
  (await caseStore().loadEvents(caseId)).filter((e) => e.actor.role !== 'system' && e.data.type !== 'CASE_VIEWED');

/** Everything people did on a case, reads included. */
const recordedBy = async (caseId: string) =>
  (await caseStore().loadEvents(caseId)).filter((e) => e.actor.role !== 'system');

/** A filed case whose birth decision waits in the civil-status queue of Ba Đình. */
const caseAwaitingBirth = async (patch: Record<string, unknown> = {}) => {
  const filed = await api.file(demoDossier(patch));
  expect(filed.status).toBe(201);
  await waitForTask(api, filed.body.caseId, 'BIRTH');
  return filed.body;
};

/** A deep copy: demoDossier() shares the sub-objects it did not patch with the example file's dossier. */
const freshDossier = (patch: Record<string, unknown> = {}) => structuredClone(demoDossier(patch));

const withoutField = (path: string[]) => {
  const d = freshDossier();
  let at = d as Record<string, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  delete at[path.at(-1)!];
  return d;
};

describe('API rules: authentication and scope', () => {
  it('auth.required: the authorizer answers 401 to a request without a token, and nothing is filed', async () => {
    // prepare
    const before = await filingFootprint();
    // act
    const r = await fetch(`${stack.apiUrl}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dossier: demoDossier() }),
    });
    const wrongToken = await api.call('POST', '/applications', {
      headers: { authorization: 'Bearer not.a.jwt' },
      body: { dossier: demoDossier() },
    });
    // assess: API Gateway's JWT authorizer answers before any handler, in its own format (docs/api.md "Errors")
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(await r.json()).toEqual({ message: 'Unauthorized' });
    expect(wrongToken.status).toBe(401);
    expect(await filingFootprint()).toEqual(before);
  });

  it('auth.required: a handler reached without claims answers 401 in the one format', async () => {
    // prepare: what a route deployed without the authorizer would see
    const { handler } = await import('#api/applications.js');
    // act
    const res = await handler(
      { routeKey: 'POST /applications', headers: {}, requestContext: {}, body: '{}', isBase64Encoded: false } as never,
      {} as never,
    );
    // assess
    expectError({ status: res.statusCode ?? 0, body: JSON.parse(String(res.body)) }, 401, 'auth.required');
  });

  it('auth.role: a police officer cannot file a dossier (403), and nothing is filed', async () => {
    // prepare
    const before = await filingFootprint();
    // act
    const r = await api.file(demoDossier(), 'congan.badinh');
    // assess
    expectError(r, 403, 'auth.role');
    expect(await filingFootprint()).toEqual(before);
  });

  it('auth.scope: an officer of commune 26743 cannot file for commune 00004 (403), and nothing is filed', async () => {
    // prepare
    const before = await filingFootprint();
    // act
    const r = await api.file(demoDossier(), 'hotich.benthanh');
    // assess
    expectError(r, 403, 'auth.scope');
    expect(await filingFootprint()).toEqual(before);
  });

  it('auth.scope: the police of 26743 cannot decide the birth of a case registered in 00004 (403), nothing recorded', async () => {
    // prepare: the family lives in Bến Thành (26743), so its police see the case, but the birth is Ba Đình's
    const c = await caseAwaitingBirth({
      residence: { address: { provinceCode: '79', communeCode: '26743', detail: '5 Lê Lợi' } },
    });
    const before = await eventsOf(c.caseId);
    // act
    const r = await api.decide(c.caseId, 'BIRTH', 'APPROVED', 'congan.benthanh');
    // assess
    expectError(r, 403, 'auth.scope');
    expect(await eventsOf(c.caseId)).toEqual(before);
    expect(await caseStore().getTask(c.caseId, 'BIRTH')).toBeDefined();
  });

  it('case.notFound: an officer of another commune gets 404, the same answer as for a case that does not exist', async () => {
    // prepare
    const c = await caseAwaitingBirth();
    const before = await recordedBy(c.caseId);
    // act
    const read = await api.getCase(c.caseId, 'hotich.benthanh');
    const decide = await api.decide(c.caseId, 'BIRTH', 'APPROVED', 'congan.benthanh');
    const missing = await api.getCase('01KAAAAAAAAAAAAAAAAAAAAAAA', 'hotich.benthanh');
    const missingDecide = await api.decide('01KAAAAAAAAAAAAAAAAAAAAAAA', 'BIRTH', 'APPROVED', 'congan.benthanh');
    // assess: not 403, so the case's existence does not leak; and the refused read is not recorded as an access
    expectError(read, 404, 'case.notFound');
    expectError(decide, 404, 'case.notFound');
    expect(read.body).toEqual(missing.body);
    expect(decide.body).toEqual(missingDecide.body);
    expect(await recordedBy(c.caseId)).toEqual(before);
  });
});

describe('API rules: filing a dossier', () => {
  it('request.json: a body that is not JSON answers 400 on (body), and nothing is filed', async () => {
    // prepare
    const before = await filingFootprint();
    // act
    const r = await api.call('POST', '/applications', { as: 'hotich.badinh', body: '{"dossier": {"birthCase": ' });
    // assess
    expectError(r, 400, 'request.json', '(body)');
    expect(await filingFootprint()).toEqual(before);
  });

  it.each([
    [['child', 'givenName'], 'dossier.child.givenName'],
    [['birthCertificate', 'number'], 'dossier.birthCertificate.number'],
    [['registrationCommuneCode'], 'dossier.registrationCommuneCode'],
  ])('schema.*: a dossier without %j answers 400 naming %s, and nothing is filed', async (path, field) => {
    // prepare
    const before = await filingFootprint();
    // act
    const r = await api.file(withoutField(path));
    // assess
    const error = expectError(r, 400, 'schema.*', field);
    expect(error.issues.find((i) => i.field === field)?.rule).toMatch(/^schema\./);
    expect(await filingFootprint()).toEqual(before);
  });

  it('schema.*: a requestId too short answers 400 naming requestId', async () => {
    // act
    const r = await api.file(demoDossier(), 'hotich.badinh', 'short');
    // assess
    expectError(r, 400, 'schema.*', 'requestId');
  });

  it('dossier.duplicate: the same birth-certificate number filed twice answers 409 with the existing dossier code', async () => {
    // prepare
    const first = await api.file(demoDossier());
    const filed = (await caseStore().loadEvents(first.body.caseId))[0]!.data as {
      dossier: { birthCertificate: { number: string } };
    };
    const before = await filingFootprint();
    // act: another child (other mother) with the same certificate number
    const second = await api.file(demoDossier({ birthCertificate: { number: filed.dossier.birthCertificate.number } }));
    // assess
    expect(first.status).toBe(201);
    const error = expectError(second, 409, 'dossier.duplicate', 'dossier.birthCertificate.number');
    expect(error.details).toEqual({ existingCaseId: first.body.caseId, existingDossierCode: first.body.dossierCode });
    expect(error.message.vi).toContain(first.body.dossierCode);
    expect(await filingFootprint()).toEqual(before);
  });

  it('files once for a retry with the same requestId: two POSTs, the same case, one case in the table', async () => {
    // prepare
    const dossier = demoDossier();
    const requestId = `retry-${randomUUID()}`;
    const before = await filingFootprint();
    // act
    const first = await api.file(dossier, 'hotich.badinh', requestId);
    const retry = await api.file(dossier, 'hotich.badinh', requestId);
    const after = await filingFootprint();
    // assess
    expect([first.status, retry.status]).toEqual([201, 200]);
    // the same answer, secret included: a client whose first answer was lost still gets the family's secret
    expect(retry.body).toMatchObject({
      caseId: first.body.caseId,
      dossierCode: first.body.dossierCode,
      trackingSecret: first.body.trackingSecret,
      replayed: true,
    });
    expect(after.cases.length - before.cases.length).toBe(1);
    expect(after.tracking.length - before.tracking.length).toBe(1);
  });

  it('files once for concurrent retries with the same requestId: one case, one dossier code, one tracking entry', async () => {
    // prepare: a client that times out and retries while its first request is still being handled
    const dossier = freshDossier();
    const requestId = `concurrent-${randomUUID()}`;
    const before = await filingFootprint();
    // act
    const answers = await Promise.all([1, 2, 3].map(() => api.file(dossier, 'hotich.badinh', requestId)));
    const after = await filingFootprint();
    // assess
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
    const recorded = await caseStore().getState(answers[0]!.body.caseId);
    expect(new Set(answers.map((a) => a.body.dossierCode))).toEqual(new Set([recorded!.dossierCode]));
    expect(new Set(answers.map((a) => a.body.trackingSecret)).size).toBe(1);
    expect(after.cases.length - before.cases.length).toBe(1);
    expect(after.tracking.length - before.tracking.length).toBe(1);
  });
});

describe('API rules: decisions', () => {
  it('decision.reasonRequired: refusing or asking for a supplement without a reason answers 400 on reason', async () => {
    // prepare
    const c = await caseAwaitingBirth();
    const before = await eventsOf(c.caseId);
    // act
    const refused = await api.decide(c.caseId, 'BIRTH', 'REFUSED', 'hotich.badinh');
    const tooShort = await api.decide(c.caseId, 'BIRTH', 'SUPPLEMENT_REQUESTED', 'hotich.badinh', '  ok ');
    // assess
    expectError(refused, 400, 'decision.reasonRequired', 'reason');
    expectError(tooShort, 400, 'decision.reasonRequired', 'reason');
    expect(await eventsOf(c.caseId)).toEqual(before);
    expect(await caseStore().getTask(c.caseId, 'BIRTH')).toBeDefined();
  });

  it('task.notOpen: deciding a procedure that is not waiting answers 409 on procedure', async () => {
    // prepare: residence waits for the birth registration first
    const c = await caseAwaitingBirth();
    const before = await eventsOf(c.caseId);
    // act
    const r = await api.decide(c.caseId, 'RESIDENCE', 'APPROVED', 'congan.badinh');
    const staleRound = await api.call('POST', `/cases/${c.caseId}/decisions`, {
      as: 'hotich.badinh',
      body: { procedure: 'BIRTH', decision: 'APPROVED', round: 2 },
    });
    // assess
    expectError(r, 409, 'task.notOpen', 'procedure');
    expectError(staleRound, 409, 'task.notOpen', 'procedure');
    expect(await eventsOf(c.caseId)).toEqual(before);
  });

  it('task.alreadyDecided: a decision recorded but not yet delivered is re-delivered once; a different one answers 409', async () => {
    // prepare: the API recorded APPROVED, then stopped before answering the workflow and closing the task
    const c = await caseAwaitingBirth();
    const key = 'decision:BIRTH:1';
    await caseStore().appendOnce(
      c.caseId,
      key,
      () => ({
        actor: { id: 'local-hotich.badinh', role: 'civil-status-officer', unit: '00004' },
        key,
        data: { type: 'DECISION_RECORDED', procedure: 'BIRTH', round: 1, decision: 'APPROVED' },
      }),
      config().clock.now(),
    );
    const before = await eventsOf(c.caseId);
    // act
    const different = await api.decide(c.caseId, 'BIRTH', 'REFUSED', 'hotich.badinh', 'Giấy chứng sinh giả');
    const afterDifferent = await eventsOf(c.caseId);
    const same = await api.decide(c.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh');
    // assess
    expectError(different, 409, 'task.alreadyDecided', 'decision');
    expect(afterDifferent).toEqual(before);
    expect(same.status).toBe(202);
    expect(same.body).toMatchObject({ decision: 'APPROVED', round: 1, delivered: true });
    const decisions = (await eventsOf(c.caseId)).filter((e) => e.data.type === 'DECISION_RECORDED');
    expect(decisions).toHaveLength(1);
    await waitForTask(api, c.caseId, 'RESIDENCE');
  });

  it('task.alreadyDecided: the same decision twice is recorded once (the retry answers 200, replayed); a different one afterwards is refused with 409', async () => {
    // prepare
    const c = await caseAwaitingBirth();
    // act
    const first = await api.decide(c.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh');
    const again = await api.decide(c.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh');
    const different = await api.decide(c.caseId, 'BIRTH', 'REFUSED', 'hotich.badinh', 'Giấy chứng sinh giả');
    // assess
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ decision: 'APPROVED', round: 1, replayed: true });
    expectError(different, 409, 'task.alreadyDecided', 'decision');
    const decisions = (await eventsOf(c.caseId)).filter((e) => e.data.type === 'DECISION_RECORDED');
    expect(decisions.map((e) => e.data)).toEqual([
      expect.objectContaining({ procedure: 'BIRTH', decision: 'APPROVED' }),
    ]);
    await waitForTask(api, c.caseId, 'RESIDENCE');
  });

  it('task.alreadyDecided: two officers deciding at the same moment record one decision', async () => {
    // prepare
    const c = await caseAwaitingBirth();
    // act
    const answers = await Promise.all([
      api.decide(c.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh'),
      api.decide(c.caseId, 'BIRTH', 'REFUSED', 'hotich.badinh', 'Giấy chứng sinh giả'),
      api.decide(c.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh'),
    ]);
    // assess
    const decisions = (await eventsOf(c.caseId)).filter((e) => e.data.type === 'DECISION_RECORDED');
    expect(decisions).toHaveLength(1);
    const recorded = (decisions[0]!.data as { decision: string }).decision;
    for (const [i, a] of answers.entries()) {
      const asked = i === 1 ? 'REFUSED' : 'APPROVED';
      if (a.status === 202) expect(asked).toBe(recorded);
      else expect(['task.alreadyDecided', 'task.notOpen']).toContain((a.body as unknown as ErrorBody).error.rule);
    }
    expect(answers.some((a) => a.status === 202)).toBe(true);
  });
});

describe('API rules: the parent tracking their case', () => {
  it('tracking.notFound: a wrong secret and a wrong code answer the same 404', async () => {
    // prepare
    const filed = await api.file(demoDossier());
    // act
    const wrongSecret = await api.call('GET', `/tracking/${filed.body.dossierCode}`, {
      headers: { 'x-tracking-secret': 'WRONG00000' },
    });
    const noSecret = await api.call('GET', `/tracking/${filed.body.dossierCode}`);
    const wrongCode = await api.call('GET', '/tracking/LT-00004-261123-ZZZZZZ', {
      headers: { 'x-tracking-secret': filed.body.trackingSecret },
    });
    const right = await api.call('GET', `/tracking/${filed.body.dossierCode}`, {
      headers: { 'x-tracking-secret': filed.body.trackingSecret },
    });
    // assess
    expectError(wrongSecret, 404, 'tracking.notFound');
    expect(noSecret).toEqual(wrongSecret);
    expect(wrongCode).toEqual(wrongSecret);
    expect(right.status).toBe(200);
    // Only the right secret's read is recorded (in the case's access log).
    expect((await auditStore().loadAccess(filed.body.caseId)).map((a) => a.purpose)).toEqual(['tracking.read']);
  });
});

describe('API rules: supplements', () => {
  it('supplement changes pass the filing rules: a corrected dossier that breaks one answers 400 on changes.<field>, nothing recorded; a valid one is accepted', async () => {
    // prepare: the civil-status officer asks the family for a supplement
    const filed = await caseAwaitingBirth();
    const asked = await api.decide(
      filed.caseId,
      'BIRTH',
      'SUPPLEMENT_REQUESTED',
      'hotich.badinh',
      'Sửa lại ngày sinh của trẻ',
    );
    expect(asked.status).toBe(202);
    await waitForTask(api, filed.caseId, 'BIRTH', 'SUPPLEMENT');
    const before = await eventsOf(filed.caseId);
    const supply = (changes: Record<string, unknown>) =>
      api.call('POST', `/tracking/${filed.dossierCode}/supplements`, {
        headers: { 'x-tracking-secret': filed.trackingSecret },
        body: { procedure: 'BIRTH', note: 'Sửa ngày sinh', changes },
      });
    // act
    const tooOld = await supply({ child: { dateOfBirth: '2019-01-01' } });
    const badSex = await supply({ child: { sex: 'X' } });
    const afterRefused = await eventsOf(filed.caseId);
    const fine = await supply({ child: { timeOfBirth: '09:15' } });
    // assess
    expectError(tooOld, 400, 'child.underSix', 'changes.child.dateOfBirth');
    expectError(badSex, 400, 'schema.*', 'changes.child.sex');
    expect(afterRefused).toEqual(before);
    expect(fine.status).toBe(202);
  });
});

describe('API rules: bad input never gets a 5xx', () => {
  const paths = (v: unknown, at: string[] = []): string[][] =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))].filter((p) => p.length > 0)
      : [at];
  const dossierPaths = paths(demoDossier());
  const setAt = (d: Record<string, unknown>, path: string[], value: unknown) => {
    let at = d;
    for (const k of path.slice(0, -1)) {
      const next = at[k];
      // an earlier change replaced a parent: this one has nothing left to change
      if (!next || typeof next !== 'object') return d;
      at = next as Record<string, unknown>;
    }
    if (value === undefined) delete at[path.at(-1)!];
    else at[path.at(-1)!] = value;
    return d;
  };
  const replacement = fc.oneof(fc.constant(undefined), fc.jsonValue(), fc.string(), fc.integer(), fc.constant(null));
  const mutation = fc
    .array(fc.tuple(fc.constantFrom(...dossierPaths), replacement), { minLength: 1, maxLength: 3 })
    .map((changes) => ({
      kind: 'mutated dossier',
      build: () => ({ dossier: changes.reduce((d, [p, v]) => setAt(d, p, v), freshDossier()) }),
    }));
  const randomBody = fc.jsonValue().map((v) => ({ kind: 'random JSON', build: () => v }));
  const randomDossier = fc.jsonValue().map((v) => ({ kind: 'random dossier', build: () => ({ dossier: v }) }));
  const randomText = fc.string().map((s) => ({ kind: 'random text', build: () => s }));
  const patchedDossier = fc
    .object()
    .map((o) => ({ kind: 'patched dossier', build: () => ({ dossier: deepMerge(demoDossier(), o) }) }));

  it('answers every random or mutated filing with 201/400/403/409 in the error format, never 5xx', async () => {
    // prepare
    const seen: Record<number, number> = {};
    // act / assess
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutation, randomBody, randomDossier, randomText, patchedDossier), async ({ build }) => {
        const body = build();
        const r = await api.call('POST', '/applications', {
          as: 'hotich.badinh',
          body: typeof body === 'string' ? body : JSON.stringify(body ?? null),
        });
        seen[r.status] = (seen[r.status] ?? 0) + 1;
        expect([201, 400, 403, 409]).toContain(r.status);
        if (r.status !== 201) {
          const error = (r.body as unknown as ErrorBody).error;
          expect(error.status).toBe(r.status);
          expect(error.rule).toMatch(/^[a-zA-Z]+\.[\w.*-]+$/);
          expect(error.message.vi.trim()).not.toBe('');
          expect(error.message.en.trim()).not.toBe('');
          for (const i of error.issues)
            expect(i).toEqual({
              field: expect.any(String),
              rule: expect.any(String),
              message: { vi: expect.any(String), en: expect.any(String) },
            });
        }
      }),
      { numRuns: 50 },
    );
    expect(Object.keys(seen).length).toBeGreaterThan(1);
  }, 120_000);
});
