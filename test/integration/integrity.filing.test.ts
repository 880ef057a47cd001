/**
 * Issue 9, findings 6 and 7: filing is all or nothing for the family, and uniqueness claims neither leak nor race.
 * - finding 6: a crash at any point of a filing (or a lost 201) is recovered by a retry of the same request, which
 *   answers with a secret that opens the tracking page;
 * - finding 7: request ids are the filing officer's own; the duplicate answer tells an officer of another commune only
 *   that the child is already filed; a refused filing leaves nothing behind; a claim of a filing in flight makes the
 *   next filing wait, not fail; a stale claim of a case that never came to exist is taken over; a REFUSED case gives
 *   its claims back (issue 12).
 * One in-process local stack on a pinned clock; crash points are injected between the store's writes.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CaseStore } from '#adapters/caseStore.js';
import { clock } from '#adapters/config.js';
import { caseStore } from '#adapters/store.js';
import { startCaseExecution } from '#adapters/workflow.js';
import type { Principal } from '#api/http.js';
import type { Dossier } from '#domain/dossier.js';
import { assessDossier, duplicateKeys } from '#domain/rules.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, waitForStatus, waitForTask } from '#support/api.js';
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

interface ErrorBody {
  error: { status: number; rule: string; message: { vi: string; en: string }; details?: Record<string, unknown> };
}

/** A valid dossier of Phường Bến Thành (the mother lives there). */
const benThanhDossier = (patch: Record<string, unknown> = {}) =>
  demoDossier({
    registrationCommuneCode: '26743',
    mother: { residence: { provinceCode: '79', communeCode: '26743', detail: '45 Lê Thánh Tôn' } },
    ...patch,
  });

const certOf = (d: Record<string, unknown>) => (d.birthCertificate as { number: string }).number;

