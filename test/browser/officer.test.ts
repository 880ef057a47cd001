/**
 * The officers' path in a real browser: the civil-status officer signs in, files a dossier through the form (the
 * schema checks as they type; a double click files once), prints the receipt, approves the birth and downloads the
 * extract; the police and social-security officers find their tasks in their queues and approve theirs.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import {
  api,
  browserTest,
  exampleDossier,
  requestId,
  shot,
  signIn,
  startWorld,
  token,
  vnDay,
  WAIT,
  type World,
  waitForProcedure,
  waitShownRefreshing,
} from './support.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

describe('Web: officers file and decide', () => {
  browserTest(
    'files a dossier through the form, decides the birth, then police and insurance decide theirs',
    async () => {
      // prepare
      const base = w.stack.apiUrl;
      const page = await w.newPage();
      const born = vnDay(2);

      // act: sign in and file
      await signIn(page, base, 'hotich.badinh');
      await page.waitForURL(/#\/queue/);
      // The page's today is the pinned day in Vietnam (Playwright's clock), not the machine's.
      await expect(
        page.evaluate(() => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' })),
      ).resolves.toBe(vnDay(0));
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
      await waitShownRefreshing(page, birthCard.getByText('Số định danh cá nhân'), "the child's personal ID");
      const pid = await birthCard.locator('dd').nth(1).textContent();
      expect(pid).toMatch(/^\d{12}$/);

      // The extract as a PDF, made in the browser (the first one loads pdf-lib and the font: slow on a busy machine).
      const download = page.waitForEvent('download', { timeout: WAIT.pdf });
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
      // The card's result is late: extend its deadline and send the family the apology slip.
      const insuranceCard = page.locator('li.proc', {
        has: page.getByRole('heading', { name: 'Cấp thẻ BHYT cho trẻ dưới 6 tuổi' }),
      });
      const dueBefore = await insuranceCard.locator('dt:text-is("Hạn xử lý") + dd').textContent();
      const extend = page.getByRole('button', {
        name: /Gia hạn và gửi phiếu xin lỗi\W*Cấp thẻ BHYT cho trẻ dưới 6 tuổi/,
      });
      await extend.click();
      const extDialog = page.getByRole('dialog', { name: /Gia hạn: Cấp thẻ BHYT/ });
      // Focus goes to the first reason; "another reason" needs a note before it can be sent.
      await expect(
        extDialog.getByLabel('Cần xác minh thông tin trong hồ sơ').evaluate((el) => el.matches(':focus')),
      ).resolves.toBe(true);
      await extDialog.getByLabel('Lý do khác (ghi rõ)').check();
      await expect(extDialog.getByRole('button', { name: 'Gia hạn và gửi phiếu' }).isDisabled()).resolves.toBe(true);
      await extDialog.getByLabel('Cơ sở dữ liệu quốc gia về dân cư chưa trả số định danh').check();
      await extDialog.getByRole('textbox', { name: 'Ghi chú' }).fill('Đang chờ đồng bộ mã số BHXH');
      await expect(extDialog.getByLabel('2 ngày làm việc').isChecked()).resolves.toBe(true);
      await shot(page, 'insurance-extend-dialog-1280');
      await extDialog.getByRole('button', { name: 'Gia hạn và gửi phiếu' }).click();
      await extDialog.getByText('Đã gia hạn và gửi phiếu xin lỗi cho gia đình.').waitFor();
      const slipText = (await extDialog.locator('.slip-print').textContent())!;
      expect(slipText).toContain('Phiếu xin lỗi và hẹn lại ngày trả kết quả');
      expect(slipText).toContain('Chúng tôi xin lỗi ông/bà và hẹn lại thời gian trả kết quả');
      expect(slipText).toContain('Đang chờ đồng bộ mã số BHXH');
      const newDue = (await extDialog.locator('.slip-new').textContent())!.replace(/^[^:]*:\s*/, '');
      expect(newDue).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
      await shot(page, 'insurance-extend-slip-1280');
      await extDialog.getByRole('button', { name: 'Xong, quay lại hồ sơ' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      // The card shows the moved deadline, how often it was extended and the slip.
      await insuranceCard.getByText('1 lần').waitFor();
      await expect(insuranceCard.locator('dt:text-is("Hạn xử lý") + dd').textContent()).resolves.toBe(
        `${newDue} (đã gia hạn)`,
      );
      expect(dueBefore).not.toContain(newDue);
      await insuranceCard.getByRole('heading', { name: 'Phiếu xin lỗi và hẹn lại' }).waitFor();
      await page.locator('.timeline', { hasText: 'Gia hạn, gửi phiếu xin lỗi và hẹn lại' }).waitFor();
      // One extension a round: the action is gone (a second try would get the API's 409 deadline.alreadyExtended).
      await extend.waitFor({ state: 'detached' });
      await page.setViewportSize({ width: 360, height: 780 });
      await insuranceCard.scrollIntoViewIfNeeded();
      await shot(page, 'insurance-case-extended-360');
      await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole('button', { name: /Ra quyết định\W*Cấp thẻ BHYT cho trẻ dưới 6 tuổi/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận: Phê duyệt' }).click();
      await page.getByText('Đã ghi nhận quyết định.').waitFor();

      // assess: the case completes; the card shows its number and validity
      const caseStatus = page.locator('dl.summary dd').first();
      await waitShownRefreshing(page, caseStatus.filter({ hasText: /^Hoàn thành$/ }), 'the case completed');
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
    },
    480_000,
  );

  browserTest(
    'shows the notes found at intake (late registration, marriage after the birth) and labels the timeline',
    async () => {
      // prepare: a birth registered 90 days late, the parents married after it
      const officer = await token(w.stack, 'hotich.badinh');
      const dossier = exampleDossier(3);
      const born = vnDay(90);
      dossier.child.dateOfBirth = born;
      dossier.birthCertificate.issuedOn = born;
      dossier.marriage.issuedOn = vnDay(30);
      const filed = await api<{ caseId: string; dossierCode: string }>(w.stack, officer, 'POST', '/applications', {
        requestId: requestId('intake'),
        dossier,
      });
      await waitForProcedure(w.stack, officer, filed.caseId, 'BIRTH', 'IN_REVIEW');
      const page = await w.newPage();
      // The first test left the app in English (remembered): back to Vietnamese.
      await page.goto(w.stack.apiUrl);
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();

      // act
      await signIn(page, w.stack.apiUrl, 'hotich.badinh');
      await page.waitForURL(/#\/queue/);
      await page.goto(`${w.stack.apiUrl}/#/cases/${filed.caseId}`);
      await page.getByRole('heading', { name: `Hồ sơ ${filed.dossierCode}` }).waitFor();

      // assess: the notes, before the procedures, and every timeline entry with a label
      const notes = page.getByRole('region', { name: 'Lưu ý khi tiếp nhận' });
      await expect(notes.textContent()).resolves.toMatch(/Đăng ký khai sinh quá hạn:.*60 ngày/);
      await expect(notes.textContent()).resolves.toContain('Kết hôn sau ngày sinh:');
      const timeline = (await page.locator('.timeline').textContent())!;
      expect(timeline).toContain('Kiểm tra, tính thời hạn');
      expect(timeline).toContain('đăng ký quá hạn');
      expect(timeline).toContain('Tin nhắn SMS · Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
      expect(timeline).not.toMatch(/[A-Z]{3,}_[A-Z]+/);
      await shot(page, 'officer-intake-notes-1280');
      await page.setViewportSize({ width: 360, height: 780 });
      await shot(page, 'officer-intake-notes-360');
      await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('region', { name: 'Notes at intake' }).getByText('Late birth registration:').waitFor();
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
      expect(w.errors).toEqual([]);
    },
  );
});
