/** GET /health: the API answers and can reach the case table. */
import { caseStore } from '#adapters/store.js';
import { apiHandler } from './http.js';

export const handler = apiHandler({
  'GET /health': async () => {
    await caseStore().getState('health-check');
    return { status: 200, body: { status: 'ok', service: 'lienthong' } };
  },
});
