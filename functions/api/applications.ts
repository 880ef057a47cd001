/**
 * POST /applications: a civil-status officer files the family's one dossier. It is validated against the schema and
 * every rule, checked for duplicates, recorded, and its workflow started. The family gets a dossier code and a secret.
 * A retry with the same `requestId` returns the same case instead of filing twice.
 */
import { z } from 'zod';
import { caseStore, clock } from '../adapters/store.js';
import { startCaseExecution } from '../adapters/workflow.js';
import { vnDate } from '../domain/calendar.js';
import { bundleDeadlines } from '../domain/deadlines.js';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors.js';
import { newCaseId, newDossierCode, newTrackingSecret } from '../domain/ids.js';
import { assessDossier, type DuplicateKey } from '../domain/rules.js';
import { secretHash } from './access.js';
import { apiHandler, parseWith, requireRole } from './http.js';

const FileApplication = z.object({
  requestId: z.string().min(8).max(64).optional().describe('Client-supplied transaction id: a retry never files twice'),
  dossier: z.unknown(),
});

/** Where a duplicate shows in the form: the certificate number, or the child (same parent, date and order of birth). */
const duplicateField = (k: DuplicateKey) =>
  k.kind === 'BIRTH_CERT' ? 'dossier.birthCertificate.number' : 'dossier.child';

export const handler = apiHandler({
  'POST /applications': async (req) => {
    const officer = requireRole(req, 'civil-status-officer');
    const body = parseWith(FileApplication, req.body ?? {});
    const store = caseStore();
    const now = clock().now();
    // Schema, rules and notes in one pass; legacy ward codes come back mapped to the units in force.
    const assessment = assessDossier(body.dossier, { receivedAt: now });
    const prefixed = assessment.issues.map((i) => ({ ...i, field: `dossier.${i.field}` }));
    const dossier = assessment.dossier;
    if (!dossier) throw new ValidationError(prefixed);

    if (dossier.registrationCommuneCode !== officer.unit) {
      throw new ForbiddenError('auth.scope', {
        vi: `Bạn chỉ tiếp nhận hồ sơ của xã ${officer.unit}.`,
        en: `You receive dossiers for commune ${officer.unit} only.`,
      });
    }
    if (prefixed.length > 0) throw new ValidationError(prefixed);

    // The same request again: answer with the case it created (or finish creating it).
    let caseId = newCaseId(now);
    if (body.requestId) {
      const holder = await store.claimUnique('REQUEST', body.requestId, caseId);
      if (holder) {
        const earlier = await store.getState(holder);
        if (earlier) {
          await startCaseExecution(holder);
          return {
            status: 200,
            body: { caseId: holder, dossierCode: earlier.dossierCode, receivedAt: earlier.receivedAt, replayed: true },
          };
        }
        caseId = holder;
      }
    }
    const claimed: DuplicateKey[] = [];
    for (const k of assessment.duplicateKeys) {
      const holder = await store.claimUnique(k.kind, k.value, caseId);
      if (holder) {
        for (const c of claimed) await store.releaseClaim(c.kind, c.value, caseId);
        const existing = await store.getState(holder);
        throw new ConflictError(
          'dossier.duplicate',
          {
            vi: `Trẻ này đã có hồ sơ ${existing?.dossierCode ?? holder}; không nộp trùng.`,
            en: `This child already has dossier ${existing?.dossierCode ?? holder}; it cannot be filed twice.`,
          },
          { existingCaseId: holder, existingDossierCode: existing?.dossierCode },
          duplicateField(k),
        );
      }
      claimed.push(k);
    }

    const dossierCode = newDossierCode(dossier.registrationCommuneCode, vnDate(now));
    const secret = newTrackingSecret();
    const created = await store.createCase(
      caseId,
      {
        actor: { id: officer.id, role: 'civil-status-officer', unit: officer.unit },
        key: 'file',
        data: { type: 'DOSSIER_FILED', dossier, dossierCode, receivedAt: now.toISOString(), executionName: caseId },
      },
      now,
    );
    if (!created.written) {
      // A concurrent retry of the same request got there first: answer with the case it filed (the secret was
      // given to that request only).
      const first = created.event.data as Extract<typeof created.event.data, { type: 'DOSSIER_FILED' }>;
      await startCaseExecution(caseId);
      return {
        status: 200,
        body: { caseId, dossierCode: first.dossierCode, receivedAt: first.receivedAt, replayed: true },
      };
    }
    await store.putTracking(dossierCode, caseId, secretHash(dossierCode, secret));
    await startCaseExecution(caseId);
    return {
      status: 201,
      body: {
        caseId,
        dossierCode,
        trackingSecret: secret,
        receivedAt: now.toISOString(),
        expectedDeadlines: bundleDeadlines(now),
      },
    };
  },
});
