/**
 * Issue 12 item 1, "review before deciding", in a real browser: the officer's case page shows the whole filed dossier
 * section by section in the officer's words (codes as names, dd/mm/yyyy, communes by name), the intake notes beside
 * the fields they concern, and the sections the signed-in officer's procedures need highlighted (from the registry).
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import {
  api,
  browserTest,
  exampleDossier,
  fileCase,
  requestId,
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

describe('Web: officers review the whole dossier before deciding', () => {
  browserTest(
    'every dossier section with its values; each officer sees the sections their procedures need',
    async () => {
      // prepare: the example dossier (docs/examples/dossier.json) with an ID card asked for, filed through the API
      const civil = await token(w.stack, 'hotich.badinh');
      const dossier = exampleDossier(7);
      dossier.idCard = { requested: true };
      dossier.delivery.idCard = 'POST';
      dossier.healthInsurance.initialCareFacilityCode = '01015';
      const filed = await api<{ caseId: string; dossierCode: string }>(w.stack, civil, 'POST', '/applications', {
        requestId: requestId('review'),
        dossier,
      });
      await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
      const page = await w.newPage();

      // act: the civil-status officer opens the case
      await signIn(page, w.stack.apiUrl, 'hotich.badinh');
      await page.waitForURL(/#\/queue/);
      await page.goto(`${w.stack.apiUrl}/#/cases/${filed.caseId}`);
      await page.getByRole('heading', { name: `Hồ sơ ${filed.dossierCode}` }).waitFor();
      const part = (name: string) => page.getByRole('region', { name, exact: true });
      const value = (section: string, label: string) =>
        part(section).locator(`dt:text-is("${label}") + dd`).first().textContent();

      // assess: every section, with the filed values in words
      const dob = dossier.child.dateOfBirth.split('-').reverse().join('/');
      await part('Trẻ được khai sinh').getByText('Phường Ba Đình, Thành phố Hà Nội').first().waitFor();
      await expect(value('Trẻ được khai sinh', 'Họ, chữ đệm và tên')).resolves.toBe(
        `Nguyễn Minh ${dossier.child.givenName}`,
      );
      await expect(value('Trẻ được khai sinh', 'Giới tính')).resolves.toBe('Nam');
      await expect(value('Trẻ được khai sinh', 'Ngày sinh')).resolves.toBe(`${dob} lúc 08:45`);
      await expect(value('Trẻ được khai sinh', 'Dân tộc')).resolves.toBe('Kinh');
      await expect(value('Trẻ được khai sinh', 'Quốc tịch')).resolves.toBe('Việt Nam');
      await expect(value('Trẻ được khai sinh', 'Nơi sinh')).resolves.toBe(
        'Bệnh viện Phụ sản Hà Nội · Phường Ba Đình, Thành phố Hà Nội',
      );
      await expect(value('Trẻ được khai sinh', 'Trường hợp khai sinh')).resolves.toBe('Đủ thông tin cha và mẹ');
      await expect(value('Giấy chứng sinh', 'Số giấy chứng sinh')).resolves.toBe(dossier.birthCertificate.number);
      await expect(value('Giấy chứng sinh', 'Ngày cấp')).resolves.toBe(dob);
      await expect(value('Giấy chứng sinh', 'Cân nặng')).resolves.toBe('3200 g');
      await expect(value('Mẹ', 'Họ, chữ đệm và tên')).resolves.toBe('Trần Thị Mai');
      await expect(value('Mẹ', 'Ngày sinh')).resolves.toBe('12/03/1994');
      await expect(value('Mẹ', 'Số định danh cá nhân')).resolves.toBe(dossier.mother.personalId);
      await expect(value('Cha', 'Họ, chữ đệm và tên')).resolves.toBe('Nguyễn Văn Hùng');
      await expect(value('Đăng ký kết hôn của cha mẹ', 'Số giấy chứng nhận kết hôn')).resolves.toBe('125/2019');
      await expect(value('Đăng ký kết hôn của cha mẹ', 'Ngày đăng ký kết hôn')).resolves.toBe('20/05/2019');
      await expect(value('Đăng ký kết hôn của cha mẹ', 'Nơi đăng ký kết hôn')).resolves.toBe('UBND phường Đội Cấn');
      await expect(value('Người yêu cầu', 'Quan hệ với trẻ')).resolves.toBe('Cha');
      await expect(value('Người yêu cầu', 'Số điện thoại')).resolves.toBe('0912345678');
      await expect(value('Đăng ký thường trú', 'Địa chỉ đăng ký thường trú')).resolves.toBe(
        '12 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội',
      );
      await expect(value('Đăng ký thường trú', 'Chủ hộ')).resolves.toBe('Nguyễn Văn Hùng · 001091006789');
      await expect(value('Đăng ký thường trú', 'Quan hệ của trẻ với chủ hộ')).resolves.toBe('Con');
      await expect(value('Đăng ký thường trú', 'Cha hoặc mẹ là chủ hộ')).resolves.toBe('Cha là chủ hộ');
      await expect(value('Đăng ký thường trú', 'Ý kiến đồng ý của chủ hộ')).resolves.toBe('Không cần / không có');
      await expect(value('Thẻ bảo hiểm y tế', 'Nơi đăng ký KCB ban đầu')).resolves.toBe(
        'Bệnh viện Đa khoa Xanh Pôn · mã 01015',
      );
      await expect(value('Thẻ bảo hiểm y tế', 'Người giám hộ ghi trên thẻ')).resolves.toBe('Cha');
      await expect(value('Thẻ căn cước', 'Nhận thẻ căn cước')).resolves.toBe('Bưu chính công ích');
      await expect(value('Nhận kết quả khai sinh', 'Số bản sao')).resolves.toBe('1');
      // The intake note on the ID card stands beside the field it is about.
      await expect(
        part('Thẻ căn cước').locator('dd[data-path="idCard.requested"] .field-note').textContent(),
      ).resolves.toContain('Có yêu cầu thẻ căn cước');
      // No raw code anywhere in the dossier.
      expect(await page.locator('.dossier').textContent()).not.toMatch(
        /\b(MALE|FEMALE|BOTH_PARENTS|ELECTRONIC|POST|NONE|FATHER)\b/,
      );
      // The civil-status officer's procedure (the birth) needs the child, parents, certificate; not the residence.
      await expect(part('Trẻ được khai sinh').getAttribute('data-needed')).resolves.toBe('true');
      await expect(part('Giấy chứng sinh').getAttribute('data-needed')).resolves.toBe('true');
      await expect(part('Đăng ký thường trú').getAttribute('data-needed')).resolves.toBeNull();
      await shot(page, 'review-civil-status-1280');

      // act: the birth is registered; the police officer opens the case
      await api(w.stack, civil, 'POST', `/cases/${filed.caseId}/decisions`, {
        procedure: 'BIRTH',
        decision: 'APPROVED',
      });
      const police = await token(w.stack, 'congan.badinh');
      await waitForProcedure(w.stack, police, filed.caseId, 'RESIDENCE', 'IN_REVIEW');
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await signIn(page, w.stack.apiUrl, 'congan.badinh');
      await page.waitForURL(/#\/queue/);
      await page.goto(`${w.stack.apiUrl}/#/cases/${filed.caseId}`);
      await page.getByRole('heading', { name: `Hồ sơ ${filed.dossierCode}` }).waitFor();

      // assess: residence and ID card (both the police officer's) are highlighted, the birth's sections are not
      await expect(part('Đăng ký thường trú').getAttribute('data-needed')).resolves.toBe('true');
      await expect(part('Đăng ký thường trú').locator('.needed-tag').textContent()).resolves.toContain(
        'Đăng ký thường trú',
      );
      await expect(part('Thẻ căn cước').getAttribute('data-needed')).resolves.toBe('true');
      await expect(part('Trẻ được khai sinh').getAttribute('data-needed')).resolves.toBeNull();
      await expect(part('Thẻ bảo hiểm y tế').getAttribute('data-needed')).resolves.toBeNull();
      await part('Đăng ký thường trú').scrollIntoViewIfNeeded();
      await shot(page, 'review-police-1280');
      await page.setViewportSize({ width: 360, height: 780 });
      await shot(page, 'review-police-360');
      await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(360);
      await page.setViewportSize({ width: 1280, height: 900 });

      // English when the app is switched
      await page.getByRole('button', { name: 'English' }).click();
      await expect(
        part('Permanent residence').locator('dt:text-is("Household head\'s consent") + dd').textContent(),
      ).resolves.toBe('None');
      await expect(part('The child').locator('dt:text-is("Sex") + dd').textContent()).resolves.toBe('Male');
      await shot(page, 'review-police-en-1280');
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
      expect(w.errors).toEqual([]);
    },
  );

  browserTest('the access log names why the case was read, in words, not codes like case.read', async () => {
    // prepare: an officer reads a case (GET /cases/{id} records "case.read")
    const civil = await token(w.stack, 'hotich.badinh');
    const filed = await fileCase(w.stack, civil, 8);
    await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
    await api(w.stack, civil, 'GET', `/cases/${filed.caseId}`);
    const page = await w.newPage();

    // act: the auditor opens the case's access log
    await signIn(page, w.stack.apiUrl, 'kiemtra');
    await page.waitForURL(/#\/audit/);
    await page.goto(`${w.stack.apiUrl}/#/audit/${filed.caseId}`);
    await page.getByRole('button', { name: 'Nhật ký truy cập' }).click();
    const access = page.locator('.audit-action', { has: page.getByRole('button', { name: 'Nhật ký truy cập' }) });
    await access.locator('table').waitFor();

    // assess
    const text = (await access.locator('table').textContent())!;
    expect(text).toContain('Cán bộ xem hồ sơ');
    expect(text).not.toMatch(/case\.read|audit\.[a-z]+/);
    await shot(page, 'auditor-access-log-1280');
    expect(w.errors).toEqual([]);
  });

  browserTest(
    'a refused birth: its reason once, the other procedures "not carried out", no bundle appointment',
    async () => {
      // prepare: the civil-status officer refuses the birth with a reason
      const civil = await token(w.stack, 'hotich.badinh');
      const filed = await fileCase(w.stack, civil, 9);
      await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'IN_REVIEW');
      const reason = 'Giấy chứng sinh không khớp với sổ của cơ sở y tế.';
      await api(w.stack, civil, 'POST', `/cases/${filed.caseId}/decisions`, {
        procedure: 'BIRTH',
        decision: 'REFUSED',
        reason,
      });
      await waitForProcedure(w.stack, civil, filed.caseId, 'BIRTH', 'REFUSED');
      const page = await w.newPage();

      // act
      await signIn(page, w.stack.apiUrl, 'hotich.badinh');
      await page.waitForURL(/#\/queue/);
      await page.goto(`${w.stack.apiUrl}/#/cases/${filed.caseId}`);
      const birth = page.locator('li.proc', { has: page.getByRole('heading', { name: 'Đăng ký khai sinh' }) });
      await birth.getByText('Cơ quan từ chối', { exact: false }).waitFor();

      // assess: the reason is on the card once, with who refused
      const text = (await birth.textContent())!;
      expect(text.split(reason).length - 1).toBe(1);
      // The procedures that never started say they will not, and the bundle's appointment is gone (issue 12).
      const residence = page.locator('li.proc', { has: page.getByRole('heading', { name: 'Đăng ký thường trú' }) });
      await expect(residence.textContent()).resolves.toContain('Không thực hiện vì hồ sơ đã kết thúc');
      await expect(residence.textContent()).resolves.not.toContain('Chưa bắt đầu');
      await expect(page.locator('dl.summary').textContent()).resolves.not.toContain('Hẹn trả kết quả toàn bộ');
      // The officer's timeline is numbered without gaps (the audit events it leaves out made #3 → #5 → #9).
      const numbers = (await page.locator('ol.timeline strong').allTextContents()).map((x) =>
        Number(/^#(\d+)/.exec(x)?.[1]),
      );
      expect(numbers.length).toBeGreaterThan(5);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      await shot(page, 'officer-refused-1280');

      // The family's page says the same: the procedures that never started will not be carried out.
      const parent = await w.newPage({ width: 360, height: 780 });
      await parent.goto(`${w.stack.apiUrl}/#/track`);
      await parent.getByRole('textbox', { name: 'Mã hồ sơ' }).fill(filed.dossierCode);
      await parent.getByRole('textbox', { name: 'Mã bí mật' }).fill(filed.trackingSecret);
      await parent.getByRole('button', { name: 'Tra cứu' }).click();
      const parentResidence = parent.locator('li.proc', {
        has: parent.getByRole('heading', { name: 'Đăng ký thường trú' }),
      });
      await parentResidence.getByText('Không thực hiện vì hồ sơ đã kết thúc', { exact: false }).waitFor();
      await expect(parentResidence.textContent()).resolves.not.toContain('Chưa bắt đầu');
      await shot(parent, 'parent-refused-360');
      expect(w.errors).toEqual([]);
    },
  );
});
