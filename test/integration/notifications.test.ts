/**
 * Families and supervisors really told (issue 11): each event sends an SMS to the applicant's phone (and an e-mail
 * when the dossier gives one) through the notifier's channel; locally the channel is the outbox, which
 * `GET /local/outbox` shows. Every delivery's outcome is on the case, and a failing channel never stops the case.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type OutboxMessage, setNotificationSender } from '#adapters/notificationChannels.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, eventually, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { pinnedTime } from '#support/time.js';

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack({ clock: pinnedTime() });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());
afterEach(() => setNotificationSender(undefined));

const outbox = async (caseId: string): Promise<OutboxMessage[]> => {
  const r = await fetch(`${stack.apiUrl}/local/outbox?format=json&caseId=${encodeURIComponent(caseId)}`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { messages: OutboxMessage[] }).messages;
};

const trackingView = async (code: string, secret: string) => {
  const r = await fetch(`${stack.apiUrl}/tracking/${code}`, { headers: { 'x-tracking-secret': secret } });
  expect(r.status).toBe(200);
  return (await r.json()) as {
    notifications: { template: string; deliveries: { channel: string; destination: string; status: string }[] }[];
  };
};

describe('Notifications: the family is told by SMS and e-mail, through the outbox locally', () => {
  it('sends the appointment and a supplement request to the applicant phone and e-mail, without personal data', async () => {
    const dossier = demoDossier({ applicant: { email: 'bo.cua.an@example.vn' } });
    const filed = await api.file(dossier);
    expect(filed.status).toBe(201);
    const { caseId, dossierCode, trackingSecret } = filed.body;

    await waitForTask(api, caseId, 'BIRTH');
    const appointment = await eventually(async () => {
      const m = (await outbox(caseId)).filter((x) => x.template === 'APPOINTMENT');
      return m.length === 2 ? m : undefined;
    });
    expect(appointment.map((m) => m.channel).sort()).toEqual(['EMAIL', 'SMS']);
    expect(appointment.find((m) => m.channel === 'SMS')!.to).toBe('0912345678');
    expect(appointment.find((m) => m.channel === 'EMAIL')!.to).toBe('bo.cua.an@example.vn');

    const asked = await api.decide(
      caseId,
      'BIRTH',
      'SUPPLEMENT_REQUESTED',
      'hotich.badinh',
      'Thiếu bản sao giấy chứng sinh',
    );
    expect(asked.status).toBe(202);
    const sms = await eventually(async () =>
      (await outbox(caseId)).find((x) => x.template === 'SUPPLEMENT_REQUESTED' && x.channel === 'SMS'),
    );
    expect(sms.text).toContain(dossierCode);
    expect(sms.text).toContain('cần bổ sung');
    expect(sms.text).toContain('needs more');
    // No personal data on a lock screen: neither the child's name nor an ID number.
    expect(sms.text).not.toContain('Minh');
    expect(sms.text).not.toMatch(/\d{12}/);

    // The family's page says what was sent and that it reached the channel, with destinations masked.
    const view = await eventually(async () => {
      const v = await trackingView(dossierCode, trackingSecret);
      const n = v.notifications.find((x) => x.template === 'SUPPLEMENT_REQUESTED');
      return n && n.deliveries.length === 2 ? v : undefined;
    });
    const supplement = view.notifications.find((x) => x.template === 'SUPPLEMENT_REQUESTED')!;
    expect(supplement.deliveries.every((d) => d.status === 'DELIVERED')).toBe(true);
    expect(supplement.deliveries.find((d) => d.channel === 'SMS')!.destination).toBe('091*****78');
    expect(JSON.stringify(view)).not.toContain('0912345678');

    // The outbox page anyone can open in the browser.
    const page = await fetch(`${stack.apiUrl}/local/outbox?caseId=${encodeURIComponent(caseId)}`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Hộp thư đi');
    expect(html).toContain(dossierCode);
  });

  it('records a failed delivery on the case and the case goes on (a channel outage never stops a procedure)', async () => {
    setNotificationSender({
      send: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
      },
    });
    const filed = await api.file(demoDossier());
    expect(filed.status).toBe(201);
    const { caseId, dossierCode, trackingSecret } = filed.body;
    // The birth task opens although the appointment SMS failed.
    await waitForTask(api, caseId, 'BIRTH');
    const view = await eventually(async () => {
      const v = await trackingView(dossierCode, trackingSecret);
      return v.notifications.find((x) => x.template === 'APPOINTMENT' && x.deliveries.length > 0) ? v : undefined;
    });
    const appointment = view.notifications.find((x) => x.template === 'APPOINTMENT')!;
    expect(appointment.deliveries).toEqual([{ channel: 'SMS', destination: '091*****78', status: 'FAILED' }]);
    expect(await outbox(caseId)).toEqual([]);
  });
});
