/**
 * Every path of workflows/birth-bundle.asl.json through the real interpreter, the real step handlers and dynalite,
 * driven through the HTTP API as officers and parents drive it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, type CaseBody, deciderOf, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { pinnedTime } from '#support/time.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ clock: pinnedTime() });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const file = async (patch: Record<string, unknown> = {}) => {
  const r = await api.file(demoDossier(patch));
  expect(r.status).toBe(201);
  return r.body;
};
const decide = async (caseId: string, procedure: string, decision: string, reason?: string) => {
  await waitForTask(api, caseId, procedure);
  const r = await api.decide(caseId, procedure, decision, deciderOf[procedure]!, reason);
  expect(r.status).toBe(202);
};
const closed = (caseId: string) => waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
const statuses = (c: CaseBody) => Object.fromEntries(Object.entries(c.procedures).map(([k, v]) => [k, v.status]));
const executionPath = async (caseId: string) => {
  const arn = stack.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${caseId}`;
  const h = await stack.engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
  return h.events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name);
};

describe('Workflow paths', () => {
  it('straight through: every procedure approved → COMPLETED', async () => {
    const { caseId } = await file({ idCard: { requested: false } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const c = await closed(caseId);
    expect(c.status).toBe('COMPLETED');
    expect(statuses(c)).toEqual({
      BIRTH: 'COMPLETED',
      RESIDENCE: 'COMPLETED',
      HEALTH_INSURANCE: 'COMPLETED',
      ID_CARD: 'NOT_REQUESTED',
    });
    expect(await executionPath(caseId)).toEqual(
      expect.arrayContaining(['IdCardRequested', 'IdCardNotRequested', 'FinalizeCase', 'NotifyApplicant']),
    );
  });

  it('birth refused: the whole case closes REFUSED and nothing downstream is opened', async () => {
    const { caseId } = await file();
    await decide(caseId, 'BIRTH', 'REFUSED', 'Giấy chứng sinh không hợp lệ');
    const c = await closed(caseId);
    expect(c.status).toBe('REFUSED');
    expect(statuses(c)).toMatchObject({ BIRTH: 'REFUSED', RESIDENCE: 'NOT_STARTED', HEALTH_INSURANCE: 'NOT_STARTED' });
    const path = await executionPath(caseId);
    expect(path).toContain('RecordBirthRefusal');
    expect(path).not.toContain('SplitToAgencies');
  });

  it('supplement then approved: the applicant answers within the window and the birth is registered', async () => {
    const filed = await file({ idCard: { requested: false } });
    await decide(filed.caseId, 'BIRTH', 'SUPPLEMENT_REQUESTED', 'Thiếu bản chụp giấy chứng nhận kết hôn');
    await waitForTask(api, filed.caseId, 'BIRTH', 'SUPPLEMENT');
    const s = await api.call('POST', `/tracking/${filed.dossierCode}/supplements`, {
      headers: { 'x-tracking-secret': filed.trackingSecret },
      body: { procedure: 'BIRTH', note: 'Đã bổ sung bản chụp giấy chứng nhận kết hôn' },
    });
    expect(s.status).toBe(202);
    await decide(filed.caseId, 'BIRTH', 'APPROVED');
    await decide(filed.caseId, 'RESIDENCE', 'APPROVED');
    await decide(filed.caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const c = await closed(filed.caseId);
    expect(c.status).toBe('COMPLETED');
    expect(c.procedures.BIRTH!.round).toBe(2);
    expect(c.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['SUPPLEMENT_SUBMITTED']));
  });

  it('residence refused while the card is issued: PARTIALLY_COMPLETED, the birth stays registered', async () => {
    const { caseId } = await file({ idCard: { requested: false } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'REFUSED', 'Chỗ ở không đủ điều kiện đăng ký thường trú');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const c = await closed(caseId);
    expect(c.status).toBe('PARTIALLY_COMPLETED');
    expect(statuses(c)).toMatchObject({ BIRTH: 'COMPLETED', RESIDENCE: 'REFUSED', HEALTH_INSURANCE: 'COMPLETED' });
    expect(c.procedures.BIRTH!.result!.personalIdNumber).toMatch(/^\d{12}$/);
  });

  it('ID card branch (Decree 301/2026): opened in its own queue when the dossier asks for it', async () => {
    const { caseId } = await file({ idCard: { requested: true } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    await decide(caseId, 'ID_CARD', 'APPROVED');
    const c = await closed(caseId);
    expect(c.status).toBe('COMPLETED');
    expect(c.procedures.ID_CARD!.result!.idCardNumber).toBe(c.procedures.BIRTH!.result!.personalIdNumber);
  });
});
