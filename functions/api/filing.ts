/**
 * Filing a dossier, all or nothing for the family, with single-item conditional writes only (dynalite has no
 * transactions). The order of the writes makes every crash point recoverable by a retry of the same request:
 *
 * 1. the request (with a `requestId`): `REQUEST#<hash of unit, officer, requestId>` records the case id, dossier code,
 *    receipt time and the tracking secret sealed with a key derived from the request id. Every retry of the request
 *    reads them back, so a lost answer or a crash anywhere later is answered the same, with the same secret.
 * 2. the uniqueness claims, pending (`pendingUntil`) until the case exists. A key held for good by another case refuses
 *    the filing before it claims anything. A pending claim of another filing is verified against its case: written
 *    with that key → duplicate; not written and alive → wait for it to be confirmed or released (milliseconds);
 *    stale, its case never written (or written without that key) → taken over.
 * 3. the tracking record (case id + secret hash), before the case: a case never exists without it.
 * 4. the case's first event (DOSSIER_FILED): the commit point.
 * 5. the claims confirmed, the workflow started (both idempotent; a retry redoes them).
 *
 * A refused filing gives back what it claimed (its key claims and its request), so it leaves nothing behind.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { CaseStore, ClaimHolder } from '#adapters/caseStore.js';
import { vnDate } from '#domain/calendar.js';
import type { Clock } from '#domain/clock.js';
import { bundleDeadlines } from '#domain/deadlines.js';
import type { Dossier } from '#domain/dossier.js';
import { ConflictError } from '#domain/errors.js';
import { effectiveDossier, eventsOfType } from '#domain/eventLog.js';
import type { EventData } from '#domain/events.js';
import { newCaseId, newDossierCode, newTrackingSecret } from '#domain/ids.js';
import { filingRole } from '#domain/procedures/index.js';
import { type DuplicateKey, duplicateKeys } from '#domain/rules.js';
import { canSeeCase, secretHash } from './access.js';
import type { Principal } from './http.js';

/** How long a filing's claims stay pending before another filing may take them over (its case was never written). */
export const CLAIM_LEASE_MS = 120_000;
/** How long a filing waits for another filing in flight that holds one of its keys (wall time). */
export const CLAIM_WAIT_MS = 10_000;

export interface FilingDeps {
  store: CaseStore;
  clock: Clock;
  startExecution: (caseId: string) => Promise<unknown>;
}

export interface FilingInput {
  requestId?: string | undefined;
  dossier: Dossier;
}

export interface FilingAnswer {
  status: 200 | 201;
  body: {
    caseId: string;
    dossierCode: string;
    trackingSecret?: string;
    receivedAt: string;
    expectedDeadlines: ReturnType<typeof bundleDeadlines>;
    replayed?: true;
  };
}

/** Where a duplicate shows in the form: the certificate number, or the child (same parent, date and order of birth). */
const duplicateField = (k: DuplicateKey) =>
  k.kind === 'BIRTH_CERT' ? 'dossier.birthCertificate.number' : 'dossier.child';

const derive = (label: string, officer: Principal, requestId: string) =>
  createHash('sha256').update(`lienthong:${label}\n${officer.unit}\n${officer.id}\n${requestId}`).digest();

/** A request id is the filing officer's own (unit + officer): the same id from anyone else is another request. */
export const requestKey = (officer: Principal, requestId: string) =>
  derive('filing-request', officer, requestId).toString('hex');

/** AES-256-GCM under a key only the request's id gives (the table keeps a hash of the id, not the id). */
export const sealSecret = (secret: string, officer: Principal, requestId: string): string => {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', derive('filing-secret', officer, requestId), iv);
  const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
};

