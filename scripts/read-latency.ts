/**
 * npx tsx scripts/read-latency.ts [--polls 2000] [--sample 200] [--warmup 200]
 *
 * Measures what issue 9 finding 5 measured: the parent's tracking page read of one case, before and after N polls
 * of that case (the page polls every 4 s). Starts the local stack in memory (pinned clock), files one case, waits until
 * its birth task is open (nothing else is written to it then), reads the page `warmup` times unmeasured (so the first
 * sample is not the JIT's cold start), reads it `sample` times, polls it `polls` times,
 * reads it `sample` times again; prints p50/p90 of both samples, the case's event count and the access-log size.
 * A figure for a report, not a test: nothing is asserted.
 */
import { parseArgs } from 'node:util';
import { auditStore, caseStore } from '#adapters/store.js';
import { startLocalStack } from '#infra/local/stack.js';
import { apiClient, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';

const { values } = parseArgs({
  options: {
    polls: { type: 'string', default: '2000' },
    sample: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '200' },
  },
});
const polls = Number(values.polls);
const sample = Number(values.sample);
const warmup = Number(values.warmup);

const stack = await startLocalStack({ clock: 'from:2026-11-23T02:00:00Z' });
try {
  const api = apiClient(stack.apiUrl);
  const filed = await api.file(demoDossier());
  const { caseId, dossierCode, trackingSecret } = filed.body;
  await waitForTask(api, caseId, 'BIRTH');
  const read = async () => {
    const t0 = performance.now();
    const r = await fetch(`${stack.apiUrl}/tracking/${dossierCode}`, {
      headers: { 'x-tracking-secret': trackingSecret },
    });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`tracking read: ${r.status}`);
    return performance.now() - t0;
  };
  const measure = async () => {
    const ms: number[] = [];
    for (let i = 0; i < sample; i++) ms.push(await read());
    ms.sort((a, b) => a - b);
    return { p50: ms[Math.floor(ms.length * 0.5)]!.toFixed(1), p90: ms[Math.floor(ms.length * 0.9)]!.toFixed(1) };
  };
  const eventsBefore = (await caseStore().loadEvents(caseId)).length;
  for (let i = 0; i < warmup; i++) await read();
  const before = await measure();
  for (let i = 0; i < polls; i++) await read();
  const after = await measure();
  const eventsAfter = (await caseStore().loadEvents(caseId)).length;
  const access = (await auditStore().loadAccess(caseId)).length;
  console.log(
    JSON.stringify({
      polls,
      sample,
      warmup,
      before,
      after,
      caseEvents: { before: eventsBefore, after: eventsAfter },
      access,
    }),
  );
} finally {
  await stack.stop();
}
