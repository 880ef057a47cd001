/**
 * Issue 9, findings 1–3, against the real local stack: one child, one birth record. A supplement is a new version of
 * the dossier that passes the filing rules again and changes only what was asked; the commune and the identity keys
 * change only through a recorded correction; a procedure completes only through a recorded decision, and the
 * callback token in the table is sealed.
 */
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { caseStore } from '#adapters/store.js';
import type { CaseEvent } from '#domain/events.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { type ApiResponse, apiClient, eventually, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { scanTable } from '#support/table.js';
import { PINNED_CLOCK_SETTING } from '#support/time.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ clock: PINNED_CLOCK_SETTING });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => {
  await stack?.stop();
});

interface Filed {
  caseId: string;
  dossierCode: string;
  trackingSecret: string;
  dossier: ReturnType<typeof demoDossier>;
}

const fileCase = async (patch: Record<string, unknown> = {}): Promise<Filed> => {
  const dossier = demoDossier(patch);
  const r = await api.file(dossier);
  expect(r.status).toBe(201);
  return { ...r.body, dossier };
};

const certificateOf = (f: Filed) => (f.dossier.birthCertificate as { number: string }).number;
const motherIdOf = (f: Filed) => (f.dossier.mother as { personalId: string }).personalId;

/** The civil-status officer asks for a supplement of the birth (optionally naming the parts to change). */
const askSupplement = async (f: Filed, fields?: string[]) => {
  await waitForTask(api, f.caseId, 'BIRTH');
  const r = await api.call('POST', `/cases/${f.caseId}/decisions`, {
    as: 'hotich.badinh',
    body: {
      procedure: 'BIRTH',
      decision: 'SUPPLEMENT_REQUESTED',
      reason: 'Bổ sung giấy tờ còn thiếu',
      ...(fields ? { fields } : {}),
    },
  });
  expect(r.status).toBe(202);
  await waitForTask(api, f.caseId, 'BIRTH', 'SUPPLEMENT');
  // Settled: the family was told (the step's last write: the SMS's delivery outcome) and the projection has caught up
  // with the log.
  await settled(f.caseId, 'delivery:supplement:BIRTH:1:SMS');
};

/** Waits until the event with `key` is recorded and the case's STATE item reflects the whole log. */
const settled = (caseId: string, key: string) =>
  eventually(
    async () => {
      const events = await caseStore().loadEvents(caseId);
      const state = await caseStore().getState(caseId);
      return events.some((e) => e.key === key) && state?.version === events.at(-1)?.seq ? true : undefined;
    },
    10_000,
    `${key} of ${caseId}`,
  );

const supplyAsParent = (f: Filed, changes?: Record<string, unknown>) =>
  api.call('POST', `/tracking/${f.dossierCode}/supplements`, {
    headers: { 'x-tracking-secret': f.trackingSecret },
    body: { procedure: 'BIRTH', note: 'Đã bổ sung', ...(changes ? { changes } : {}) },
  });

const supplyAsOfficer = (f: Filed, changes: Record<string, unknown>) =>
  api.call('POST', `/cases/${f.caseId}/supplements`, {
    as: 'hotich.badinh',
    body: { procedure: 'BIRTH', note: 'Đã bổ sung', changes },
  });

interface ErrorBody {
  error: { status: number; rule: string; issues: { field: string; rule: string }[]; details?: unknown };
}
const expectError = (r: ApiResponse<unknown>, status: number, rule: string, field: string) => {
  const e = (r.body as ErrorBody).error;
  expect({ status: r.status, rule: e?.rule }).toEqual({ status, rule });
  expect(e.issues.map((i) => [i.field, i.rule])).toContainEqual([field, rule]);
  return e;
};

/** Everything stored about a case (its partition) and every uniqueness claim: what a refused request must not touch. */
const footprint = async (caseId: string) => {
  const items = await scanTable(caseStore().doc, stack.tableName);
  return {
    events: items.filter((i) => i.PK === `CASE#${caseId}` && String(i.SK).startsWith('EVENT#')).length,
    state: JSON.stringify(items.find((i) => i.PK === `CASE#${caseId}` && i.SK === 'STATE')),
    claims: items
      .filter((i) => String(i.PK).startsWith('UNIQUE#'))
      .map((i) => `${i.PK}=${i.caseId}`)
      .sort(),
  };
};

const eventsOf = (caseId: string): Promise<CaseEvent[]> => caseStore().loadEvents(caseId);
const typesOf = async (caseId: string): Promise<string[]> => (await eventsOf(caseId)).map((e) => e.data.type);

