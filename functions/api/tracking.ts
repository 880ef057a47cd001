/**
 * The parent's side, without an account: the dossier code in the path and the secret in `x-tracking-secret`.
 * GET /tracking/{code}: every procedure's status, deadline and result in one view.
 * POST /tracking/{code}/supplements: answer a supplement request.
 */

import { clock } from '#adapters/config.js';
import { caseStore } from '#adapters/store.js';
import { recordView } from './cases.js';
import { apiHandler, parseWith } from './http.js';
import { SupplementBody, submitSupplement } from './tasks.js';
import { loadTrackedCaseLimited } from './trackingLimit.js';
import { applicantView } from './views.js';

export const handler = apiHandler({
  'GET /tracking/{code}': async (req) => {
    const store = caseStore();
    const code = req.path.code ?? '';
    const state = await loadTrackedCaseLimited(store, req);
    const now = clock().now();
    // The parent's reads are on the access record too (architecture.md "every read of personal data is an event").
    await recordView(
      state.caseId,
      { id: `applicant:${code}`, name: 'applicant', roles: ['applicant'], unit: '' },
      'tracking.read',
      now,
    );
    return { status: 200, body: applicantView(state, await store.loadEvents(state.caseId), now) };
  },
  'POST /tracking/{code}/supplements': async (req) => {
    const code = req.path.code ?? '';
    const state = await loadTrackedCaseLimited(caseStore(), req);
    const body = parseWith(SupplementBody(), req.body ?? {});
    return {
      status: 202,
      body: await submitSupplement(state.caseId, body, { id: `applicant:${code}`, role: 'applicant' }),
    };
  },
});
