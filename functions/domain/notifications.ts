/**
 * What the family and the supervisors are told, and in which words: one template per event, Vietnamese first with
 * English. Pure: the notifier (adapters/notifier.ts) renders a template and hands it to a channel (SMS, e-mail, the
 * supervisors' topic; locally the outbox).
 *
 * No personal data travels in a message: an SMS or an e-mail names the dossier code, the procedure and dates, never
 * the child's or the parents' names or ID numbers (an SMS is read on a lock screen; e-mail crosses other servers).
 */
import { type Procedure, procedureOf } from './procedures/index.js';

export const notificationTemplates = [
  'APPOINTMENT',
  'SUPPLEMENT_REQUESTED',
  'PROCEDURE_REFUSED',
  'RESULT_READY',
  'APOLOGY_SLIP',
  'CASE_CLOSED',
  'TASK_OVERDUE',
] as const;
export type NotificationTemplate = (typeof notificationTemplates)[number];

/** Who receives a message: the applicant (SMS, and e-mail when the dossier gives one) or the unit's supervisors. */
export type Audience = 'APPLICANT' | 'SUPERVISOR';
export const audienceOf = (channel: string): Audience => (channel === 'SUPERVISOR' ? 'SUPERVISOR' : 'APPLICANT');

export interface NotificationContext {
  dossierCode: string;
  procedure?: Procedure;
  /** ISO instants, shown as Vietnam dates. */
  dueAt?: string;
  /** The supervisors' unit (a commune or province code) for TASK_OVERDUE. */
  unit?: string;
}

export interface RenderedMessage {
  subject: { vi: string; en: string };
  text: { vi: string; en: string };
}

const vnDay = (iso: string | undefined): { vi: string; en: string } => {
  if (!iso) return { vi: '', en: '' };
  const d = new Date(new Date(iso).getTime() + 7 * 3_600_000);
  const dd = String(d.getUTCDate()).padStart(2, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mi = String(d.getUTCMinutes()).padStart(2, '0');
  return {
    vi: `${hh}:${mi} ngày ${dd}/${mm}/${d.getUTCFullYear()}`,
    en: `${d.getUTCFullYear()}-${mm}-${dd} ${hh}:${mi}`,
  };
};

/** The procedure's name from the registry in force (a test registry's fifth procedure included). */
const procName = (p: Procedure | undefined) => (p ? procedureOf(p).name : { vi: 'hồ sơ', en: 'the application' });

/** The words of each template. Every template has both languages (tested). */
export const renderNotification = (template: string, ctx: NotificationContext): RenderedMessage => {
  const code = ctx.dossierCode;
  const p = procName(ctx.procedure);
  const due = vnDay(ctx.dueAt);
  switch (template as NotificationTemplate) {
    case 'APPOINTMENT':
      return {
        subject: { vi: `Đã tiếp nhận hồ sơ ${code}`, en: `Application ${code} received` },
        text: {
          vi: `Hồ sơ ${code} đã được tiếp nhận. Tra cứu tiến độ bằng mã hồ sơ và mã bí mật đã cấp khi nộp.`,
          en: `Application ${code} has been received. Track it with the dossier code and the secret given at filing.`,
        },
      };
    case 'SUPPLEMENT_REQUESTED':
      return {
        subject: { vi: `Hồ sơ ${code}: cần bổ sung`, en: `Application ${code}: more documents needed` },
        text: {
          vi: `Hồ sơ ${code} cần bổ sung cho thủ tục ${p.vi}${due.vi ? ` trước ${due.vi}` : ''}. Xem yêu cầu khi tra cứu hồ sơ.`,
          en: `Application ${code} needs more for ${p.en}${due.en ? ` by ${due.en}` : ''}. See the request on the tracking page.`,
        },
      };
    case 'PROCEDURE_REFUSED':
      return {
        subject: { vi: `Hồ sơ ${code}: từ chối ${p.vi}`, en: `Application ${code}: ${p.en} refused` },
        text: {
          vi: `Thủ tục ${p.vi} của hồ sơ ${code} bị từ chối. Lý do có trên trang tra cứu hồ sơ.`,
          en: `${p.en} for application ${code} was refused. The reason is on the tracking page.`,
        },
      };
    case 'RESULT_READY':
      return {
        subject: { vi: `Hồ sơ ${code}: có kết quả ${p.vi}`, en: `Application ${code}: ${p.en} done` },
        text: {
          vi: `Thủ tục ${p.vi} của hồ sơ ${code} đã có kết quả. Xem kết quả khi tra cứu hồ sơ.`,
          en: `${p.en} for application ${code} is done. See the result on the tracking page.`,
        },
      };
    case 'APOLOGY_SLIP':
      return {
        subject: { vi: `Hồ sơ ${code}: hẹn lại ngày trả kết quả`, en: `Application ${code}: new appointment` },
        text: {
          vi: `Cơ quan xin lỗi vì chậm giải quyết thủ tục ${p.vi} của hồ sơ ${code}. Phiếu xin lỗi và hẹn lại có trên trang tra cứu.`,
          en: `We apologise for the delay in ${p.en} for application ${code}. The apology and new appointment slip is on the tracking page.`,
        },
      };
    case 'CASE_CLOSED':
      return {
        subject: { vi: `Hồ sơ ${code} đã giải quyết xong`, en: `Application ${code} is closed` },
        text: {
          vi: `Hồ sơ ${code} đã giải quyết xong mọi thủ tục. Xem kết quả khi tra cứu hồ sơ.`,
          en: `Every procedure of application ${code} is decided. See the results on the tracking page.`,
        },
      };
    case 'TASK_OVERDUE':
      return {
        subject: { vi: `Quá hạn: ${p.vi}, hồ sơ ${code}`, en: `Overdue: ${p.en}, application ${code}` },
        text: {
          vi: `Thủ tục ${p.vi} của hồ sơ ${code}${ctx.unit ? ` (đơn vị ${ctx.unit})` : ''} đã quá hạn${due.vi ? ` (hạn ${due.vi})` : ''}. Đề nghị đôn đốc giải quyết.`,
          en: `${p.en} for application ${code}${ctx.unit ? ` (unit ${ctx.unit})` : ''} is overdue${due.en ? ` (due ${due.en})` : ''}. Please follow it up.`,
        },
      };
    default:
      return {
        subject: { vi: `Hồ sơ ${code}`, en: `Application ${code}` },
        text: {
          vi: `Hồ sơ ${code} có cập nhật. Xem khi tra cứu hồ sơ.`,
          en: `Application ${code} has an update. See the tracking page.`,
        },
      };
  }
};

/** One text for both languages: an SMS carries Vietnamese then English. */
export const smsText = (m: RenderedMessage): string => `${m.text.vi}\n${m.text.en}`;

/** A phone number as SNS wants it (E.164): 0912345678 → +84912345678. */
export const e164 = (phone: string): string => (phone.startsWith('0') ? `+84${phone.slice(1)}` : phone);

/** What the record keeps of a destination: enough to tell which one, not enough to contact it. */
export const maskDestination = (to: string): string => {
  const at = to.indexOf('@');
  if (at > 0) return `${to.slice(0, 1)}***${to.slice(at)}`;
  if (to.length <= 5) return '***';
  return `${to.slice(0, 3)}*****${to.slice(-2)}`;
};