/** Every filing item: requests, uniqueness claims of children, tracking records, cases. */
const footprint = async () => {
  const keys: string[] = [];
  for (const i of await scanTable(caseStore().doc, stack.tableName)) {
    const pk = String(i.PK);
    const sk = String(i.SK);
    if (
      /^(REQUEST#|UNIQUE#(REQUEST|BIRTH_CERT|MOTHER_BIRTH|FATHER_BIRTH|FOUNDLING)#|TRACK#)/.test(pk) ||
      sk === 'STATE'
    )
      keys.push(`${pk}|${sk}`);
  }
  return keys.sort();
};

const trackingOpens = async (code: string, secret: string | undefined) =>
  (await api.call('GET', `/tracking/${code}`, { headers: { 'x-tracking-secret': secret ?? '' } })).status;

/** A claim as the store writes it, for a case that never came to exist. */
const ghostClaim = (kind: string, value: string, pendingUntil: Date) =>
  caseStore().doc.send(
    new PutCommand({
      TableName: stack.tableName,
      Item: {
        PK: `UNIQUE#${kind}#${value}`,
        SK: 'CLAIM',
        caseId: `GHOST-${randomUUID()}`,
        pendingUntil: pendingUntil.toISOString(),
      },
    }),
  );

describe('Finding 7: request ids are the filing officer’s own', () => {
  it('request.scope: the same requestId from another commune files its own case, never the other commune’s', async () => {
    // prepare
    const requestId = `shared-${randomUUID()}-0001`;
    const first = await api.file(demoDossier(), 'hotich.badinh', requestId);
    // act
    const other = await api.file(benThanhDossier(), 'hotich.benthanh', requestId);
    // assess
    expect(first.status).toBe(201);
    expect(other.status).toBe(201);
    expect(other.body.caseId).not.toBe(first.body.caseId);
    expect(other.body.dossierCode).toMatch(/^LT-26743-/);
    const filed = (await caseStore().loadEvents(other.body.caseId))[0]!.data as { dossier: Dossier };
    expect(filed.dossier.registrationCommuneCode).toBe('26743');
    expect(await trackingOpens(other.body.dossierCode, other.body.trackingSecret)).toBe(200);
  });
});

describe('Finding 7: the duplicate answer tells another commune only what it may know', () => {
  it('dossier.duplicate: to an officer of another commune the 409 carries no caseId and no dossier code', async () => {
    // prepare
    const first = await api.file(demoDossier());
    const filed = (await caseStore().loadEvents(first.body.caseId))[0]!.data as { dossier: Dossier };
    // act: Bến Thành files another child with the same birth-certificate number
    const r = await api.file(
      benThanhDossier({ birthCertificate: { number: filed.dossier.birthCertificate!.number } }),
      'hotich.benthanh',
    );
    // assess
    const error = (r.body as unknown as ErrorBody).error;
    expect(r.status).toBe(409);
    expect(error.rule).toBe('dossier.duplicate');
    expect(error.details).toBeUndefined();
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(first.body.caseId);
    expect(text).not.toContain(first.body.dossierCode);
    expect(error.message.vi.trim()).not.toBe('');
    expect(error.message.en.trim()).not.toBe('');
  });
});

describe('Finding 7: claims are completed or released, so no race refuses a lawful filing', () => {
  it('refused case releases its claims (issue 12): after the birth is refused the family files a corrected dossier', async () => {
    // prepare
    const dossier = demoDossier();
    const first = await api.file(dossier);
    await waitForTask(api, first.body.caseId, 'BIRTH');
    expect(
      (await api.decide(first.body.caseId, 'BIRTH', 'REFUSED', 'hotich.badinh', 'Giấy chứng sinh không hợp lệ')).status,
    ).toBe(202);
    await waitForStatus(api, first.body.caseId, ['REFUSED']);
    // act
    const corrected = await api.file(dossier);
    // assess
    expect(corrected.status).toBe(201);
    expect(corrected.body.caseId).not.toBe(first.body.caseId);
  }, 300_000);

  it('crossing filings: 100 filings in 50 pairs sharing a certificate number, one of each a duplicate, refuse no lawful one', async () => {
    // prepare: for each pair a filed case C whose filing stopped before confirming its mother key (the claim is left
    // pending); the pair's duplicate repeats C's child (mother + birth), so it claims the shared certificate number
    // before it learns, from C's case, that it is a duplicate
    const pairs: { lawful: Record<string, unknown>; duplicate: Record<string, unknown> }[] = [];
    for (let i = 0; i < 50; i += 10) {
      const batch = Array.from({ length: 10 }, async () => {
        const earlier = demoDossier();
        const c = await api.file(earlier);
        expect(c.status).toBe(201);
        const [, mother] = duplicateKeys(assessDossier(earlier, { receivedAt: clock().now() }).dossier!);
        await caseStore().doc.send(
          new PutCommand({
            TableName: stack.tableName,
            Item: {
              PK: `UNIQUE#${mother!.kind}#${mother!.value}`,
              SK: 'CLAIM',
              caseId: c.body.caseId,
              pendingUntil: new Date(clock().now().getTime() + 60_000).toISOString(),
            },
          }),
        );
        const lawful = demoDossier();
        const duplicate = demoDossier({
          birthCertificate: { number: certOf(lawful) },
          mother: { personalId: (earlier.mother as { personalId: string }).personalId },
        });
        return { lawful, duplicate };
      });
      pairs.push(...(await Promise.all(batch)));
    }
    // act: the two of each pair filed at the same moment, the duplicate first; ten pairs at a time
    const answers: { d: Awaited<ReturnType<typeof api.file>>; l: Awaited<ReturnType<typeof api.file>> }[] = [];
    for (let i = 0; i < pairs.length; i += 10) {
      const batch = pairs.slice(i, i + 10).map(async ({ lawful, duplicate }) => {
        const [d, l] = await Promise.all([api.file(duplicate), api.file(lawful)]);
        return { d, l };
      });
      answers.push(...(await Promise.all(batch)));
    }
    // assess
    const lawfulRefused = answers.filter((a) => a.l.status !== 201).map((a) => JSON.stringify(a.l.body).slice(0, 120));
    expect(lawfulRefused).toEqual([]);
    expect(answers.map((a) => a.d.status)).toEqual(answers.map(() => 409));
    // every lawful case holds its certificate number, confirmed
    for (const { l } of answers) {
      const filed = (await caseStore().loadEvents(l.body.caseId))[0]!.data as { dossier: Dossier };
      const claim = await caseStore().getClaim('BIRTH_CERT', duplicateKeys(filed.dossier)[0]!.value);
      expect(claim).toEqual({ caseId: l.body.caseId });
    }
  }, 300_000);

  it('refused filing: a duplicate refused with 409 leaves no request record and no claim behind', async () => {
    // prepare
    const first = await api.file(demoDossier(), 'hotich.badinh', `first-${randomUUID()}`);
    const filed = (await caseStore().loadEvents(first.body.caseId))[0]!.data as { dossier: Dossier };
    const before = await footprint();
    // act: another child (a new mother, so a new mother key would be claimed) with the same certificate number
    const r = await api.file(
      demoDossier({ birthCertificate: { number: filed.dossier.birthCertificate!.number } }),
      'hotich.badinh',
      `refused-${randomUUID()}`,
    );
    // assess
    expect(r.status).toBe(409);
    expect(await footprint()).toEqual(before);
  });

  it('stale claim: a pending claim of a case that never came to exist, past its expiry, is taken over', async () => {
    // prepare: a filing that claimed the mother key an hour ago and never wrote its case
    const dossier = demoDossier();
    const [, mother] = duplicateKeys(assessDossier(dossier, { receivedAt: clock().now() }).dossier!);
    await ghostClaim(mother!.kind, mother!.value, new Date(clock().now().getTime() - 3600_000));
    // act
    const r = await api.file(dossier);
    // assess
    expect(r.status).toBe(201);
    expect(await caseStore().getClaim(mother!.kind, mother!.value)).toEqual({ caseId: r.body.caseId });
  });

  it('verified claim: a pending claim of a case written without that key (its request retried with another dossier) is taken over at once', async () => {
    // prepare: case C exists; a claim left pending in C's name on a key C's dossier does not have
    const c = await api.file(demoDossier());
    const dossier = demoDossier();
    const [, mother] = duplicateKeys(assessDossier(dossier, { receivedAt: clock().now() }).dossier!);
    await caseStore().doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          PK: `UNIQUE#${mother!.kind}#${mother!.value}`,
          SK: 'CLAIM',
          caseId: c.body.caseId,
          pendingUntil: new Date(clock().now().getTime() + 60_000).toISOString(),
        },
      }),
    );
    // act
    const r = await api.file(dossier);
    // assess
    expect(r.status).toBe(201);
    expect(await caseStore().getClaim(mother!.kind, mother!.value)).toEqual({ caseId: r.body.caseId });
  });

  it('dossier.filingInProgress: a key pending for a filing still in flight answers 409 with the rule, writing nothing', async () => {
    // prepare: a filing in flight (its lease runs) holds the certificate number
    const dossier = demoDossier();
    await ghostClaim(
      'BIRTH_CERT',
      duplicateKeys(assessDossier(dossier, { receivedAt: clock().now() }).dossier!)[0]!.value,
      new Date(clock().now().getTime() + 60_000),
    );
    const before = await footprint();
    // act
    const r = await api.file(dossier, 'hotich.badinh', `inflight-${randomUUID()}`);
    // assess
    const error = (r.body as unknown as ErrorBody).error;
    expect({ status: r.status, rule: error.rule }).toEqual({ status: 409, rule: 'dossier.filingInProgress' });
    expect(JSON.stringify(r.body)).not.toContain('GHOST-');
    expect(await footprint()).toEqual(before);
  });
});

