import { useRef } from 'preact/hooks';
import type { CaseState } from '#domain/caseState.js';
import type { Dossier } from '#domain/dossier.js';
import { fmtDateTime, lang, pick, procedureNames, type Text, tx } from '../../i18n';

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: { id: string; role: string; unit?: string };
  data: Record<string, unknown>;
  /** From the audit timeline: whether the act met the deadline it answered. */
  deadline?: 'MET' | 'MISSED';
}
export type OfficerView = CaseState & { dossier: Dossier; timeline: TimelineEntry[] };

/** Phiếu xin lỗi và hẹn lại: the apology and new appointment slip sent when a deadline is extended. */
export interface ApologySlip {
  at: string;
  title: Text;
  /** Present in the API's slips; older answers are matched by `procedureName`. */
  procedure?: string;
  procedureName: Text;
  oldDueAt: string;
  newDueAt: string;
  reason?: string;
  note?: string;
  text: Text;
  sms?: Text;
}

/** The procedure a slip is about (by code, else by its name). */
export const slipProcedure = (s: ApologySlip) =>
  s.procedure ?? Object.keys(procedureNames).find((k) => procedureNames[k]!.vi === s.procedureName?.vi);

/** The slips in a case timeline (DEADLINE_EXTENDED events carry the slip that was sent). */
export const slipsOfTimeline = (entries: TimelineEntry[]): ApologySlip[] =>
  entries
    .filter((e) => e.type === 'DEADLINE_EXTENDED' && e.data.slip)
    .map((e) => ({ at: e.at, ...(e.data.slip as Omit<ApologySlip, 'at'>) }));

/** Prints only `el` (print CSS hides everything else while `html.printing` is set). */
export const printOnly = (el: HTMLElement | null) => {
  if (!el) return;
  const root = document.documentElement;
  el.classList.add('print-target');
  root.classList.add('printing');
  const done = () => {
    el.classList.remove('print-target');
    root.classList.remove('printing');
    removeEventListener('afterprint', done);
  };
  addEventListener('afterprint', done);
  print();
  // Browsers whose print() does not block (or fire afterprint) get cleaned up on the next tick.
  setTimeout(done, 0);
};

/**
 * One slip: the new appointment at a glance, the full text (printable, in Vietnamese for the family; also in English
 * when the page is in English).
 */
export const SlipNotice = ({ slip }: { slip: ApologySlip }) => {
  const ref = useRef<HTMLDivElement>(null);
  return (
    <div class="slip" ref={ref}>
      <h4 class="slip-title">{tx('Phiếu xin lỗi và hẹn lại', 'Apology and new appointment')}</h4>
      <p class="slip-new">
        <strong>{tx('Hẹn trả kết quả mới', 'New appointment')}:</strong> {fmtDateTime(slip.newDueAt)}
      </p>
      <p class="muted small">
        {tx('Hẹn cũ', 'Previous appointment')}: {fmtDateTime(slip.oldDueAt)} · {tx('gửi lúc', 'sent')}{' '}
        {fmtDateTime(slip.at)}
      </p>
      <div class="slip-print">
        <p class="slip-print-title" lang="vi">
          <strong>{slip.title.vi}</strong>
        </p>
        <p lang="vi">{slip.text.vi}</p>
        {lang.get() === 'en' && <p lang="en">{slip.text.en}</p>}
      </div>
      <button type="button" class="btn no-print" onClick={() => printOnly(ref.current)}>
        {tx('In phiếu', 'Print the slip')}
        <span class="sr-only">: {pick(slip.procedureName)}</span>
      </button>
    </div>
  );
};
