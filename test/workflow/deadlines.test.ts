/**
 * The deadline paths of the workflow, through the real interpreter and steps: a decision not made in time is
 * escalated and still awaited; a supplement window that passes refuses the procedure. The stack runs on virtual time
 * from a Monday 09:00 in Vietnam: the callback timeouts are the ones the steps compute from the real deadlines
 * (working days away), and each test reaches a deadline by moving time past it, never by sleeping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { VirtualTime } from '#infra/local/sfn/time.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, deciderOf, eventually, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { DAY_MS, MONDAY_0900_VIETNAM, pinnedTime } from '#support/time.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let time: VirtualTime;

beforeAll(async () => {
  time = pinnedTime();
  stack = await startLocalStack({ clock: time });
  api = apiClient(stack.apiUrl);
});
// Each test starts on the pinned Monday again, whatever the one before it did to time.
afterEach(() => time.reset(MONDAY_0900_VIETNAM));
afterAll(async () => stack?.stop());

const executionArn = (caseId: string) => `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
/** Resolves once the execution has entered and left the named state (the engine's own history says so). */
const passedState = (caseId: string, state: string) =>
  eventually(
    async () => {
      const h = await stack.engine.getExecutionHistory({ executionArn: executionArn(caseId), maxResults: 1000 });
      return h.events?.some((e) => e.stateExitedEventDetails?.name === state) ? true : undefined;
    },
    60_000,
    `${caseId} to pass ${state}`,
  );
const queuedTask = async (caseId: string, agency: string, as: string) => {
  const q = await api.call<{ tasks: { caseId: string; dueAt: string; overdue: boolean }[] }>(
    'GET',
    `/queue?agency=${agency}`,
    { as },
  );
  return q.body.tasks.find((t) => t.caseId === caseId);
};

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
    await waitForTask(api, caseId, 'HEALTH_INSURANCE');
    const due = (await queuedTask(caseId, 'SOCIAL_SECURITY', 'bhxh.hanoi'))!.dueAt;
    // Time passes the card's deadline (2 working days): its callback times out and the escalation step runs. The
    // steps in flight finish first: days passing while a step runs would time that step out (Sandbox.Timedout).
    await stack.engine.idle();
    time.advanceTo(new Date(new Date(due).getTime() + 60_000));
    // The escalation step has run to its end (it marks the task and tells the supervisor before it returns).
    await passedState(caseId, 'EscalateHealthInsuranceOverdue');
    const escalated = (await api.getCase(caseId)).body;
    expect(escalated.procedures.HEALTH_INSURANCE!.escalations).toBe(1);
    expect(escalated.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['ESCALATED']));
    const told = (
      escalated.timeline as unknown as { type: string; data: { channel?: string; template?: string } }[]
    ).filter((e) => e.type === 'NOTIFICATION_SENT' && e.data.channel === 'SUPERVISOR');
    expect(told.map((e) => e.data.template)).toContain('TASK_OVERDUE');
    const q = await api.call<{ tasks: { caseId: string; overdue: boolean }[] }>(
      'GET',
      '/queue?agency=SOCIAL_SECURITY',
      { as: 'bhxh.hanoi' },
    );
    expect(q.body.tasks.find((t) => t.caseId === caseId)?.overdue).toBe(true);
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const done = await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    expect(done.status).toBe('COMPLETED');
  });

  it('extension with an apology slip: the appointment moves 2 working days, no escalation before it, the parent sees the slip', async () => {
    const r = await api.file(demoDossier({ idCard: { requested: false } }));
    const { caseId, dossierCode, trackingSecret } = r.body;
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    await waitForTask(api, caseId, 'HEALTH_INSURANCE');
    const ext = await api.call<{ oldDueAt: string; newDueAt: string; slip: { text: { vi: string; en: string } } }>(
      'POST',
      `/cases/${caseId}/extensions`,
      {
        as: 'bhxh.hanoi',
        body: { procedure: 'HEALTH_INSURANCE', reason: 'VERIFICATION', note: 'Xác minh nơi đăng ký KCB ban đầu' },
      },
    );
    expect(ext.status).toBe(201);
    expect(ext.body.newDueAt > ext.body.oldDueAt).toBe(true);
    expect(ext.body.slip.text.vi).toContain('xin lỗi');
    const again = await api.call<{ error: { rule: string } }>('POST', `/cases/${caseId}/extensions`, {
      as: 'bhxh.hanoi',
      body: { procedure: 'HEALTH_INSURANCE', reason: 'VERIFICATION' },
    });
    expect([again.status, again.body.error.rule]).toEqual([409, 'deadline.alreadyExtended']);
    // Time passes the old appointment: the wait times out, the escalation step runs and finds the new appointment
    // still ahead, so the card is not escalated.
    await stack.engine.idle();
    time.advanceTo(new Date(new Date(ext.body.oldDueAt).getTime() + 60_000));
    expect(new Date(ext.body.newDueAt).getTime()).toBeGreaterThan(time.now().getTime());
    await passedState(caseId, 'EscalateHealthInsuranceOverdue');
    const c = await api.getCase(caseId);
    expect(c.body.procedures.HEALTH_INSURANCE!.escalations).toBe(0);
    const q = await api.call<{ tasks: { caseId: string; dueAt: string; overdue: boolean }[] }>(
      'GET',
      '/queue?agency=SOCIAL_SECURITY',
      { as: 'bhxh.hanoi' },
    );
    expect(q.body.tasks.find((t) => t.caseId === caseId)).toMatchObject({ dueAt: ext.body.newDueAt, overdue: false });
    const parent = await api.call<{ apologySlips: { newDueAt: string }[] }>('GET', `/tracking/${dossierCode}`, {
      headers: { 'x-tracking-secret': trackingSecret },
    });
    expect(parent.body.apologySlips.map((s) => s.newDueAt)).toEqual([ext.body.newDueAt]);
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    expect((await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED'])).status).toBe(
      'COMPLETED',
    );
  });

  it('supplement window missed on the birth: the dossier is refused and the case closes REFUSED', async () => {
    const caseId = await file();
    await decide(caseId, 'BIRTH', 'SUPPLEMENT_REQUESTED', 'Thiếu giấy chứng sinh bản gốc');
    await waitForTask(api, caseId, 'BIRTH', 'SUPPLEMENT');
    // The 7-working-day window for the family's supplement passes.
    await stack.engine.idle();
    time.advance(30 * DAY_MS);
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
    await waitForTask(api, caseId, 'RESIDENCE', 'SUPPLEMENT');
    await passedState(caseId, 'CompleteHealthInsurance');
    await stack.engine.idle();
    time.advance(30 * DAY_MS);
    const done = await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    expect(done.status).toBe('PARTIALLY_COMPLETED');
    expect(done.procedures.RESIDENCE!.status).toBe('REFUSED');
    expect(done.procedures.RESIDENCE!.refusal!.reason).toBe('SUPPLEMENT_MISSED');
    expect(done.procedures.HEALTH_INSURANCE!.status).toBe('COMPLETED');
  });
});
