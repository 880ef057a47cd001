/**
 * POST /applications: a civil-status officer files the family's one dossier. It is validated against the schema and
 * every rule, checked for duplicates, recorded, and its workflow started. The family gets a dossier code and a secret.
 * A retry with the same `requestId` (by the same officer) answers the same: the same case, code and secret, even
 * after a crash half-way (see filing.ts for the order of the writes).
 */
import { z } from 'zod';
import { caseStore, clock } from '../adapters/store.js';
import { startCaseExecution } from '../adapters/workflow.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { assessDossier } from '../domain/rules.js';
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

export const handler = apiHandler({
  'POST /applications': async (req) => {
    const officer = requireRole(req, 'civil-status-officer');
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
});