describe('Finding 1: a supplement skips the filing rules', () => {
  it.each([
    ['the parent', supplyAsParent],
    ['the civil-status officer', supplyAsOfficer],
  ])(
    'dossier.duplicate: a supplement by %s that takes another case’s birth-certificate number and mother’s ID answers 409 and writes nothing',
    async (_who, supply) => {
      // prepare: case A filed; case B waits for a supplement of its birth
      const a = await fileCase();
      const b = await fileCase();
      await askSupplement(b);
      const before = await footprint(b.caseId);
      // act
      const r = await supply(b, {
        birthCertificate: { number: certificateOf(a) },
        mother: { personalId: motherIdOf(a) },
      });
      // assess: the filing's 409, not naming the other case; nothing written; B still waits for its supplement
      const e = expectError(r, 409, 'dossier.duplicate', 'changes.birthCertificate.number');
      expect(JSON.stringify(e)).not.toContain(a.caseId);
      expect(JSON.stringify(e)).not.toContain(a.dossierCode);
      expect(await footprint(b.caseId)).toEqual(before);
      expect(await caseStore().getTask(b.caseId, 'BIRTH')).toMatchObject({ kind: 'SUPPLEMENT', round: 1 });
    },
  );

  it('supplement.identityKey: a supplement cannot change the birth-certificate number, even to one no case holds', async () => {
    // prepare
    const b = await fileCase();
    await askSupplement(b);
    const before = await footprint(b.caseId);
    const free = certificateOf(b).replace(/^\d{5}/, (n) => String((Number(n) + 50000) % 100000).padStart(5, '0'));
    // act
    const number = await supplyAsParent(b, { birthCertificate: { number: free } });
    const birthDate = await supplyAsParent(b, { child: { dateOfBirth: '2026-11-19' } });
    // assess
    expectError(number, 400, 'supplement.identityKey', 'changes.birthCertificate.number');
    expectError(birthDate, 400, 'supplement.identityKey', 'changes.child.dateOfBirth');
    expect(await footprint(b.caseId)).toEqual(before);
  });

  it('supplement.fieldNotRequested: asked for the marriage certificate only, the family cannot change the child’s name; the marriage part is accepted', async () => {
    // prepare
    const b = await fileCase();
    await askSupplement(b, ['marriage']);
    const before = await footprint(b.caseId);
    // act
    const name = await supplyAsParent(b, { child: { givenName: 'Bình' }, marriage: { bookNumber: '02/2019' } });
    const afterRefused = await footprint(b.caseId);
    const marriage = await supplyAsParent(b, { marriage: { bookNumber: '02/2019' } });
    // assess
    expectError(name, 400, 'supplement.fieldNotRequested', 'changes.child.givenName');
    expect(afterRefused).toEqual(before);
    expect(marriage.status).toBe(202);
    const c = await api.getCase(b.caseId);
    expect((c.body as unknown as { dossier: { child: { givenName: string } } }).dossier.child.givenName).toBe('An');
  });

  it('decision.supplementFields: an officer cannot ask a supplement to change an identity key', async () => {
    // prepare
    const b = await fileCase();
    await waitForTask(api, b.caseId, 'BIRTH');
    // act
    const r = await api.call('POST', `/cases/${b.caseId}/decisions`, {
      as: 'hotich.badinh',
      body: {
        procedure: 'BIRTH',
        decision: 'SUPPLEMENT_REQUESTED',
        reason: 'Sửa số định danh của mẹ',
        fields: ['mother.personalId'],
      },
    });
    // assess
    expectError(r, 400, 'decision.supplementFields', 'fields');
    expect(await typesOf(b.caseId)).not.toContain('DECISION_RECORDED');
  });
});

