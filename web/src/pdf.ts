/**
 * Result documents made in the browser (loaded on first use: pdf-lib, fontkit and the Be Vietnam Pro TTF, because the
 * 14 standard PDF fonts cannot draw Vietnamese): the birth-registration extract (trích lục khai sinh) with the personal
 * ID number and registration number, the residence result notice, and the health-insurance card. These are copies for
 * the family's convenience; the legal originals are the agencies' own signed documents.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { dateInWords, ETHNICITY_NAMES } from '#domain/birthCertificate.js';
import type { ProcedureState } from '#domain/caseState.js';
import type { ResultDocument } from '#domain/procedures/types.js';
import { assets, communeLabel } from './addresses';

export interface PdfInput {
  dossierCode: string;
  child: {
    surname: string;
    middleName?: string;
    givenName: string;
    dateOfBirth: string;
    sex?: string;
    timeOfBirth?: string;
  };
  dossier?: {
    child: {
      sex: string;
      ethnicity: { code: string; other?: string };
      nationality: string;
      placeOfBirth: { address: { provinceCode: string; communeCode: string; detail: string }; facilityName?: string };
      hometown: { provinceCode: string; communeCode?: string; description?: string };
    };
    mother?: { fullName: string; dateOfBirth: string; personalId?: string };
    father?: { fullName: string; dateOfBirth: string; personalId?: string };
    registrationCommuneCode: string;
  };
  procedures: Record<string, ProcedureState>;
}

let fontBytes: Promise<[ArrayBuffer, ArrayBuffer]> | undefined;
const loadFonts = () => {
  fontBytes ??= Promise.all(
    [assets.fonts.regular, assets.fonts.bold].map((f) =>
      fetch(`/assets/${f}`).then((r) => {
        if (!r.ok) throw new Error(`font: HTTP ${r.status}`);
        return r.arrayBuffer();
      }),
    ) as [Promise<ArrayBuffer>, Promise<ArrayBuffer>],
  );
  fontBytes.catch(() => {
    fontBytes = undefined;
  });
  return fontBytes;
};

const dmy = (day?: string) => (day ? day.split('-').reverse().join('/') : '—');
const name = (c: PdfInput['child']) => [c.surname, c.middleName, c.givenName].filter(Boolean).join(' ').toUpperCase();
const ink = rgb(0.1, 0.1, 0.12);
const red = rgb(0.62, 0.05, 0.05);

class Writer {
  y: number;
  constructor(
    readonly page: PDFPage,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    readonly margin = 56,
  ) {
    this.y = page.getHeight() - margin;
  }
  get width() {
    return this.page.getWidth() - 2 * this.margin;
  }
  center(text: string, size: number, font = this.bold, color = ink) {
    const w = font.widthOfTextAtSize(text, size);
    this.page.drawText(text, { x: (this.page.getWidth() - w) / 2, y: this.y - size, size, font, color });
    this.y -= size * 1.45;
  }
  /** Wraps on spaces within the page width. */
  para(text: string, size = 11, font = this.regular, indent = 0) {
    const words = text.split(/\s+/);
    let line = '';
    const flush = () => {
      this.page.drawText(line, { x: this.margin + indent, y: this.y - size, size, font, color: ink });
      this.y -= size * 1.5;
      line = '';
    };
    for (const w of words) {
      const next = line ? `${line} ${w}` : w;
      if (font.widthOfTextAtSize(next, size) > this.width - indent && line) {
        flush();
        line = w;
      } else line = next;
    }
    if (line) flush();
  }
  field(label: string, value: string, size = 11) {
    const lw = this.regular.widthOfTextAtSize(`${label}: `, size);
    this.page.drawText(`${label}: `, { x: this.margin, y: this.y - size, size, font: this.regular, color: ink });
    const saved = this.y;
    this.y = saved;
    // Value in bold, wrapped under itself.
    const words = value.split(/\s+/);
    let line = '';
    let x = this.margin + lw;
    for (const w of words) {
      const next = line ? `${line} ${w}` : w;
      if (this.bold.widthOfTextAtSize(next, size) > this.width - (x - this.margin) && line) {
        this.page.drawText(line, { x, y: this.y - size, size, font: this.bold, color: ink });
        this.y -= size * 1.5;
        line = w;
        x = this.margin + 24;
      } else line = next;
    }
    this.page.drawText(line, { x, y: this.y - size, size, font: this.bold, color: ink });
    this.y -= size * 1.6;
  }
  gap(n = 10) {
    this.y -= n;
  }
}