export const unsealSecret = (sealed: string, officer: Principal, requestId: string): string => {
  const raw = Buffer.from(sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', derive('filing-secret', officer, requestId), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 409 `dossier.duplicate`: the holder's id and code only for an officer who may see that case. */
const duplicateError = async (store: CaseStore, officer: Principal, k: DuplicateKey, holder: string) => {
  const existing = await store.getState(holder);
  if (existing && canSeeCase(officer, existing)) {
    return new ConflictError(
      'dossier.duplicate',
      {
        vi: `Trẻ này đã có hồ sơ ${existing.dossierCode}; không nộp trùng.`,
        en: `This child already has dossier ${existing.dossierCode}; it cannot be filed twice.`,
      },
      { existingCaseId: holder, existingDossierCode: existing.dossierCode },
      duplicateField(k),
    );
  }
  return new ConflictError(
    'dossier.duplicate',
    {
      vi: 'Trẻ này đã có hồ sơ tại một cơ quan đăng ký khác; không nộp trùng.',
      en: 'This child already has a dossier with another registering office; it cannot be filed twice.',
    },
    undefined,
    duplicateField(k),
  );
};

const inProgressError = (k: DuplicateKey) =>
  new ConflictError(
    'dossier.filingInProgress',
    {
      vi: 'Một hồ sơ khác của trẻ này đang được ghi nhận; vui lòng thử lại sau ít phút.',
      en: 'Another filing for this child is being recorded; try again in a few minutes.',
    },
    { retryAfterSeconds: Math.ceil(CLAIM_LEASE_MS / 1000) },
    duplicateField(k),
  );

/**
 * A pending claim checked against its case: `held` when the case is written with the key (as filed or supplemented),
 * `lost` when it is written without it (a retry of its request filed another dossier), `unwritten` otherwise.
 */
const claimOfCase = async (
  store: CaseStore,
  caseId: string,
  k: DuplicateKey,
): Promise<'held' | 'lost' | 'unwritten'> => {
  if (!(await store.caseExists(caseId))) return 'unwritten';
  const events = await store.loadEvents(caseId);
  const has = (d: Dossier) => duplicateKeys(d).some((x) => x.kind === k.kind && x.value === k.value);
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  return (filed !== undefined && has(filed.data.dossier)) || has(effectiveDossier(events)) ? 'held' : 'lost';
};

/**
 * Takes one key for `caseId`: ours, or the error that refuses the filing. A holder's pending claim is verified
 * against its case; a stale one whose case never came to exist is taken over; a live one is waited for.
 */
const acquire = async (
  deps: FilingDeps,
  officer: Principal,
  k: DuplicateKey,
  caseId: string,
): Promise<ConflictError | undefined> => {
  const { store, clock } = deps;
  const waitUntil = Date.now() + CLAIM_WAIT_MS;
  const same = (a: ClaimHolder | undefined, b: ClaimHolder) =>
    a?.caseId === b.caseId && a.pendingUntil === b.pendingUntil;
  for (;;) {
    const lease = new Date(clock.now().getTime() + CLAIM_LEASE_MS);
    const holder: ClaimHolder | undefined = await store.claimForFiling(k.kind, k.value, caseId, lease);
    if (!holder) return undefined;
    if (!holder.pendingUntil) return duplicateError(store, officer, k, holder.caseId);
    const checked = await claimOfCase(store, holder.caseId, k);
    if (checked === 'held') {
      // Its case is written with this key (the filing stopped before confirming): confirm for it; a duplicate.
      await store.confirmClaim(k.kind, k.value, holder.caseId);
      return duplicateError(store, officer, k, holder.caseId);
    }
    if (checked === 'lost' || holder.pendingUntil < clock.now().toISOString()) {
      if (await store.takeOverClaim(k.kind, k.value, holder, caseId, lease)) return undefined;
      continue;
    }
    // A filing in flight: watch its claim (one read a turn) until it is released, confirmed or renewed, then decide.
    for (let pause = 20; same(await store.getClaim(k.kind, k.value), holder); pause = Math.min(pause * 2, 500)) {
      if (Date.now() > waitUntil || holder.pendingUntil < clock.now().toISOString()) break;
      await sleep(pause);
    }
    if (Date.now() > waitUntil) return inProgressError(k);
  }
};

/** Files `input.dossier` (already assessed and in the officer's scope) for `officer`; see the module comment. */
export const fileDossier = async (deps: FilingDeps, officer: Principal, input: FilingInput): Promise<FilingAnswer> => {
  const { store, clock } = deps;
  const startedAt = clock.now();
  const { requestId, dossier } = input;

  // 1. The request: its case id, code, receipt time and secret, the same for every retry.
  const fresh = {
    caseId: newCaseId(startedAt),
    dossierCode: newDossierCode(dossier.registrationCommuneCode, vnDate(startedAt)),
    receivedAt: startedAt.toISOString(),
    secret: newTrackingSecret(),
  };
  let filing = fresh;
  const reqKey = requestId ? requestKey(officer, requestId) : undefined;
  if (requestId && reqKey) {
    const rec = await store.claimRequest(reqKey, {
      caseId: fresh.caseId,
      dossierCode: fresh.dossierCode,
      receivedAt: fresh.receivedAt,
      sealedSecret: sealSecret(fresh.secret, officer, requestId),
    });
    filing = { ...rec, secret: unsealSecret(rec.sealedSecret, officer, requestId) };
  }
  const { caseId, dossierCode, receivedAt, secret } = filing;
  const hash = secretHash(dossierCode, secret);
  const answer = (status: 200 | 201, secretValid: boolean): FilingAnswer => ({
    status,
    body: {
      caseId,
      dossierCode,
      ...(secretValid ? { trackingSecret: secret } : {}),
      receivedAt,
      expectedDeadlines: bundleDeadlines(new Date(receivedAt)),
      ...(status === 200 ? { replayed: true as const } : {}),
    },
  });

  // A retry of a request whose case is written: finish what the first attempt may not have (claims, workflow).
  if (await store.caseExists(caseId)) {
    const filed = (await store.loadEvents(caseId))[0]!.data as Extract<EventData, { type: 'DOSSIER_FILED' }>;
    for (const k of duplicateKeys(filed.dossier)) await store.confirmClaim(k.kind, k.value, caseId);
    // The secret is still the family's unless it was re-issued since (then the old one is not handed out again).
    const valid = await store.ensureTracking(dossierCode, caseId, hash);
    await deps.startExecution(caseId);
    return answer(200, valid);
  }

  // 2. The uniqueness claims, pending until the case exists. A key already held for good refuses the filing before it
  // claims anything, so an evident duplicate never holds (even briefly) a key another, lawful filing needs.
  const keys = duplicateKeys(dossier);
  // Refused: give back every claim this case holds (an interrupted earlier attempt may hold more than this one took).
  const giveBack = async () => {
    for (const k of keys) await store.releaseClaim(k.kind, k.value, caseId);
    if (reqKey) await store.releaseRequest(reqKey, caseId);
  };
  for (const k of keys) {
    const holder = await store.getClaim(k.kind, k.value);
    if (holder && holder.caseId !== caseId && !holder.pendingUntil) {
      await giveBack();
      throw await duplicateError(store, officer, k, holder.caseId);
    }
  }
  for (const k of keys) {
    const refused = await acquire(deps, officer, k, caseId);
    if (refused) {
      await giveBack();
      throw refused;
    }
  }

  // 3. The tracking record before the case: a written case always has one.
  if (!(await store.ensureTracking(dossierCode, caseId, hash))) {
    throw new Error(`Dossier code ${dossierCode} is already tracked for another case`);
  }

  // A slow filing renews its lease before the commit, so nobody took (or can take) its claims in between.
  if (clock.now().getTime() - startedAt.getTime() > CLAIM_LEASE_MS / 2) {
    const lease = new Date(clock.now().getTime() + CLAIM_LEASE_MS);
    for (const k of keys) {
      const holder = await store.claimForFiling(k.kind, k.value, caseId, lease);
      if (holder) {
        await giveBack();
        throw inProgressError(k);
      }
    }
  }

  // 4. The commit point.
  const created = await store.createCase(
    caseId,
    {
      actor: { id: officer.id, role: filingRole(), unit: officer.unit },
      key: 'file',
      data: { type: 'DOSSIER_FILED', dossier, dossierCode, receivedAt, executionName: caseId },
    },
    startedAt,
  );

  // 5. Confirm, start.
  for (const k of keys) await store.confirmClaim(k.kind, k.value, caseId);
  await deps.startExecution(caseId);
  // A concurrent retry of the same request wrote the case first: it is the same filing, with the same secret.
  return answer(created.written ? 201 : 200, true);
};
