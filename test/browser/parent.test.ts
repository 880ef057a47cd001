/**
 * The parent's path in a real browser, on a 360 px phone: open the tracking page with the dossier code and secret,
 * watch the results arrive as the agencies decide, and answer a supplement request on another case.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import {
  api,
  browserTest,
  fileCase,
  now,
  type Page,
  shot,
  startWorld,
  token,
  WAIT,
  type World,
  waitForCase,
  waitForProcedure,
} from './support.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

const phone = { width: 360, height: 780 };

const openTracking = async (p: Page, code: string, secret: string) => {
  await p.goto(`${w.stack.apiUrl}/#/track`);
  await p.getByRole('textbox', { name: 'Mã hồ sơ' }).fill(code);
  await p.getByRole('textbox', { name: 'Mã bí mật' }).fill(secret);
  await p.getByRole('button', { name: 'Tra cứu' }).click();
};

const card = (p: Page, name: string) => p.locator('li.proc', { has: p.getByRole('heading', { name, exact: true }) });

describe('Web: the parent tracks the dossier', () => {
  browserTest('opens a pasted path-style link /track/<code> on the tracking page with the code filled in', async () => {
    // prepare
    const civil = await token(w.stack, 'hotich.badinh');
    const filed = await fileCase(w.stack, civil, 3);
    const page = await w.newPage(phone);
    // act
    await page.goto(`${w.stack.apiUrl}/track/${filed.dossierCode}`);
    // assess: the same app, on its hash route, with the code already there
    await page.getByRole('textbox', { name: 'Mã hồ sơ' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Mã hồ sơ' }).inputValue()).toBe(filed.dossierCode);
    expect(new URL(page.url()).hash).toBe(`#/track/${filed.dossierCode}`);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  browserTest('watches every result arrive on one page', async () => {
    // prepare
    const [civil, police, insurance] = await Promise.all([
      token(w.stack, 'hotich.badinh'),
      token(w.stack, 'congan.badinh'),
      token(w.stack, 'bhxh.hanoi'),
    ]);
    const filed = await fileCase(w.stack, civil, 1);
    await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
    const page = await w.newPage(phone);

    // act: open the page, then the agencies decide while it is open
    await openTracking(page, filed.dossierCode, filed.trackingSecret);
    await card(page, 'Đăng ký khai sinh').getByText('Đang xử lý').waitFor();
    await shot(page, 'parent-tracking-in-review-360');
    await api(w.stack, civil, 'POST', `/cases/${filed.caseId}/decisions`, { procedure: 'BIRTH', decision: 'APPROVED' });
    await waitForProcedure(w.stack, civil, filed.caseId, 'RESIDENCE', 'IN_REVIEW');
    await waitForProcedure(w.stack, civil, filed.caseId, 'HEALTH_INSURANCE', 'IN_REVIEW');
    // The card is late: the social-security officer extends its deadline, the family gets the apology slip.
    const extended = await api<{ newDueAt: string }>(w.stack, insurance, 'POST', `/cases/${filed.caseId}/extensions`, {
      procedure: 'HEALTH_INSURANCE',
      reason: 'POPULATION_DATABASE',
    });
    const insuranceCard = card(page, 'Cấp thẻ BHYT cho trẻ dưới 6 tuổi');
    // The page polls every few seconds: the slip appears on its own.
    await insuranceCard.getByRole('heading', { name: 'Phiếu xin lỗi và hẹn lại' }).waitFor({ timeout: WAIT.workflow });
    const newDue = (await insuranceCard.locator('.slip-new').textContent())!;
    expect(newDue).toMatch(/^Hẹn trả kết quả mới: \d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    expect(new Date(extended.newDueAt).getTime()).toBeGreaterThan(now().getTime());
    await expect(insuranceCard.locator('.slip-print').textContent()).resolves.toContain(
      'Cơ sở dữ liệu quốc gia về dân cư chưa trả số định danh cá nhân',
    );
    await expect(insuranceCard.textContent()).resolves.toContain('Gia hạn1 lần');
    await insuranceCard.scrollIntoViewIfNeeded();
    await shot(page, 'parent-tracking-apology-360');
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(phone.width);
    await api(w.stack, police, 'POST', `/cases/${filed.caseId}/decisions`, {
      procedure: 'RESIDENCE',
      decision: 'APPROVED',
    });
    await api(w.stack, insurance, 'POST', `/cases/${filed.caseId}/decisions`, {
      procedure: 'HEALTH_INSURANCE',
      decision: 'APPROVED',
    });

    // assess: the page refreshes itself until every result is there
    await page.getByText('Đã có 3/3 kết quả').waitFor({ timeout: WAIT.workflow });
    await expect(card(page, 'Đăng ký khai sinh').textContent()).resolves.toMatch(/Số định danh cá nhân\d{12}/);
    await expect(card(page, 'Cấp thẻ BHYT cho trẻ dưới 6 tuổi').textContent()).resolves.toMatch(/TE1\d{12}/);
    await page.locator('dl.summary dd', { hasText: 'Hoàn thành' }).waitFor();
    // The page fits the phone: nothing wider than the viewport.
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(phone.width);
    // The notifications, each with its label (no template names).
    await page.getByText(/^Thông báo đã gửi/).click();
    const sentList = page.locator('ul.notifications');
    for (const label of [
      'Giấy tiếp nhận hồ sơ và hẹn trả kết quả',
      'Phiếu xin lỗi và hẹn lại · Cấp thẻ BHYT cho trẻ dưới 6 tuổi',
      'Đã có kết quả · Đăng ký khai sinh',
    ]) {
      await sentList.getByText(label).waitFor();
    }
    await expect(sentList.textContent()).resolves.not.toMatch(/[A-Z]{3,}_[A-Z]+|APPOINTMENT/);
    await shot(page, 'parent-tracking-completed-360');
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, 'parent-tracking-completed-1280');
  });

  browserTest('answers a supplement request on another case', async () => {
    // prepare: the civil-status officer asks for a supplement
    const civil = await token(w.stack, 'hotich.badinh');
    const filed = await fileCase(w.stack, civil, 2);
    await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
    await api(w.stack, civil, 'POST', `/cases/${filed.caseId}/decisions`, {
      procedure: 'BIRTH',
      decision: 'SUPPLEMENT_REQUESTED',
      reason: 'Bổ sung bản chụp giấy chứng nhận kết hôn của cha mẹ.',
    });
    // The workflow opens the supplement task a moment after the decision.
    await waitForCase(w.stack, civil, filed.caseId, 'the supplement task opened', (c) =>
      c.timeline.some((e) => e.type === 'TASK_OPENED' && e.data.kind === 'SUPPLEMENT'),
    );
    const page = await w.newPage(phone);

    // act
    await openTracking(page, filed.dossierCode, filed.trackingSecret);
    const form = page.getByRole('form', { name: /Yêu cầu bổ sung/ });
    await form.getByText('Bổ sung bản chụp giấy chứng nhận kết hôn của cha mẹ.').waitFor();
    await form
      .getByRole('textbox', { name: 'Nội dung bổ sung' })
      .fill('Đã nộp bản chụp giấy chứng nhận kết hôn số 125/2019.');
    await shot(page, 'parent-supplement-360');
    await form.getByRole('button', { name: 'Nộp bổ sung' }).click();

    // assess: sent, and the birth registration is back in review
    await page.getByText('Đã gửi bổ sung. Hồ sơ được xử lý tiếp. (Đăng ký khai sinh)').waitFor();
    await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
    await card(page, 'Đăng ký khai sinh').getByText('Đang xử lý').waitFor();
    await shot(page, 'parent-supplement-sent-360');
    expect(w.errors).toEqual([]);
  });
});
