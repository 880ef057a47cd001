/**
 * The deadline paths of the workflow, through the real interpreter and steps: a decision not made in time is
 * escalated and still awaited; a supplement window that passes refuses the procedure. The callback timeouts the
 * steps compute (working days away) are shortened to one second for the named states with the engine's
 * `taskTimeoutOverrides`; the computed values themselves are checked in the unit tests of deadlines.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { apiClient, deciderOf, eventually, waitForStatus, waitForTask } from '../support/api.js';
import { demoDossier } from '../support/dossiers.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({
    taskTimeoutOverrides: { IssueHealthInsuranceCard: 1, AwaitBirthSupplement: 1, AwaitResidenceSupplement: 1 },
  });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const file = async () => {
  const r = await api.file(demoDossier({ idCard: { requested: false } }));
  expect(r.status).toBe(201);
  return r.body.caseId;
};
const decide = async (caseId: string, procedure: string, decision: string, reason?: string) => {
  await waitForTask(api, caseId, procedure);
  expect((await api.decide(caseId, procedure, decision, deciderOf[procedure]!, reason)).status).toBe(202);
};

describe('Deadline paths', () => {
  it('escalation on deadline: the overdue card task is marked, the supervisor told, and the decision still counts', async () => {
    const caseId = await file();
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    const overdue = await eventually(
      async () => {
        const q = await api.call<{ tasks: { caseId: string; overdue: boolean }[] }>(
          'GET',
          '/queue?agency=SOCIAL_SECURITY',
          { as: 'bhxh.hanoi' },
        );
        return q.body.tasks.find((t) => t.caseId === caseId && t.overdue);
      },
      10_000,
      'the card task to be marked overdue',
    );
    expect(overdue.overdue).toBe(true);
    const during = await api.getCase(caseId);
    expect(during.body.procedures.HEALTH_INSURANCE!.escalations).toBeGreaterThanOrEqual(1);
    expect(during.body.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['ESCALATED']));
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const done = await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    expect(done.status).toBe('COMPLETED');
  });

  it('supplement window missed on the birth: the dossier is refused and the case closes REFUSED', async () => {
    const caseId = await file();
    await decide(caseId, 'BIRTH', 'SUPPLEMENT_REQUESTED', 'Thiếu giấy chứng sinh bản gốc');
    const done = await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    expect(done.status).toBe('REFUSED');
    expect(done.procedures.BIRTH!.refusal).toEqual({
      reason: 'SUPPLEMENT_MISSED',
      note: 'Thiếu giấy chứng sinh bản gốc',
    });
  });

  it('supplement window missed on the residence: that branch is refused, the card still issued', async () => {
    const caseId = await file();
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'SUPPLEMENT_REQUESTED', 'Thiếu xác nhận chỗ ở hợp pháp');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const done = await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    expect(done.status).toBe('PARTIALLY_COMPLETED');
    expect(done.procedures.RESIDENCE!.status).toBe('REFUSED');
    expect(done.procedures.RESIDENCE!.refusal!.reason).toBe('SUPPLEMENT_MISSED');
    expect(done.procedures.HEALTH_INSURANCE!.status).toBe('COMPLETED');
  });
});