const open = async () => {
  const [reg, bold] = await loadFonts();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(reg, { subset: true });
  const b = await doc.embedFont(bold, { subset: true });
  doc.setProducer('Liên thông (pdf-lib)');
  doc.setCreator('Liên thông');
  return { doc, regular, bold: b };
};

const header = (w: Writer, authority: string) => {
  w.page.drawText(authority.toUpperCase(), { x: w.margin, y: w.y - 10, size: 10, font: w.bold, color: ink });
  const motto = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
  const sub = 'Độc lập – Tự do – Hạnh phúc';
  const right = w.page.getWidth() - w.margin;
  w.page.drawText(motto, {
    x: right - w.bold.widthOfTextAtSize(motto, 10),
    y: w.y - 10,
    size: 10,
    font: w.bold,
    color: ink,
  });
  w.page.drawText(sub, {
    x: right - w.bold.widthOfTextAtSize(motto, 10) / 2 - w.bold.widthOfTextAtSize(sub, 10) / 2,
    y: w.y - 24,
    size: 10,
    font: w.bold,
    color: ink,
  });
  w.y -= 60;
};

const sexVi = (s?: string) => (s === 'MALE' ? 'Nam' : s === 'FEMALE' ? 'Nữ' : '—');

const birthExtract = async (input: PdfInput) => {
  const r = (input.procedures.BIRTH?.result ?? {}) as Record<string, string | undefined>;
  const d = input.dossier;
  const { doc, regular, bold } = await open();
  const page = doc.addPage([595.28, 841.89]);
  const w = new Writer(page, regular, bold);
  const authority = d
    ? await communeLabel(d.registrationCommuneCode).catch(() => d.registrationCommuneCode)
    : (r.registeredBy ?? '');
  header(w, `UBND ${authority.split(',')[0] ?? ''}`);
  w.center('TRÍCH LỤC KHAI SINH', 18, bold, red);
  w.center('(Bản điện tử do hệ thống liên thông tạo để người dân tiện sử dụng)', 9, regular);
  w.gap(14);
  w.field('Số định danh cá nhân', r.personalIdNumber ?? 'chưa có');
  w.field('Họ, chữ đệm, tên', name(input.child));
  w.field('Ngày, tháng, năm sinh', `${dmy(input.child.dateOfBirth)}  (${dateInWords(input.child.dateOfBirth)})`);
  w.field('Giới tính', sexVi(d?.child.sex ?? input.child.sex));
  if (d) {
    const eth =
      d.child.ethnicity.code === 'OTHER'
        ? (d.child.ethnicity.other ?? '')
        : (ETHNICITY_NAMES[d.child.ethnicity.code] ?? d.child.ethnicity.code);
    w.field('Dân tộc', eth);
    w.field('Quốc tịch', d.child.nationality === 'VN' ? 'Việt Nam' : d.child.nationality);
    const pob = d.child.placeOfBirth;
    const pobLabel = await communeLabel(pob.address.communeCode, pob.address.provinceCode).catch(
      () => pob.address.communeCode,
    );
    w.field('Nơi sinh', [pob.facilityName ?? pob.address.detail, pobLabel].filter(Boolean).join(', '));
    const ht = d.child.hometown;
    const htLabel = ht.communeCode
      ? await communeLabel(ht.communeCode, ht.provinceCode).catch(() => ht.provinceCode)
      : ht.provinceCode;
    w.field('Quê quán', ht.description ?? htLabel);
    w.gap(6);
    if (d.mother) {
      w.field('Họ, chữ đệm, tên người mẹ', d.mother.fullName.toUpperCase());
      w.field('Năm sinh, số định danh', `${d.mother.dateOfBirth.slice(0, 4)} · ${d.mother.personalId ?? '—'}`);
    }
    if (d.father) {
      w.field('Họ, chữ đệm, tên người cha', d.father.fullName.toUpperCase());
      w.field('Năm sinh, số định danh', `${d.father.dateOfBirth.slice(0, 4)} · ${d.father.personalId ?? '—'}`);
    }
  }
  w.gap(6);
  w.field('Số đăng ký khai sinh', r.birthRegistrationNumber ?? '—');
  w.field('Ngày đăng ký', dmy(r.registeredOn));
  w.field('Mã hồ sơ liên thông', input.dossierCode);
  w.gap(24);
  w.para(`Trích lục lập ngày ${dmy(new Date().toISOString().slice(0, 10))}.`, 10);
  return doc.save();
};

