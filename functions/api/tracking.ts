/**
 * The parent's side, without an account: the dossier code in the path and the secret in `x-tracking-secret`.
 * GET /tracking/{code}: every procedure's status, deadline and result in one view.
 * POST /tracking/{code}/supplements: answer a supplement request.
 */
import { caseStore, clock } from '../adapters/store.js';
import { loadTrackedCase } from './access.js';
import { apiHandler, parseWith } from './http.js';
import { SupplementBody, submitSupplement } from './tasks.js';
import { applicantView } from './views.js';

export const handler = apiHandler({
  'GET /tracking/{code}': async (req) => {
    const store = caseStore();
    const state = await loadTrackedCase(store, req.path.code ?? '', req.header('x-tracking-secret'));
    return { status: 200, body: applicantView(state, await store.loadEvents(state.caseId), clock().now()) };
  },
  'POST /tracking/{code}/supplements': async (req) => {
    const code = req.path.code ?? '';
    const state = await loadTrackedCase(caseStore(), code, req.header('x-tracking-secret'));
    const body = parseWith(SupplementBody, req.body ?? {});
    return { status: 202, body: await submitSupplement(state.caseId, body, { id: `applicant:${code}`, role: 'applicant' }) };
  },
});
