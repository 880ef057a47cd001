/**
 * The officers' path in a real browser: the civil-status officer signs in, files a dossier through the form (the
 * schema checks as they type; a double click files once), prints the receipt, approves the birth and downloads the
 * extract; the police and social-security officers find their tasks in their queues and approve theirs.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, type Page, shot, signIn, startWorld, token, vnDay, type World } from './support.js';

let w: World;
let page: Page | undefined;
beforeAll(async () => {
  w = await startWorld();
}, 60_000);
afterAll(async () => {
  if (page) await shot(page, 'officer-last').catch(() => undefined);
  await w?.stop();
});

describe('Web: officers file and decide', () => {
  it('files a dossier through the form, decides the birth, then police and insurance decide theirs', async () => {
    // prepare
    const base = w.stack.apiUrl;
    page = await w.newPage();
    const born = vnDay(2);

    // act: sign in and file
    await signIn(page, base, 'hotich.badinh');
    await page.waitForURL(/#\/queue/);
    await page.getByRole('heading', { name: 'Hàng đợi · UBND Phường Ba Đình' }).waitFor();
    await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ' }).waitFor();
    // The pickers start at the officer's own commune (Phường Ba Đình, Hà Nội), from the per-province list.
    await page
      .locator('#f-child-placeOfBirth-address-communeCode option:checked', { hasText: 'Phường Ba Đình' })
      .waitFor({ state: 'attached' });

    await page.locator('#f-child-surname').fill('Nguyễn');
    await page.locator('#f-child-middleName').fill('Minh');
    await page.locator('#f-child-givenName').fill('Khôi');
    await page.getByRole('group', { name: 'Giới tính', exact: true }).getByLabel('Nam').check();
    await page.locator('#f-child-dateOfBirth').fill(born);
    await page.locator('#f-child-placeOfBirth-address-detail').fill('Bệnh viện Phụ sản Hà Nội');

    // The same schema as the API, as you type: a short personal ID is named next to its field.
    await page.locator('#f-mother-personalId').fill('00119');
    await page.locator('#f-mother-personalId').blur();
    await expect(
      page.locator('.field-invalid', { has: page.locator('#f-mother-personalId') }).textContent(),
    ).resolves.toContain('12 chữ số');
    await page.locator('#f-mother-personalId').fill('001194054321');
    await expect(page.locator('.field-invalid', { has: page.locator('#f-mother-personalId') }).count()).resolves.toBe(
      0,
    );
    await page.locator('#f-mother-fullName').fill('Trần Thị Mai');
    await page.locator('#f-mother-dateOfBirth').fill('1994-03-12');
    await page.locator('#f-mother-residence-detail').fill('12 phố Đội Cấn');
    await page.locator('#f-father-fullName').fill('Nguyễn Văn Hùng');
    await page.locator('#f-father-dateOfBirth').fill('1991-07-02');
    await page.locator('#f-father-personalId').fill('001091006789');
    await page.getByLabel('Cha có cùng nơi cư trú với mẹ').check();

    await page.getByRole('button', { name: 'Người yêu cầu là cha' }).click();
    await page.locator('#f-applicant-phone').fill('0912345678');
    await page.locator('#f-birthCertificate-number').fill(`00777.GCS.01821.${born.slice(2, 4)}`);
    await page.locator('#f-birthCertificate-issuedOn').fill(born);
    await page.getByRole('group', { name: 'Giới tính ghi trên giấy chứng sinh' }).getByLabel('Nam').check();
    await page.locator('#f-residence-address-detail').fill('12 phố Đội Cấn');
    await page.locator('#f-residence-householdHead-fullName').fill('Nguyễn Văn Hùng');
    await page.locator('#f-residence-householdHead-personalId').fill('001091006789');
    await page.locator('#f-healthInsurance-initialCareFacility').fill('Bệnh viện Đa khoa Xanh Pôn');
    await page.getByText('Hồ sơ hợp lệ theo lược đồ.').waitFor();
    await shot(page, 'officer-form-1280');

    // A double click files once (requestId + the button locks while the request runs).
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).dblclick();
    const code = (await page.getByTestId('dossier-code').textContent())!.trim();
    const secret = (await page.getByTestId('tracking-secret').textContent())!.trim();
    await page.getByRole('button', { name: 'In giấy biên nhận' }).waitFor();
    await shot(page, 'officer-receipt-1280');

    // assess: one case, with the code the receipt shows
    const officer = await token(w.stack, 'hotich.badinh');
    const cases = await api<{ cases: { caseId: string; dossierCode: string }[] }>(w.stack, officer, 'GET', '/cases');
    expect(cases.cases.map((c) => c.dossierCode)).toEqual([code]);
    expect(secret).toMatch(/^[A-Z0-9]{6,}$/);

    // act: decide the birth from the case page
    await page.getByRole('link', { name: 'Xem hồ sơ' }).click();
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
    const decide = page.getByRole('button', { name: /Ra quyết định\W*Đăng ký khai sinh/ });
    // Keyboard: Escape closes the dialog and gives focus back to the button that opened it.
    await decide.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(decide.evaluate((el) => el.matches(':focus'))).resolves.toBe(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByLabel('Phê duyệt').evaluate((el) => el.matches(':focus'))).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Xác nhận: Phê duyệt' }).click();
    await page.getByText('Đã ghi nhận quyết định.').waitFor();
    const birthCard = page.locator('li.proc', { has: page.getByRole('heading', { name: 'Đăng ký khai sinh' }) });
    for (let i = 0; i < 40 && !(await birthCard.getByText('Số định danh cá nhân').count()); i++) {
      await page.waitForTimeout(250);
      if (i % 4 === 3) await page.getByRole('button', { name: 'Làm mới' }).click();
    }
    const pid = await birthCard.locator('dd').nth(1).textContent();
    expect(pid).toMatch(/^\d{12}$/);

    // The extract as a PDF, made in the browser.
    const download = page.waitForEvent('download');
    await birthCard.getByRole('button', { name: /Tải PDF/ }).click();
    const pdf = readFileSync((await (await download).path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    await shot(page, 'officer-case-birth-approved-1280');

    // The police officer: the residence task is in their queue.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await signIn(page, base, 'congan.badinh');
    await page.waitForURL(/#\/queue/);
    await page.getByRole('cell', { name: code, exact: true }).waitFor();
    await page.setViewportSize({ width: 360, height: 780 });
    await shot(page, 'police-queue-360');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: `Mở ${code}` }).click();
    await page.getByRole('button', { name: /Ra quyết định\W*Đăng ký thường trú/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận: Phê duyệt' }).click();
    await page.getByText('Đã ghi nhận quyết định.').waitFor();

    // The social-security officer of the province.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await signIn(page, base, 'bhxh.hanoi');
    await page.waitForURL(/#\/queue/);
    await page.getByRole('link', { name: `Mở ${code}` }).click();
    await page.getByRole('button', { name: /Ra quyết định\W*Cấp thẻ BHYT cho trẻ dưới 6 tuổi/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận: Phê duyệt' }).click();
    await page.getByText('Đã ghi nhận quyết định.').waitFor();

    // assess: the case completes; the card shows its number and validity
    const caseStatus = page.locator('dl.summary dd').first();
    for (let i = 0; i < 40 && (await caseStatus.textContent()) !== 'Hoàn thành'; i++) {
      await page.waitForTimeout(250);
      if (i % 4 === 3) await page.getByRole('button', { name: 'Làm mới' }).click();
    }
    await expect(caseStatus.textContent()).resolves.toBe('Hoàn thành');
    const card = page.locator('li.proc', {
      has: page.getByRole('heading', { name: 'Cấp thẻ BHYT cho trẻ dưới 6 tuổi' }),
    });
    await expect(card.textContent()).resolves.toMatch(/TE1\d{12}/);

    // The English switch is remembered and sets <html lang>.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Procedures' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Procedures' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await shot(page, 'insurance-case-completed-en-1280');
    expect(w.errors).toEqual([]);
  }, 90_000);
});