const residenceNotice = async (input: PdfInput) => {
  const r = (input.procedures.RESIDENCE?.result ?? {}) as Record<string, unknown>;
  const birth = (input.procedures.BIRTH?.result ?? {}) as Record<string, string | undefined>;
  const addr = r.address as { provinceCode: string; communeCode: string; detail: string } | undefined;
  const { doc, regular, bold } = await open();
  const page = doc.addPage([595.28, 841.89]);
  const w = new Writer(page, regular, bold);
  const commune = addr ? await communeLabel(addr.communeCode, addr.provinceCode).catch(() => addr.communeCode) : '';
  header(w, `CÔNG AN ${(commune.split(',')[0] ?? '').toUpperCase()}`);
  w.para(`Số: ${String(r.noticeNumber ?? '—')}`, 10);
  w.gap(8);
  w.center('THÔNG BÁO', 18, bold, red);
  w.center('Về kết quả giải quyết thủ tục về cư trú', 12, bold);
  w.gap(14);
  w.para('Công an xã/phường thông báo đã đăng ký thường trú cho:', 11);
  w.gap(4);
  w.field('Họ, chữ đệm, tên', name(input.child));
  w.field('Ngày sinh', dmy(input.child.dateOfBirth));
  w.field('Số định danh cá nhân', birth.personalIdNumber ?? '—');
  w.field('Nơi thường trú', [addr?.detail, commune].filter(Boolean).join(', '));
  w.field('Ngày đăng ký', dmy(r.registeredOn as string | undefined));
  w.field('Mã hồ sơ liên thông', input.dossierCode);
  w.gap(16);
  w.para('Thông tin cư trú đã được cập nhật vào Cơ sở dữ liệu về cư trú; không cấp sổ hộ khẩu.', 10);
  return doc.save();
};

const insuranceCard = async (input: PdfInput) => {
  const r = (input.procedures.HEALTH_INSURANCE?.result ?? {}) as Record<string, string | undefined>;
  const { doc, regular, bold } = await open();
  // ISO/IEC 7810 ID-1 card (85.6 × 54 mm) drawn at 2× on its own page.
  const W = 485;
  const H = 306;
  const page = doc.addPage([W, H]);
  page.drawRectangle({ x: 0, y: 0, width: W, height: H, color: rgb(0.93, 0.97, 1) });
  page.drawRectangle({ x: 0, y: H - 62, width: W, height: 62, color: rgb(0.05, 0.33, 0.62) });
  const white = rgb(1, 1, 1);
  const txt = (s: string, x: number, y: number, size: number, font = regular, color = ink) =>
    page.drawText(s, { x, y, size, font, color });
  txt('BẢO HIỂM XÃ HỘI VIỆT NAM', 18, H - 26, 12, bold, white);
  txt('THẺ BẢO HIỂM Y TẾ', 18, H - 48, 17, bold, white);
  txt('Trẻ em dưới 6 tuổi', W - 18 - regular.widthOfTextAtSize('Trẻ em dưới 6 tuổi', 11), H - 48, 11, regular, white);
  let y = H - 92;
  const row = (label: string, value: string, size = 12) => {
    txt(label, 18, y, 10);
    txt(value, 150, y, size, bold);
    y -= size + 11;
  };
  row('Mã số', r.cardNumber ?? '—', 16);
  row('Mã thẻ (cũ)', r.legacyCardCode ?? '—');
  row('Họ và tên', name(input.child));
  row(
    'Ngày sinh',
    `${dmy(input.child.dateOfBirth)}${input.dossier ? `   Giới tính: ${sexVi(input.dossier.child.sex)}` : ''}`,
  );
  row('Nơi ĐK KCB BĐ', r.initialCareFacility ?? '—', 11);
  row('Giá trị sử dụng', `từ ${dmy(r.validFrom)} đến ${dmy(r.validUntil)}`);
  row('Mức hưởng', '100% (TE1)', 11);
  txt(`Hồ sơ ${input.dossierCode} · cấp ngày ${dmy(r.issuedOn)}`, 18, 14, 8);
  return doc.save();
};

const makers = { birth: birthExtract, residence: residenceNotice, insurance: insuranceCard } as const;
/** The document of a result, as its registry entry describes it (layout, file name). */
export const makePdf = async (doc: ResultDocument, input: PdfInput) => ({
  bytes: await makers[doc.layout](input),
  fileName: `${doc.fileName}-${input.dossierCode}.pdf`,
});