describe('Finding 2: a supplement can move a case to another commune', () => {
  /** Bến Thành (TP. Hồ Chí Minh): another demo commune, with the parents living there so every other rule passes. */
  const benThanh = { provinceCode: '79', communeCode: '26743', detail: '1 Lê Lợi' };
  const moveToBenThanh = {
    registrationCommuneCode: '26743',
    mother: { residence: benThanh },
    father: { residence: benThanh },
  };

  it('dossier.unitFixed: a supplement changing registrationCommuneCode answers 400 and the birth task stays in the first commune’s queue', async () => {
    // prepare
    const b = await fileCase();
    await askSupplement(b);
    const before = await footprint(b.caseId);
    // act
    const moved = await supplyAsParent(b, moveToBenThanh);
    const afterRefused = await footprint(b.caseId);
    const plain = await supplyAsParent(b);
    // assess: refused and nothing written; the plain supplement brings the birth back to Ba Đình's queue only
    expectError(moved, 400, 'dossier.unitFixed', 'changes.registrationCommuneCode');
    expect(afterRefused).toEqual(before);
    expect(plain.status).toBe(202);
    await waitForTask(api, b.caseId, 'BIRTH');
    expect(await caseStore().getTask(b.caseId, 'BIRTH')).toMatchObject({ kind: 'DECISION', unit: '00004' });
    const other = await api.call<{ tasks: { caseId: string }[] }>('GET', '/queue?agency=CIVIL_STATUS', {
      as: 'hotich.benthanh',
    });
    expect(other.body.tasks.map((t) => t.caseId)).not.toContain(b.caseId);
  });

  it('correction (POST /cases/{id}/corrections): the case’s civil-status officer corrects an identity key with a reason, recorded and checked; the commune never changes', async () => {
    // prepare
    const a = await fileCase();
    const b = await fileCase();
    await waitForTask(api, b.caseId, 'BIRTH');
    await settled(b.caseId, 'task:BIRTH:DECISION:1');
    const correct = (body: unknown, as = 'hotich.badinh') =>
      api.call('POST', `/cases/${b.caseId}/corrections`, { as, body });
    const fresh = certificateOf(b).replace(/^\d{5}/, (n) => String((Number(n) + 50000) % 100000).padStart(5, '0'));
    const before = await footprint(b.caseId);
    // act
    const noReason = await correct({ reason: 'sai', changes: { birthCertificate: { number: fresh } } });
    const stolen = await correct({
      reason: 'Nhập nhầm số giấy chứng sinh',
      changes: { birthCertificate: { number: certificateOf(a) } },
    });
    const moved = await correct({ reason: 'Chuyển xã đăng ký', changes: moveToBenThanh });
    const elsewhere = await correct(
      { reason: 'Nhập nhầm số giấy chứng sinh', changes: { birthCertificate: { number: fresh } } },
      'hotich.benthanh',
    );
    const afterRefused = await footprint(b.caseId);
    const ok = await correct({
      reason: 'Nhập nhầm số giấy chứng sinh',
      changes: { birthCertificate: { number: fresh } },
    });
    // assess: each refusal writes nothing
    expectError(noReason, 400, 'correction.reasonRequired', 'reason');
    expectError(stolen, 409, 'dossier.duplicate', 'changes.birthCertificate.number');
    expectError(moved, 400, 'dossier.unitFixed', 'changes.registrationCommuneCode');
    expect(elsewhere.status).toBe(404);
    expect(afterRefused).toEqual(before);
    // the correction: its own event with the officer and the reason; the new number claimed, the old one released
    expect(ok.status).toBe(201);
    const corrected = (await eventsOf(b.caseId)).find((e) => e.data.type === 'DOSSIER_CORRECTED');
    expect(corrected).toMatchObject({
      actor: { id: expect.stringMatching(/hotich\.badinh$/), role: 'civil-status-officer', unit: '00004' },
      data: { reason: 'Nhập nhầm số giấy chứng sinh', changes: { birthCertificate: { number: fresh } } },
    });
    expect(await caseStore().holderOf('BIRTH_CERT', fresh)).toBe(b.caseId);
    expect(await caseStore().holderOf('BIRTH_CERT', certificateOf(b))).toBeUndefined();
    // the birth is registered on the corrected dossier, in Ba Đình
    await api.decide(b.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh');
    const registered = await eventually(async () => {
      const c = await api.getCase(b.caseId);
      return c.body.procedures.BIRTH?.status === 'COMPLETED' ? c.body : undefined;
    });
    expect(String(registered.procedures.BIRTH!.result!.birthRegistrationNumber)).toMatch(/\/KS-00004$/);
  });
});

describe('Finding 3: a raw callback token completes a procedure with no decision', () => {
  const sfn = () =>
    new SFNClient({
      region: 'ap-southeast-1',
      endpoint: stack.sfnUrl,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  const executionArn = (caseId: string) =>
    `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
  /**
   * The live callback token of the case's waiting step, straight from the local engine (as if it had leaked some
   * other way): what the workflow would accept.
   */
  const liveToken = (caseId: string): string | undefined => {
    const { waiters } = stack.engine as unknown as {
      waiters: Map<string, { token: string; open: boolean; execution: { record: { executionArn: string } } }>;
    };
    return [...waiters.values()].find((w) => w.open && w.execution.record.executionArn === executionArn(caseId))?.token;
  };
  /** Every string stored in the case's partition and in the civil-status queue (GSI1): what a table reader gets. */
  const storedStrings = async (caseId: string) => {
    const part = await caseStore().doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
      }),
    );
    const queue = await caseStore().doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'QUEUE#CIVIL_STATUS#00004' },
      }),
    );
    const out = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string') out.add(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    walk([...(part.Items ?? []), ...(queue.Items ?? []).filter((i) => String(i.PK) === `CASE#${caseId}`)]);
    return { all: [...out], text: JSON.stringify([part.Items, queue.Items]) };
  };

  it('the token read from the table (items and queue index) does not answer the workflow: SendTaskSuccess with it fails, and the officer’s decision still completes the birth', async () => {
    // prepare
    const f = await fileCase();
    await waitForTask(api, f.caseId, 'BIRTH');
    const live = liveToken(f.caseId);
    const stored = await storedStrings(f.caseId);
    const candidates = stored.all.filter((s) => s.length >= 40 && !/\s/.test(s));
    // act: try every long string the table holds for this case as a token
    const answers = await Promise.allSettled(
      candidates.map((taskToken) =>
        sfn().send(
          new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ round: 1, decision: 'APPROVED' }) }),
        ),
      ),
    );
    // assess
    expect(live).toEqual(expect.any(String));
    expect(stored.text).not.toContain(live);
    expect(answers.filter((a) => a.status === 'fulfilled')).toEqual([]);
    expect(candidates.some((s) => /^aes256gcm:/.test(s))).toBe(true); // the sealed token is there, and useless
    expect(await typesOf(f.caseId)).not.toContain('PROCEDURE_COMPLETED');
    // a legitimate decision still completes the birth
    const decided = await api.decide(f.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh');
    expect(decided.status).toBe(202);
    await eventually(async () => ((await typesOf(f.caseId)).includes('PROCEDURE_COMPLETED') ? true : undefined));
  });

  it.each([
    ['APPROVED', 'PROCEDURE_COMPLETED'],
    ['REFUSED', 'PROCEDURE_REFUSED'],
  ])(
    'Decision.NotRecorded: a real token answered %s with no recorded decision fails the execution and records no %s',
    async (decision, resultType) => {
      // prepare
      const f = await fileCase();
      await waitForTask(api, f.caseId, 'BIRTH');
      const token = liveToken(f.caseId)!;
      // act: the workflow is answered outside the decision path
      await sfn().send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ round: 1, decision }) }),
      );
      const outcome = await eventually(
        async () => {
          const types = await typesOf(f.caseId);
          if (types.includes(resultType)) return { recorded: true };
          const d = await stack.engine.describeExecution({ executionArn: executionArn(f.caseId) });
          return d.status === 'RUNNING' ? undefined : { recorded: false, status: d.status, error: d.error };
        },
        10_000,
        'the execution to stop or the result to be recorded',
      );
      // assess
      expect(outcome).toEqual({ recorded: false, status: 'FAILED', error: 'Decision.NotRecorded' });
      const types = await typesOf(f.caseId);
      expect(types).not.toContain('DECISION_RECORDED');
      expect(types).not.toContain(resultType);
      expect(await caseStore().holderOf('BIRTHREG_OF_CASE', f.caseId)).toBeUndefined();
    },
  );
});

