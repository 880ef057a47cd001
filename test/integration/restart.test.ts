/**
 * SIGKILL the server while 50 cases wait at different steps, start it again: every case carries on from where it
 * was, decisions given before the kill are not asked again, nothing is duplicated. The server runs as `npm start`
 * does (a child process on disk data), killed with SIGKILL, not stopped politely.
 */

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { apiClient, deciderOf, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { startServerProcess } from '#support/localServer.js';
import { freePort } from '#support/net.js';
import { PINNED_CLOCK_SETTING } from '#support/time.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lienthong-restart-'));
let child: ChildProcess | undefined;
/** What the running server printed, for the failure message. */
let serverOutput = () => '';

const startServer = async (ports: { api: number; sfn: number; ddb: number }) => {
  // The pinned Monday 09:00 (Vietnam), running from there: the example child is a newborn whatever today is.
  const started = await startServerProcess({ ports, dataDir, clock: PINNED_CLOCK_SETTING });
  serverOutput = started.output;
  return { process: started.process, redriven: started.redriven ?? -1 };
};

/** A failure carries the tail of what the server printed (a crash of the restarted server shows there). */
const withServerOutput = (body: () => Promise<void>) =>
  body().catch((error: Error) => {
    error.message += `\n--- server output (tail) ---\n${serverOutput().slice(-4000)}`;
    throw error;
  });

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Crash and restart (SIGKILL) with 50 cases in flight', () => {
  it(
    'carries every case on from where it was, asks no decision twice, duplicates nothing',
    () =>
      withServerOutput(async () => {
        const ports = { api: await freePort(), sfn: await freePort(), ddb: await freePort() };
        const api = apiClient(`http://127.0.0.1:${ports.api}`);
        child = (await startServer(ports)).process;

        // 50 cases, 10 in each of five places.
        const cases: { caseId: string; group: number; code: string; secret: string }[] = [];
        for (let i = 0; i < 50; i++) {
          const r = await api.file(demoDossier({ idCard: { requested: false } }));
          expect(r.status).toBe(201);
          cases.push({ caseId: r.body.caseId, group: i % 5, code: r.body.dossierCode, secret: r.body.trackingSecret });
        }
        for (const c of cases) await waitForTask(api, c.caseId, 'BIRTH');
        for (const c of cases) {
          const r =
            c.group === 1
              ? await api.decide(
                  c.caseId,
                  'BIRTH',
                  'SUPPLEMENT_REQUESTED',
                  'hotich.badinh',
                  'Thiếu giấy tờ chứng minh nơi cư trú',
                )
              : c.group >= 2
                ? await api.decide(c.caseId, 'BIRTH', 'APPROVED', 'hotich.badinh')
                : { status: 202 };
          expect(r.status).toBe(202);
        }
        for (const c of cases.filter((x) => x.group >= 3)) {
          await waitForTask(api, c.caseId, 'RESIDENCE');
          await api.decide(c.caseId, 'RESIDENCE', 'APPROVED', 'congan.badinh');
        }
        // Group 4: the last decision given just before the kill, with no time for the workflow to react.
        for (const c of cases.filter((x) => x.group === 4)) {
          await waitForTask(api, c.caseId, 'HEALTH_INSURANCE');
        }
        await Promise.all(
          cases
            .filter((x) => x.group === 4)
            .map((c) => api.decide(c.caseId, 'HEALTH_INSURANCE', 'APPROVED', 'bhxh.hanoi')),
        );
        child.kill('SIGKILL');
        await new Promise((r) => child!.once('exit', r));

        const restarted = await startServer(ports);
        child = restarted.process;
        expect(restarted.redriven).toBeGreaterThanOrEqual(40);

        // Decisions given before the kill are not asked again: no approved birth is back in the civil-status queue.
        const birthQueue = await api.call<{ tasks: { caseId: string; procedure: string; kind: string }[] }>(
          'GET',
          '/queue?agency=CIVIL_STATUS',
          { as: 'hotich.badinh' },
        );
        const waitingBirth = new Set(
          birthQueue.body.tasks.filter((t) => t.procedure === 'BIRTH' && t.kind === 'DECISION').map((t) => t.caseId),
        );
        expect(cases.filter((c) => waitingBirth.has(c.caseId) !== (c.group === 0)).map((c) => c.group)).toEqual([]);

        // Every case carries on: finish each from where it was.
        for (const c of cases) {
          if (c.group === 0) await api.decide(c.caseId, 'BIRTH', 'APPROVED', deciderOf.BIRTH!);
          if (c.group === 1) {
            await waitForTask(api, c.caseId, 'BIRTH', 'SUPPLEMENT');
            const s = await api.call('POST', `/tracking/${c.code}/supplements`, {
              headers: { 'x-tracking-secret': c.secret },
              body: { procedure: 'BIRTH', note: 'Đã bổ sung' },
            });
            expect(s.status).toBe(202);
            await waitForTask(api, c.caseId, 'BIRTH');
            await api.decide(c.caseId, 'BIRTH', 'APPROVED', deciderOf.BIRTH!);
          }
        }
        for (const c of cases) {
          if (c.group <= 2) {
            await waitForTask(api, c.caseId, 'RESIDENCE');
            await api.decide(c.caseId, 'RESIDENCE', 'APPROVED', deciderOf.RESIDENCE!);
          }
          if (c.group <= 3) {
            await waitForTask(api, c.caseId, 'HEALTH_INSURANCE');
            await api.decide(c.caseId, 'HEALTH_INSURANCE', 'APPROVED', deciderOf.HEALTH_INSURANCE!);
          }
        }
        const numbers = new Set<string>();
        for (const c of cases) {
          const done = await waitForStatus(api, c.caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
          expect(done.status).toBe('COMPLETED');
          // Nothing duplicated: one of each effect in the log, and unique register numbers.
          const types = done.timeline.map((e) => e.type);
          expect(types.filter((t) => t === 'PROCEDURE_COMPLETED')).toHaveLength(3);
          expect(types.filter((t) => t === 'CASE_CLOSED')).toHaveLength(1);
          expect(types.filter((t) => t === 'DECISION_RECORDED')).toHaveLength(c.group === 1 ? 4 : 3);
          numbers.add(String(done.procedures.BIRTH!.result!.birthRegistrationNumber));
        }
        expect(numbers.size).toBe(50);
      }),
    600_000,
  );
});
