/**
 * The auditor's path in a real browser: sign in, find a case by its dossier code, read its timeline; the audit
 * endpoints (verify, replay, export, access) answer, or say plainly that they are not available yet.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import {
  api,
  browserTest,
  fileCase,
  shot,
  signIn,
  startWorld,
  token,
  type World,
  waitForProcedure,
} from './support.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

describe('Web: the auditor reads a case', () => {
  browserTest('finds a case by dossier code and reads its timeline', async () => {
    // prepare: a case whose birth was registered
    const civil = await token(w.stack, 'hotich.badinh');
    const filed = await fileCase(w.stack, civil, 3);
    await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
    await api(w.stack, civil, 'POST', `/cases/${filed.caseId}/decisions`, { procedure: 'BIRTH', decision: 'APPROVED' });
    await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'COMPLETED');
    const page = await w.newPage();

    // act
    await signIn(page, w.stack.apiUrl, 'kiemtra');
    await page.waitForURL(/#\/audit/);
    await page.getByRole('textbox', { name: 'Mã hồ sơ (LT-…) hoặc mã vụ việc' }).fill(filed.dossierCode);
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();

    // assess: the case and its timeline, with who decided what
    await page.getByRole('heading', { name: new RegExp(filed.dossierCode) }).waitFor();
    const timeline = page.locator('ol.timeline');
    await timeline.getByText('Tiếp nhận hồ sơ').waitFor();
    await expect(timeline.textContent()).resolves.toContain('Đăng ký khai sinh · Phê duyệt');
    await expect(timeline.textContent()).resolves.toContain('Cán bộ tư pháp – hộ tịch 00004');
    expect(page.url()).toContain(`#/audit/${filed.caseId}`);

    // The hash-chain check answers either way: a result, or "not available yet".
    await page.getByRole('button', { name: 'Kiểm tra chuỗi băm' }).click();
    const verify = page.locator('.audit-action', { has: page.getByRole('button', { name: 'Kiểm tra chuỗi băm' }) });
    await verify.locator('.alert, details').first().waitFor();
    await expect(verify.textContent()).resolves.toMatch(/Khớp|KHÔNG khớp|chưa có trên máy chủ|Chi tiết/);
    // Who read the case: the access record (or "not available yet").
    await page.getByRole('button', { name: 'Nhật ký truy cập' }).click();
    const access = page.locator('.audit-action', { has: page.getByRole('button', { name: 'Nhật ký truy cập' }) });
    await access.locator('table, .alert, p.muted').first().waitFor();
    await expect(access.textContent()).resolves.toMatch(/lượt đọc|chưa có trên máy chủ/);
    await shot(page, 'auditor-case-1280');
    expect(w.errors).toEqual([]);
  });
});