describe('Concurrent supplements: one dossier version, one supplement', () => {
  /** The residence and the card are decided in parallel: both may ask a supplement, both changing the postal address. */
  const postal = (detail: string) => ({
    delivery: { postalAddress: { provinceCode: '01', communeCode: '00004', detail } },
  });
  const supply = (f: Filed, procedure: string, changes: Record<string, unknown>, dossierVersion?: number) =>
    api.call('POST', `/tracking/${f.dossierCode}/supplements`, {
      headers: { 'x-tracking-secret': f.trackingSecret },
      body: {
        procedure,
        note: 'Đổi địa chỉ nhận qua bưu điện',
        changes,
        ...(dossierVersion ? { dossierVersion } : {}),
      },
    });

  it('supplement.versionConflict: two supplements answered against the same dossier version; the second answers 409 and is not applied', async () => {
    // prepare: the birth approved, then a supplement asked by the police and by social security at once
    const f = await fileCase({ idCard: { requested: false } });
    await waitForTask(api, f.caseId, 'BIRTH');
    expect((await api.decide(f.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh')).status).toBe(202);
    for (const [procedure, as] of [
      ['RESIDENCE', 'congan.badinh'],
      ['HEALTH_INSURANCE', 'bhxh.hanoi'],
    ] as const) {
      await waitForTask(api, f.caseId, procedure);
      const r = await api.decide(f.caseId, procedure, 'SUPPLEMENT_REQUESTED', as, 'Bổ sung địa chỉ nhận kết quả');
      expect(r.status).toBe(202);
    }
    await waitForTask(api, f.caseId, 'RESIDENCE', 'SUPPLEMENT');
    await waitForTask(api, f.caseId, 'HEALTH_INSURANCE', 'SUPPLEMENT');
    const seen = await api.call<{ dossierVersion: number }>('GET', `/tracking/${f.dossierCode}`, {
      headers: { 'x-tracking-secret': f.trackingSecret },
    });
    const version = seen.body.dossierVersion;
    expect(version).toBe(1);
    // act: both answered against the version the family saw
    const first = await supply(f, 'RESIDENCE', postal('Số 5 ngõ 12 phố Đội Cấn'), version);
    const second = await supply(f, 'HEALTH_INSURANCE', postal('Số 9 phố Kim Mã'), version);
    const afterConflict = await eventsOf(f.caseId);
    const stillWaiting = await caseStore().getTask(f.caseId, 'HEALTH_INSURANCE');
    const latest = afterConflict.find((e) => e.key === 'supplement:RESIDENCE:1')!.seq;
    const resent = await supply(f, 'HEALTH_INSURANCE', postal('Số 9 phố Kim Mã'), latest);
    // assess: the first applied, the second refused with the rule and not applied; sent again on the new version, taken
    expect(first.status).toBe(202);
    const e = expectError(second, 409, 'supplement.versionConflict', 'changes');
    expect(e.details).toEqual({ dossierVersion: latest, basedOn: version });
    expect(afterConflict.filter((x) => x.data.type === 'SUPPLEMENT_SUBMITTED').map((x) => x.key)).toEqual([
      'supplement:RESIDENCE:1',
    ]);
    expect(stillWaiting).toMatchObject({ kind: 'SUPPLEMENT' });
    expect(resent.status).toBe(202);
    const dossier = (await api.getCase(f.caseId)).body as unknown as {
      dossier: { delivery: { postalAddress: unknown } };
    };
    expect(dossier.dossier.delivery.postalAddress).toMatchObject({ detail: 'Số 9 phố Kim Mã' });
  });

  it('supplement.versionConflict: answered at the same moment without a version, never both applied to one version', async () => {
    // prepare
    const f = await fileCase({ idCard: { requested: false } });
    await waitForTask(api, f.caseId, 'BIRTH');
    await api.decide(f.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh');
    await waitForTask(api, f.caseId, 'RESIDENCE');
    await waitForTask(api, f.caseId, 'HEALTH_INSURANCE');
    await api.decide(f.caseId, 'RESIDENCE', 'SUPPLEMENT_REQUESTED', 'congan.badinh', 'Bổ sung địa chỉ nhận kết quả');
    await api.decide(
      f.caseId,
      'HEALTH_INSURANCE',
      'SUPPLEMENT_REQUESTED',
      'bhxh.hanoi',
      'Bổ sung địa chỉ nhận kết quả',
    );
    await waitForTask(api, f.caseId, 'RESIDENCE', 'SUPPLEMENT');
    await waitForTask(api, f.caseId, 'HEALTH_INSURANCE', 'SUPPLEMENT');
    // act
    const answers = await Promise.all([
      supply(f, 'RESIDENCE', postal('Số 5 ngõ 12 phố Đội Cấn')),
      supply(f, 'HEALTH_INSURANCE', postal('Số 9 phố Kim Mã')),
    ]);
    // assess: each one recorded was checked against the version it replaced (a 409 otherwise)
    const events = await eventsOf(f.caseId);
    const recorded = events.filter((x) => x.data.type === 'SUPPLEMENT_SUBMITTED');
    expect(answers.filter((a) => a.status === 202)).toHaveLength(recorded.length);
    for (const a of answers.filter((x) => x.status !== 202)) {
      expect((a.body as unknown as ErrorBody).error.rule).toBe('supplement.versionConflict');
    }
    expect(recorded.length).toBeGreaterThanOrEqual(1);
  });
});