const officer: Principal = {
  id: 'local-hotich.badinh',
  name: 'hotich.badinh',
  roles: ['civil-status-officer'],
  unit: '00004',
};

/** The real store, except that the process "dies" (throws) right after its `crashAfter`-th write. */
const crashingStore = (crashAfter: number) => {
  const real = caseStore().doc;
  let writes = 0;
  const doc = {
    send: async (cmd: unknown) => {
      const r = await real.send(cmd as never);
      if (cmd instanceof PutCommand || cmd instanceof UpdateCommand || cmd instanceof DeleteCommand) {
        writes += 1;
        if (writes === crashAfter) throw new Error(`injected crash after write ${writes}`);
      }
      return r;
    },
  } as unknown as DynamoDBDocumentClient;
  return { store: new CaseStore(doc, stack.tableName), writes: () => writes };
};

describe('Finding 6: filing is all or nothing for the family', () => {
  it('crash after the case is written, before its tracking record: the retry answers with a secret that opens the tracking page', async () => {
    // prepare: the process dies right after writing the case
    const store = caseStore();
    const createCase = store.createCase.bind(store);
    store.createCase = async (...args) => {
      store.createCase = createCase;
      await createCase(...args);
      throw new Error('injected crash after createCase');
    };
    const dossier = demoDossier();
    const requestId = `crash-${randomUUID()}-case`;
    // act
    const crashed = await api.file(dossier, 'hotich.badinh', requestId);
    const retry = await api.file(dossier, 'hotich.badinh', requestId);
    // assess
    expect(crashed.status).toBe(500);
    expect([200, 201]).toContain(retry.status);
    expect(retry.body.trackingSecret).toEqual(expect.any(String));
    expect(await trackingOpens(retry.body.dossierCode, retry.body.trackingSecret)).toBe(200);
  });

  it('lost 201: the retry of the same request answers the same case, code and secret', async () => {
    // prepare
    const dossier = demoDossier();
    const requestId = `lost-${randomUUID()}-answer`;
    const first = await api.file(dossier, 'hotich.badinh', requestId);
    // act
    const retry = await api.file(dossier, 'hotich.badinh', requestId);
    // assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({
      caseId: first.body.caseId,
      dossierCode: first.body.dossierCode,
      trackingSecret: first.body.trackingSecret,
      replayed: true,
    });
    expect(await trackingOpens(retry.body.dossierCode, retry.body.trackingSecret)).toBe(200);
  });

  it('every crash point: a filing that dies after any of its writes is completed by a retry, with a usable secret and one case', async () => {
    // Imported here so that the other findings' tests run (and fail) on code without the filing module.
    const { fileDossier } = await import('#api/filing.js');
    const deps = (store: CaseStore) => ({ store, clock: clock(), startExecution: startCaseExecution });
    // How many writes a whole filing makes (request, 2 claims, tracking, case event, state, 2 confirmations).
    const probe = crashingStore(Number.POSITIVE_INFINITY);
    const probed = assessDossier(demoDossier(), { receivedAt: clock().now() }).dossier!;
    await fileDossier(deps(probe.store), officer, { requestId: `probe-${randomUUID()}`, dossier: probed });
    const total = probe.writes();
    expect(total).toBeGreaterThanOrEqual(6);
    const failures: string[] = [];
    for (let n = 1; n <= total; n++) {
      const dossier = assessDossier(demoDossier(), { receivedAt: clock().now() }).dossier!;
      const requestId = `crashpoint-${randomUUID()}-${n}`;
      const crashing = crashingStore(n);
      const died = await fileDossier(deps(crashing.store), officer, { requestId, dossier }).then(
        () => false,
        () => true,
      );
      const before = await footprint();
      const retry = await fileDossier(deps(caseStore()), officer, { requestId, dossier });
      const again = await fileDossier(deps(caseStore()), officer, { requestId, dossier });
      const keys = duplicateKeys(dossier);
      const claims = await Promise.all(keys.map((k) => caseStore().getClaim(k.kind, k.value)));
      const newCases = (await footprint()).filter((k) => k.endsWith('|STATE') && !before.includes(k));
      const problems = [
        !died && 'did not crash',
        (await trackingOpens(retry.body.dossierCode, retry.body.trackingSecret)) !== 200 && 'secret does not open',
        again.body.trackingSecret !== retry.body.trackingSecret && 'a second retry answers another secret',
        again.body.caseId !== retry.body.caseId && 'a second retry answers another case',
        claims.some((c) => c?.caseId !== retry.body.caseId || c.pendingUntil) && `claims ${JSON.stringify(claims)}`,
        newCases.length > 1 && `${newCases.length} cases`,
        !(await caseStore().getState(retry.body.caseId)) && 'no case',
      ].filter(Boolean);
      if (problems.length) failures.push(`crash after write ${n}: ${problems.join(', ')}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('Finding 6: a lost secret is re-issued by the case’s civil-status office, with a recorded reason', () => {
  it('tracking.reissue: an officer of the filing commune issues a new secret; it opens the page, the old one no longer does, the reason is on record', async () => {
    // prepare: filed without a requestId, the answer (and its secret) lost
    const first = await api.file(demoDossier());
    // act
    const r = await api.call<{ caseId: string; dossierCode: string; trackingSecret: string }>(
      'POST',
      `/cases/${first.body.caseId}/tracking-secret`,
      { as: 'hotich.badinh', body: { reason: 'Gia đình làm mất giấy hẹn' } },
    );
    // assess
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ caseId: first.body.caseId, dossierCode: first.body.dossierCode });
    expect(r.body.trackingSecret).not.toBe(first.body.trackingSecret);
    expect(await trackingOpens(first.body.dossierCode, r.body.trackingSecret)).toBe(200);
    expect(await trackingOpens(first.body.dossierCode, first.body.trackingSecret)).toBe(404);
    const recorded = (await caseStore().loadEvents(first.body.caseId)).filter(
      (e) => e.data.type === 'TRACKING_SECRET_REISSUED',
    );
    expect(recorded.map((e) => [e.actor.id, e.actor.unit, e.data])).toEqual([
      ['local-hotich.badinh', '00004', { type: 'TRACKING_SECRET_REISSUED', reason: 'Gia đình làm mất giấy hẹn' }],
    ]);
    expect(JSON.stringify(recorded)).not.toContain(r.body.trackingSecret);
  });

  it('tracking.reasonRequired: a new secret without a reason answers 400 on reason and changes nothing', async () => {
    // prepare
    const first = await api.file(demoDossier());
    // act
    const r = await api.call('POST', `/cases/${first.body.caseId}/tracking-secret`, {
      as: 'hotich.badinh',
      body: { reason: ' ok ' },
    });
    // assess
    const error = (r.body as unknown as ErrorBody).error as ErrorBody['error'] & {
      issues: { field: string; rule: string }[];
    };
    expect({ status: r.status, rule: error.rule }).toEqual({ status: 400, rule: 'tracking.reasonRequired' });
    expect(error.issues.map((i) => [i.field, i.rule])).toEqual([['reason', 'tracking.reasonRequired']]);
    expect(await trackingOpens(first.body.dossierCode, first.body.trackingSecret)).toBe(200);
  });

  it('auth.scope / auth.role: another commune gets 404, the police and the auditor 403, and the secret stays', async () => {
    // prepare
    const first = await api.file(demoDossier());
    const path = `/cases/${first.body.caseId}/tracking-secret`;
    const body = { reason: 'Gia đình làm mất giấy hẹn' };
    // act
    const other = await api.call('POST', path, { as: 'hotich.benthanh', body });
    const police = await api.call('POST', path, { as: 'congan.badinh', body });
    const auditor = await api.call('POST', path, { as: 'kiemtra', body });
    // assess
    expect([other.status, police.status, auditor.status]).toEqual([404, 403, 403]);
    expect((other.body as unknown as ErrorBody).error.rule).toBe('case.notFound');
    expect(await trackingOpens(first.body.dossierCode, first.body.trackingSecret)).toBe(200);
  });

  it('a retry of the filing request after a re-issue answers without the old secret', async () => {
    // prepare
    const dossier = demoDossier();
    const requestId = `reissued-${randomUUID()}-x`;
    const first = await api.file(dossier, 'hotich.badinh', requestId);
    await api.call('POST', `/cases/${first.body.caseId}/tracking-secret`, {
      as: 'hotich.badinh',
      body: { reason: 'Gia đình làm mất giấy hẹn' },
    });
    // act
    const retry = await api.file(dossier, 'hotich.badinh', requestId);
    // assess
    expect(retry.status).toBe(200);
    expect(retry.body.caseId).toBe(first.body.caseId);
    expect(retry.body).not.toHaveProperty('trackingSecret');
  });
});

describe('CaseStore filing claims (store functions, against dynalite)', () => {
  const store = () => caseStore();
  const at = new Date('2026-11-23T02:00:00Z');
  const later = (ms: number) => new Date(at.getTime() + ms);

  it('claimForFiling: first case wins pending; the same case renews; another case learns the holder', async () => {
    const v = `claim-${randomUUID()}`;
    expect(await store().claimForFiling('BIRTH_CERT', v, 'case-a', later(60_000))).toBeUndefined();
    expect(await store().claimForFiling('BIRTH_CERT', v, 'case-a', later(90_000))).toBeUndefined();
    expect(await store().claimForFiling('BIRTH_CERT', v, 'case-b', later(60_000))).toEqual({
      caseId: 'case-a',
      pendingUntil: later(90_000).toISOString(),
    });
    await store().confirmClaim('BIRTH_CERT', v, 'case-a');
    // confirmed: a retry of case-a keeps it (and does not make it pending again); case-b sees a confirmed holder
    expect(await store().claimForFiling('BIRTH_CERT', v, 'case-a', later(60_000))).toBeUndefined();
    expect(await store().getClaim('BIRTH_CERT', v)).toEqual({ caseId: 'case-a' });
    expect(await store().claimForFiling('BIRTH_CERT', v, 'case-b', later(60_000))).toEqual({ caseId: 'case-a' });
  });

  it('takeOverClaim: only the exact stale claim is taken over; a renewed or confirmed one is kept', async () => {
    const v = `takeover-${randomUUID()}`;
    await store().claimForFiling('MOTHER_BIRTH', v, 'case-a', later(1_000));
    const stale = (await store().getClaim('MOTHER_BIRTH', v))!;
    // case-a renews before case-b takes over: the take-over fails
    await store().claimForFiling('MOTHER_BIRTH', v, 'case-a', later(120_000));
    expect(await store().takeOverClaim('MOTHER_BIRTH', v, stale, 'case-b', later(120_000))).toBe(false);
    const renewed = (await store().getClaim('MOTHER_BIRTH', v))!;
    expect(await store().takeOverClaim('MOTHER_BIRTH', v, renewed, 'case-b', later(120_000))).toBe(true);
    expect((await store().getClaim('MOTHER_BIRTH', v))!.caseId).toBe('case-b');
    // confirmed claims are never taken over
    await store().confirmClaim('MOTHER_BIRTH', v, 'case-b');
    expect(await store().takeOverClaim('MOTHER_BIRTH', v, { caseId: 'case-b' }, 'case-c', later(1))).toBe(false);
  });

  it('claimRequest: the first record of a request is the one every retry reads back; releaseRequest forgets it', async () => {
    const key = `req-${randomUUID()}`;
    const first = {
      caseId: 'case-a',
      dossierCode: 'LT-00004-261123-AAAAAA',
      receivedAt: at.toISOString(),
      sealedSecret: 'x',
    };
    const second = { ...first, caseId: 'case-b', sealedSecret: 'y' };
    expect(await store().claimRequest(key, first)).toEqual(first);
    expect(await store().claimRequest(key, second)).toEqual(first);
    await store().releaseRequest(key, 'case-b');
    expect(await store().claimRequest(key, second)).toEqual(first);
    await store().releaseRequest(key, 'case-a');
    expect(await store().claimRequest(key, second)).toEqual(second);
  });

  it('ensureTracking: written once; the same case and hash again is a no-op, anything else is refused', async () => {
    const code = `LT-TEST-${randomUUID()}`;
    expect(await store().ensureTracking(code, 'case-a', 'ab'.repeat(32))).toBe(true);
    expect(await store().ensureTracking(code, 'case-a', 'ab'.repeat(32))).toBe(true);
    expect(await store().ensureTracking(code, 'case-a', 'cd'.repeat(32))).toBe(false);
    expect(await store().ensureTracking(code, 'case-b', 'ab'.repeat(32))).toBe(false);
    expect(await store().getTracking(code)).toEqual({ caseId: 'case-a', secretHash: 'ab'.repeat(32) });
  });
});
