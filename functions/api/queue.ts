/** GET /queue?agency=: the open tasks of the officer's agency in their unit, most urgent first, overdue marked. */

import type { AgencyTask } from '#adapters/caseStore.js';
import { clock } from '#adapters/config.js';
import { caseStore } from '#adapters/store.js';
import { isOverdue } from '#domain/deadlines.js';
import { ForbiddenError } from '#domain/errors.js';
import { agencyCode } from '#domain/procedures/index.js';
import { officerAgencies } from './access.js';
import { apiHandler, parseWith, requirePrincipal } from './http.js';

export const handler = apiHandler({
  'GET /queue': async (req) => {
    const p = requirePrincipal(req);
    const mine = officerAgencies(p);
    const agency = req.query.agency ? parseWith(agencyCode(), req.query.agency, 'agency') : mine[0];
    if (!agency || !mine.includes(agency)) {
      throw new ForbiddenError('auth.agency', { vi: 'Bạn không xử lý hàng đợi này.', en: 'This is not your queue.' });
    }
    const now = clock().now();
    const tasks = await caseStore().queue(agency, p.unit);
    return {
      status: 200,
      body: {
        agency,
        unit: p.unit,
        // A task item written before tokens were sealed apart may still carry one: never shown.
        tasks: tasks.map(({ taskToken: _legacy, ...t }: AgencyTask & { taskToken?: string }) => ({
          ...t,
          overdue: isOverdue({ ...t, waiting: true }, now),
        })),
      },
    };
  },
});
