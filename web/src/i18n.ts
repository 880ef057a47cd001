/**
 * Two languages: Vietnamese by default, English on request. The choice is remembered (localStorage) and sets
 * `<html lang>` so screen readers switch voice. Every API message arrives as `{vi, en}` and is shown with `pick`.
 */
import * as registry from '#domain/procedures/bundle.js';
import type { Text } from '#domain/procedures/types.js';
import { signal } from './signal';

export type Lang = 'vi' | 'en';
export type { Text };

const stored = (() => {
  try {
    return localStorage.getItem('lienthong.lang');
  } catch {
    return null;
  }
})();
export const lang = signal<Lang>(stored === 'en' ? 'en' : 'vi');

export const setLang = (l: Lang) => {
  lang.set(l);
  try {
    localStorage.setItem('lienthong.lang', l);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  document.documentElement.lang = l;
};
document.documentElement.lang = lang.get();

export const pick = (t: Text | undefined | null): string => (t ? t[lang.get()] : '');

/** The app's own words. Keys are English; each entry is `[vi, en]`. */
const words = {
  appName: ['Liên thông khai sinh · thường trú · BHYT', 'Birth · residence · health-insurance bundle'],
  skip: ['Bỏ qua đến nội dung chính', 'Skip to main content'],
  language: ['Ngôn ngữ', 'Language'],
  signIn: ['Đăng nhập', 'Sign in'],
  signOut: ['Đăng xuất', 'Sign out'],
  username: ['Tên đăng nhập', 'Username'],
  password: ['Mật khẩu', 'Password'],
  demoUsers: ['Tài khoản thử nghiệm (máy cục bộ)', 'Demo accounts (local stack)'],
  demoPassword: [
    'Mật khẩu chung: mật khẩu in ra khi chạy npm start (biến LIENTHONG_DEMO_PASSWORD).',
    'Shared password: the one npm start prints (LIENTHONG_DEMO_PASSWORD).',
  ],
  officerArea: ['Cán bộ', 'Officers'],
  parentArea: ['Tra cứu hồ sơ', 'Track a dossier'],
  auditArea: ['Kiểm tra', 'Audit'],
  queue: ['Hàng đợi', 'Work queue'],
  fileDossier: ['Tiếp nhận hồ sơ', 'File a dossier'],
  loading: ['Đang tải…', 'Loading…'],
  retry: ['Thử lại', 'Try again'],
  refresh: ['Làm mới', 'Refresh'],
  empty: ['Không có hồ sơ nào chờ xử lý.', 'Nothing is waiting.'],
  overdue: ['Quá hạn', 'Overdue'],
  due: ['Hạn xử lý', 'Due'],
  dossierCode: ['Mã hồ sơ', 'Dossier code'],
  procedure: ['Thủ tục', 'Procedure'],
  status: ['Trạng thái', 'Status'],
  result: ['Kết quả', 'Result'],
  open: ['Mở', 'Open'],
  receivedAt: ['Ngày tiếp nhận', 'Received'],
  deadlines: ['Thời hạn', 'Deadlines'],
  bundleDeadline: ['Hẹn trả kết quả toàn bộ', 'Whole bundle due'],
  timeline: ['Diễn biến hồ sơ', 'Timeline'],
  approve: ['Phê duyệt', 'Approve'],
  requestSupplement: ['Yêu cầu bổ sung', 'Request a supplement'],
  refuse: ['Từ chối', 'Refuse'],
  reason: ['Lý do', 'Reason'],
  cancel: ['Hủy', 'Cancel'],
  confirm: ['Xác nhận', 'Confirm'],
  close: ['Đóng', 'Close'],
  decisionSaved: ['Đã ghi nhận quyết định.', 'Decision recorded.'],
  printPdf: ['Tải PDF', 'Download PDF'],
  print: ['In', 'Print'],
  makingPdf: ['Đang tạo PDF…', 'Making the PDF…'],
  caseNotFound: ['Không tìm thấy hồ sơ.', 'Case not found.'],
  trackTitle: ['Tra cứu hồ sơ liên thông', 'Track your dossier'],
  trackIntro: [
    'Nhập mã hồ sơ và mã bí mật in trên giấy biên nhận.',
    'Enter the dossier code and the secret printed on your receipt.',
  ],
  secret: ['Mã bí mật', 'Secret'],
  lookUp: ['Tra cứu', 'Look up'],
  supplementAnswer: ['Nộp bổ sung', 'Send the supplement'],
  supplementNote: ['Nội dung bổ sung', 'What you supply'],
  supplementSent: ['Đã gửi bổ sung. Hồ sơ được xử lý tiếp.', 'Supplement sent. Processing resumes.'],
  supplementBy: ['Hạn bổ sung', 'Supplement due'],
  requestedBecause: ['Cơ quan yêu cầu', 'The agency asks'],
  child: ['Trẻ', 'Child'],
  notifications: ['Thông báo đã gửi', 'Notifications sent'],
  auditTitle: ['Kiểm tra hồ sơ', 'Audit a case'],
  caseIdOrCode: ['Mã hồ sơ (LT-…) hoặc mã vụ việc', 'Dossier code (LT-…) or case id'],
  find: ['Tìm', 'Find'],
  verify: ['Kiểm tra chuỗi băm', 'Verify the hash chain'],
  replay: ['Chạy lại quy trình', 'Replay the workflow'],
  export: ['Xuất dữ liệu', 'Export'],
  accessLog: ['Nhật ký truy cập', 'Access log'],
  notAvailable: ['Chức năng này chưa có trên máy chủ.', 'This function is not available on the server yet.'],
  signInAs: ['Đăng nhập với vai trò', 'Signed in as'],
  receipt: ['Giấy tiếp nhận hồ sơ và hẹn trả kết quả', 'Receipt and appointment for results'],
  printReceipt: ['In giấy biên nhận', 'Print the receipt'],
  secretOnce: [
    'Mã bí mật chỉ hiển thị một lần. Hãy in hoặc ghi lại và giao cho người nộp hồ sơ.',
    'The secret is shown only once. Print or write it down and hand it to the applicant.',
  ],
  filed: ['Đã tiếp nhận hồ sơ', 'Dossier filed'],
  fileAnother: ['Tiếp nhận hồ sơ khác', 'File another dossier'],
  openCase: ['Xem hồ sơ', 'Open the case'],
  home: ['Trang chủ', 'Home'],
  notSignedIn: ['Vui lòng đăng nhập.', 'Please sign in.'],
  welcome: ['Chọn việc cần làm', 'Choose what to do'],
  networkError: [
    'Không kết nối được máy chủ. Kiểm tra mạng và thử lại.',
    'Cannot reach the server. Check the network and try again.',
  ],
} satisfies Record<string, [string, string]>;

export type Word = keyof typeof words;
export const t = (k: Word): string => words[k][lang.get() === 'vi' ? 0 : 1];
/** Inline bilingual text for one-off strings: `tx('Có', 'Yes')`. */
export const tx = (vi: string, en: string): string => (lang.get() === 'vi' ? vi : en);

export const procedureStatus: Record<string, Text> = {
  NOT_STARTED: { vi: 'Chưa bắt đầu', en: 'Not started' },
  IN_REVIEW: { vi: 'Đang xử lý', en: 'In review' },
  SUPPLEMENT_REQUESTED: { vi: 'Chờ bổ sung', en: 'Supplement requested' },
  COMPLETED: { vi: 'Đã có kết quả', en: 'Completed' },
  REFUSED: { vi: 'Từ chối', en: 'Refused' },
  NOT_REQUESTED: { vi: 'Không yêu cầu', en: 'Not requested' },
};

// The procedures, agencies, roles, decisions and delay reasons are named once, in the registry
// (functions/domain/procedures/): looked up here by the codes the API sends.
export const procedureNames: Record<string, Text> = registry.procedureNames;
export const agencyNames: Record<string, Text> = registry.agencyNames;
export const decisionNames: Record<string, Text> = registry.decisionNames;
/** Every role, and the workflow's own actor on the timeline. */
export const roleNames: Record<string, Text> = { ...registry.roleNames, system: { vi: 'Hệ thống', en: 'System' } };
/** Why a result is late (POST /cases/{id}/extensions `reason`): the registry's labels. */
export const delayReasonNames: Record<string, Text> = Object.fromEntries(
  Object.entries(registry.delayReasons).map(([k, r]) => [k, r.label]),
);

export const caseStatus: Record<string, Text> = {
  RECEIVED: { vi: 'Đã tiếp nhận', en: 'Received' },
  IN_PROGRESS: { vi: 'Đang giải quyết', en: 'In progress' },
  COMPLETED: { vi: 'Hoàn thành', en: 'Completed' },
  PARTIALLY_COMPLETED: { vi: 'Hoàn thành một phần', en: 'Partially completed' },
  REFUSED: { vi: 'Từ chối', en: 'Refused' },
};

export const eventNames: Record<string, Text> = {
  DOSSIER_FILED: { vi: 'Tiếp nhận hồ sơ', en: 'Dossier filed' },
  DOSSIER_RECEIVED: { vi: 'Kiểm tra, tính thời hạn', en: 'Checked, deadlines set' },
  TASK_OPENED: { vi: 'Chuyển xử lý', en: 'Task opened' },
  DECISION_RECORDED: { vi: 'Quyết định', en: 'Decision' },
  SUPPLEMENT_SUBMITTED: { vi: 'Nộp bổ sung', en: 'Supplement submitted' },
  DOSSIER_CORRECTED: { vi: 'Đính chính hồ sơ', en: 'Dossier corrected' },
  ESCALATED: { vi: 'Quá hạn, báo lãnh đạo', en: 'Overdue, escalated' },
  PROCEDURE_COMPLETED: { vi: 'Có kết quả', en: 'Result issued' },
  PROCEDURE_REFUSED: { vi: 'Từ chối', en: 'Refused' },
  NOTIFICATION_SENT: { vi: 'Gửi thông báo', en: 'Notification sent' },
  NOTIFICATION_DELIVERED: { vi: 'Thông báo đã chuyển đi', en: 'Notification delivered' },
  NOTIFICATION_FAILED: { vi: 'Gửi thông báo không thành công', en: 'Notification failed' },
  CASE_CLOSED: { vi: 'Kết thúc hồ sơ', en: 'Case closed' },
  DEADLINE_EXTENDED: { vi: 'Gia hạn, gửi phiếu xin lỗi và hẹn lại', en: 'Deadline extended, apology slip sent' },
  TRACKING_SECRET_REISSUED: { vi: 'Cấp lại mã tra cứu cho gia đình', en: 'Tracking secret re-issued to the family' },
  // The audit ones: GET /audit/cases/{id}/timeline shows them; the officers' timeline leaves them out.
  CASE_VIEWED: { vi: 'Xem hồ sơ', en: 'Case viewed' },
  HISTORY_ARCHIVED: { vi: 'Lưu trữ lịch sử quy trình', en: 'Workflow history archived' },
  CHAIN_PROOF: { vi: 'Bằng chứng chuỗi băm', en: 'Hash-chain proof' },
};

/** Why personal data was read (the access log's `purpose`, recorded by functions/api/cases.ts, tracking.ts, audit.ts). */
export const accessPurposeNames: Record<string, Text> = {
  'case.read': { vi: 'Cán bộ xem hồ sơ', en: 'Officer read the case' },
  'tracking.read': { vi: 'Gia đình tra cứu hồ sơ', en: 'Family tracked the dossier' },
  'audit.timeline': { vi: 'Kiểm tra: đọc diễn biến hồ sơ', en: 'Audit: read the timeline' },
  'audit.verify': { vi: 'Kiểm tra: đối chiếu chuỗi băm', en: 'Audit: verified the hash chain' },
  'audit.replay': { vi: 'Kiểm tra: chạy lại quy trình', en: 'Audit: replayed the workflow' },
  'audit.access': { vi: 'Kiểm tra: đọc nhật ký truy cập', en: 'Audit: read the access log' },
  'audit.export.jsonl': { vi: 'Kiểm tra: xuất dữ liệu (JSONL)', en: 'Audit: exported (JSONL)' },
  'audit.export.csv': { vi: 'Kiểm tra: xuất dữ liệu (CSV)', en: 'Audit: exported (CSV)' },
};

/** The messages sent to the family (SMS / e-mail) and to supervisors, by template. */
export const notificationNames: Record<string, Text> = {
  APPOINTMENT: { vi: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', en: 'Receipt and appointment for results' },
  SUPPLEMENT_REQUESTED: { vi: 'Yêu cầu bổ sung hồ sơ', en: 'Supplement requested' },
  RESULT_READY: { vi: 'Đã có kết quả', en: 'Result ready' },
  PROCEDURE_REFUSED: { vi: 'Thông báo từ chối', en: 'Refusal notice' },
  APOLOGY_SLIP: { vi: 'Phiếu xin lỗi và hẹn lại', en: 'Apology and new appointment' },
  CASE_CLOSED: { vi: 'Hồ sơ đã giải quyết xong', en: 'Dossier closed' },
  TASK_OVERDUE: { vi: 'Cảnh báo quá hạn (gửi lãnh đạo)', en: 'Overdue alert (to supervisors)' },
};

export const channelNames: Record<string, Text> = {
  SMS: { vi: 'Tin nhắn SMS', en: 'SMS' },
  EMAIL: { vi: 'Thư điện tử', en: 'E-mail' },
  SUPERVISOR: { vi: 'Lãnh đạo đơn vị', en: 'Supervisor' },
};

/** The non-blocking findings at intake (DOSSIER_RECEIVED `notes[].kind`). */
export const intakeNoteNames: Record<string, Text> = {
  LATE_REGISTRATION: { vi: 'Đăng ký khai sinh quá hạn', en: 'Late birth registration' },
  ADDRESS_MAPPED: { vi: 'Địa chỉ cũ đã chuyển sang đơn vị mới', en: 'Former address mapped to the new units' },
  MARRIAGE_AFTER_BIRTH: { vi: 'Kết hôn sau ngày sinh', en: 'Marriage after the birth' },
  CONSENT_EXEMPT: { vi: 'Không cần ý kiến chủ hộ', en: 'No household-head consent needed' },
  ID_CARD_BRANCH: { vi: 'Có yêu cầu thẻ căn cước', en: 'ID card requested' },
  HOMETOWN_LEGACY_UNIT: { vi: 'Quê quán theo đơn vị cũ', en: 'Hometown under a former unit' },
};

const tz = 'Asia/Ho_Chi_Minh';
const parts = (d: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
/** Dates and times in Vietnam time, the Vietnamese way in both languages: "23/11/2026 17:00". */
export const fmtDateTime = (iso: string | undefined): string => {
  if (!iso) return '—';
  const p = parts(new Date(iso));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
};
export const fmtDate = (isoOrDay: string | undefined): string => {
  if (!isoOrDay) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(isoOrDay)) return isoOrDay.split('-').reverse().join('/');
  const p = parts(new Date(isoOrDay));
  return `${p.day}/${p.month}/${p.year}`;
};
