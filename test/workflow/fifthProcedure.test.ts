/**
 * Done-when of issue 10: a fifth procedure added to a test registry (the bundle and
 * test/fixtures/procedures/socialAssistance.ts, nothing else) runs through the real interpreter, the real step
 * handlers, the HTTP API and dynalite, with the workflow the generator builds for it: filed, decided, supplement loop,
 * refusal, escalation, finalize. On virtual time from the pinned Monday.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { agencyNames, bundleProcedures, type Registry, roleNames } from '#domain/procedures/index.js';
import { socialAffairs, socialAssistance } from '#fixtures/procedures/socialAssistance.js';
import { type DemoUser, demoUsers } from '#infra/local/auth.js';
import type { VirtualTime } from '#infra/local/sfn/time.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, type CaseBody, deciderOf, eventually, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { MONDAY_0900_VIETNAM, pinnedTime } from '#support/time.js';

const registry: Registry = {
  procedures: [...bundleProcedures, socialAssistance],
  agencyNames: { ...agencyNames, ...socialAffairs.agency },
  roleNames: { ...roleNames, ...socialAffairs.role },
};
const SA = 'SOCIAL_ASSISTANCE';
const officer = 'tgxh.badinh';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let time: VirtualTime;

beforeAll(async () => {
  // The social-affairs officer of Phường Ba Đình signs in like the demo officers (the local token issuer's users).
  demoUsers.push({
    username: officer,
    name: 'Bùi Thị Mai',
    role: 'social-affairs-officer' as DemoUser['role'],
    unit: '00004',
    unitName: 'UBND Phường Ba Đình',
  });
  time = pinnedTime();
  stack = await startLocalStack({ clock: time, registry });
  api = apiClient(stack.apiUrl);
});
afterEach(() => time.reset(MONDAY_0900_VIETNAM));
afterAll(async () => {
  await stack?.stop();
  demoUsers.splice(
    demoUsers.findIndex((u) => u.username === officer),
    1,
  );
});

type Task = { caseId: string; procedure: string; kind: string; round: number; dueAt: string; overdue: boolean };
/** The social-assistance task of the case in the social-affairs queue (the workflow opened it). */
const saTask = (caseId: string, round = 1) =>
  eventually(
    async () => {
      const q = await api.call<{ tasks: Task[] }>('GET', '/queue?agency=SOCIAL_AFFAIRS', { as: officer });
      return q.body.tasks.find((t) => t.caseId === caseId && t.kind === 'DECISION' && t.round === round);
    },
    60_000,
    `${SA} task of ${caseId}`,
  );
const executionPath = async (caseId: string) => {
  const arn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
  const h = await stack.engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
  return h.events.filter((e) => e.stateExitedEventDetails).map((e) => e.stateExitedEventDetails!.name);
};
const passed = (caseId: string, state: string) =>
  eventually(async () => ((await executionPath(caseId)).includes(state) ? true : undefined), 60_000, state);
const closed = (caseId: string) => waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);

/** Files a dossier (no ID card) and has the three bundle procedures approved; the fifth waits in its queue. */
const fileAndApproveBundle = async () => {
  const r = await api.file(demoDossier({ idCard: { requested: false } }));
  expect(r.status).toBe(201);
  const { caseId } = r.body;
  for (const p of ['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE']) {
    await waitForTask(api, caseId, p);
    expect((await api.decide(caseId, p, 'APPROVED', deciderOf[p]!)).status).toBe(202);
  }
  return r.body;
};

