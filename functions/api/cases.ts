/**
 * GET /cases/{caseId}: one case, with the dossier and the timeline, for the officers of its units and for auditors.
 * GET /cases/{caseId}/status: where the case stands (no personal data, so not recorded): for pages that watch it move.
 * GET /cases: the cases of the officer's unit, newest first. Every read of personal data is itself recorded.
 */
import { z } from 'zod';
import { clock } from '#adapters/config.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { isOverdue } from '#domain/deadlines.js';
import { loadVisibleCase } from './access.js';
import { apiHandler, type Principal, parseWith, requirePrincipal } from './http.js';
import { officerView } from './views.js';

/**
 * The access record: who read whose personal data, when and why (architecture.md "Security"). It goes to the case's
 * access log (its own partition and chain), never into the case's legal chain: a read cannot change or hide the record.
 */
export const recordView = async (caseId: string, p: Principal, purpose: string, now: Date) => {
  await auditStore().recordAccess(caseId, { id: p.id, role: p.roles[0] ?? 'auditor', unit: p.unit }, purpose, now);
};

/** `?limit=`: how many cases, 1–200 (default 50). */
const Limit = z.coerce.number().int().min(1).max(200);

export const handler = apiHandler({
  'GET /cases/{caseId}': async (req) => {
    const p = requirePrincipal(req);
    const store = caseStore();
    const now = clock().now();
    const state = await loadVisibleCase(store, p, req.path.caseId ?? '');
    await recordView(state.caseId, p, 'case.read', now);
    const events = await store.loadEvents(state.caseId);
    return { status: 200, body: officerView(state, events, now) };
  },
  'GET /cases/{caseId}/status': async (req) => {
    const p = requirePrincipal(req);
    const s = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
    const now = clock().now();
    return {
      status: 200,
      body: {
        caseId: s.caseId,
        dossierCode: s.dossierCode,
        status: s.status,
        version: s.version,
        procedures: Object.fromEntries(
          Object.values(s.procedures).map((x) => [
            x.procedure,
            {
              status: x.status,
              round: x.round,
              dueAt: x.dueAt,
              overdue: isOverdue({ ...x, waiting: x.status === 'IN_REVIEW' }, now),
            },
          ]),
        ),
      },
    };
  },
  'GET /cases': async (req) => {
    const p = requirePrincipal(req);
    const unit = p.roles.includes('auditor') ? (req.query.unit ?? p.unit) : p.unit;
    const limit = parseWith(Limit, req.query.limit ?? '50', 'limit');
    const cases = await caseStore().listCasesOfUnit(unit, limit);
    return {
      status: 200,
      body: {
        unit,
        cases: cases.map((c) => ({
          caseId: c.caseId,
          dossierCode: c.dossierCode,
          status: c.status,
          receivedAt: c.receivedAt,
          procedures: Object.fromEntries(Object.values(c.procedures).map((x) => [x.procedure, x.status])),
        })),
      },
    };
  },
});
