/**
 * POST /applications: a civil-status officer files the family's one dossier. It is validated against the schema and
 * every rule, checked for duplicates, recorded, and its workflow started. The family gets a dossier code and a secret.
 * A retry with the same `requestId` (by the same officer) answers the same: the same case, code and secret, even
 * after a crash half-way (see filing.ts for the order of the writes).
 * POST /cases/{caseId}/tracking-secret: the family lost its secret (or never got it): an officer of the case's
 * civil-status office issues a new one, with a recorded reason; the old one stops working.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { clock } from '#adapters/config.js';
import { caseStore } from '#adapters/store.js';
import { startCaseExecution } from '#adapters/workflow.js';
import { ForbiddenError, issue, ValidationError } from '#domain/errors.js';
import { newTrackingSecret } from '#domain/ids.js';
import { filingRole } from '#domain/procedures/index.js';
import { assessDossier } from '#domain/rules.js';
import { loadVisibleCase, requireDecider, secretHash } from './access.js';
import { fileDossier } from './filing.js';
import { apiHandler, parseWith, requireRole } from './http.js';

const FileApplication = z.object({
  requestId: z
    .string()
    .min(8)
    .max(64)
    .optional()
    .describe("Client-supplied transaction id, the filing officer's own: a retry never files twice"),
  dossier: z.unknown(),
});

const ReissueSecret = z.object({
  reason: z.string().trim().max(1000).optional().describe('Why the family needs a new secret (at least 5 characters)'),
});

export const handler = apiHandler({
  'POST /applications': async (req) => {
    const officer = requireRole(req, filingRole());
    const body = parseWith(FileApplication, req.body ?? {});
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

    return fileDossier({ store: caseStore(), clock: clock(), startExecution: startCaseExecution }, officer, {
      requestId: body.requestId,
      dossier,
    });
  },

  'POST /cases/{caseId}/tracking-secret': async (req) => {
    const officer = requireRole(req, filingRole());
    const body = parseWith(ReissueSecret, req.body ?? {});
    const store = caseStore();
    const state = await loadVisibleCase(store, officer, req.path.caseId ?? '');
    requireDecider(officer, state, 'BIRTH');
    if (!body.reason || body.reason.length < 5) {
      throw new ValidationError([
        issue(
          'reason',
          'tracking.reasonRequired',
          'Cần ghi rõ lý do cấp lại mã bí mật (ít nhất 5 ký tự).',
          'Give the reason for a new secret (at least 5 characters).',
        ),
      ]);
    }
    // Recorded first: a crash after it leaves the old secret working and the re-issue on record (retry to finish);
    // never a secret that works without a record of who issued it and why.
    const key = `tracking-secret:${randomUUID()}`;
    await store.appendOnce(
      state.caseId,
      key,
      () => ({
        actor: { id: officer.id, role: filingRole(), unit: officer.unit },
        key,
        data: { type: 'TRACKING_SECRET_REISSUED', reason: body.reason! },
      }),
      clock().now(),
    );
    const secret = newTrackingSecret();
    if (!(await store.replaceTrackingSecret(state.dossierCode, state.caseId, secretHash(state.dossierCode, secret)))) {
      throw new Error(`Dossier code ${state.dossierCode} is tracked for another case`);
    }
    return { status: 201, body: { caseId: state.caseId, dossierCode: state.dossierCode, trackingSecret: secret } };
  },
});