describe('procedure.fifth: a fifth procedure from a test registry through the real interpreter', () => {
  it('procedure.fifth: filed, decided within 2 working days after a supplement loop, finalized COMPLETED', async () => {
    const filed = await fileAndApproveBundle();
    const { caseId } = filed;
    const task = await saTask(caseId);
    // Filed Monday 09:00: 2 working days is Wednesday's close of business (17:00 in Vietnam).
    expect(task.dueAt).toBe('2026-11-25T10:00:00.000Z');
    const before = (await api.getCase(caseId)).body as CaseBody & { deadlines: Record<string, string> };
    expect(before.deadlines.socialAssistance).toBe(task.dueAt);
    expect(before.procedures[SA]).toMatchObject({ status: 'IN_REVIEW', round: 1 });

    // Only the social-affairs officer of the commune decides it (the registry's agency and role).
    const police = await api.decide(caseId, SA, 'APPROVED', 'congan.badinh');
    expect(police.status).toBe(403);

    const asked = await api.decide(caseId, SA, 'SUPPLEMENT_REQUESTED', officer, 'Thiếu số điện thoại liên hệ');
    expect(asked.status).toBe(202);
    const supplied = await eventually(async () => {
      const r = await api.call('POST', `/tracking/${filed.dossierCode}/supplements`, {
        headers: { 'x-tracking-secret': filed.trackingSecret },
        body: { procedure: SA, note: 'Số điện thoại: 0912345678' },
      });
      return r.status === 409 ? undefined : r;
    });
    expect(supplied.status).toBe(202);
    await saTask(caseId, 2);
    expect((await api.decide(caseId, SA, 'APPROVED', officer)).status).toBe(202);

    const c = await closed(caseId);
    expect(c.status).toBe('COMPLETED');
    expect(c.procedures[SA]).toMatchObject({ status: 'COMPLETED', round: 2 });
    expect(String(c.procedures[SA]!.result!.reportNumber)).toMatch(/^\d+\/TGXH-00004$/);
    // The case closes at FinalizeCase; the execution ends after NotifyApplicant has told the family.
    await passed(caseId, 'NotifyApplicant');
    expect(await executionPath(caseId)).toEqual(
      expect.arrayContaining([
        'OpenSocialAssistanceDecisionTask',
        'OpenSocialAssistanceSupplementTask',
        'CompleteSocialAssistance',
        'FinalizeCase',
        'NotifyApplicant',
      ]),
    );
  });

  it('procedure.fifth: a refusal ends its branch, the case closes PARTIALLY_COMPLETED', async () => {
    const { caseId } = await fileAndApproveBundle();
    await saTask(caseId);
    const short = await api.decide(caseId, SA, 'REFUSED', officer, 'Có');
    expect(short.status).toBe(400);
    expect((await api.decide(caseId, SA, 'REFUSED', officer, 'Không thuộc diện trợ giúp xã hội')).status).toBe(202);
    const c = await closed(caseId);
    expect(c.status).toBe('PARTIALLY_COMPLETED');
    expect(c.procedures[SA]).toMatchObject({ status: 'REFUSED', refusal: { reason: 'REFUSED' } });
    expect(c.procedures.BIRTH!.status).toBe('COMPLETED');
    expect(await executionPath(caseId)).toContain('RecordSocialAssistanceRefusal');
  });

  it('procedure.fifth: past its deadline it is escalated and still awaited, then decided and finalized', async () => {
    const { caseId } = await fileAndApproveBundle();
    const task = await saTask(caseId);
    time.advanceTo(new Date(new Date(task.dueAt).getTime() + 60_000));
    await passed(caseId, 'EscalateSocialAssistanceOverdue');
    const escalated = (await api.getCase(caseId)).body;
    expect(escalated.procedures[SA]).toMatchObject({ status: 'IN_REVIEW', escalations: 1, overdue: true });
    expect((await saTask(caseId)).overdue).toBe(true);
    expect((await api.decide(caseId, SA, 'APPROVED', officer)).status).toBe(202);
    const c = await closed(caseId);
    expect(c.status).toBe('COMPLETED');
    expect(await executionPath(caseId)).toEqual(
      expect.arrayContaining(['EscalateSocialAssistanceOverdue', 'CompleteSocialAssistance']),
    );
  });
});
