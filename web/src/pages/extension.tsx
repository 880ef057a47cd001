/**
 * POST /cases/{caseId}/extensions, officers only, loaded on first use: the deciding officer moves the appointment
 * (1–2 working days, with a reason) and the family is sent the apology and new appointment slip.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProcedureState } from '#domain/caseState.js';
import { delayReasons } from '#domain/procedures/bundle.js';
import type { DelayReason } from '#domain/procedures/codes.js';
import { ApiError, call } from '../api';
import { delayReasonNames, fmtDateTime, pick, procedureNames, t, tx } from '../i18n';
import { Dialog, ErrorBox, TextAreaField } from '../ui';
import { type ApologySlip, SlipNotice } from './case/slips';

/** The reasons the registry lists (functions/domain/procedures/bundle.ts), in its order. */
const DELAY_REASONS = Object.keys(delayReasons) as DelayReason[];

/** POST /cases/{id}/extensions answers with the new appointment and the slip sent. */
export interface Extended {
  procedure: string;
  round: number;
  oldDueAt: string;
  newDueAt: string;
  slip: Omit<ApologySlip, 'at'>;
}
export interface ExtensionDialogProps {
  caseId: string;
  p: ProcedureState;
  onClose: () => void;
  onDone: (r: Extended) => void;
}

/**
 * POST /cases/{id}/extensions: the officer moves the appointment (1–2 working days) and the family is sent the
 * apology slip. Same pattern as the decision dialog; on success it shows the new appointment and the slip to print.
 */
export const ExtensionDialog = ({ caseId, p, onClose, onDone }: ExtensionDialogProps) => {
  const [reason, setReason] = useState<DelayReason>('VERIFICATION');
  const [note, setNote] = useState('');
  const [days, setDays] = useState(2);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<Extended>();
  const doneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => doneRef.current?.focus(), [done]);
  const noteIssue = error instanceof ApiError ? error.issues.find((i) => i.field === 'note') : undefined;
  const needsNote = reason === 'OTHER';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || (needsNote && !note.trim())) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await call<Extended>(`/cases/${encodeURIComponent(caseId)}/extensions`, {
        method: 'POST',
        body: { procedure: p.procedure, reason, workingDays: days, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      setDone(r);
      setBusy(false);
      onDone(r);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const title = `${tx('Gia hạn', 'Extend')}: ${pick(procedureNames[p.procedure])}`;
  if (done) {
    return (
      <Dialog title={title} onClose={onClose}>
        <div class="stack">
          <p class="alert alert-success" role="status" tabIndex={-1} ref={doneRef}>
            {tx('Đã gia hạn và gửi phiếu xin lỗi cho gia đình.', 'Extended; the apology slip was sent to the family.')}
          </p>
          <SlipNotice slip={{ at: new Date().toISOString(), ...done.slip }} />
          <div class="row">
            <button type="button" class="btn btn-primary" onClick={onClose}>
              {tx('Xong, quay lại hồ sơ', 'Done, back to the case')}
            </button>
          </div>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit} class="stack" noValidate>
        {error && !noteIssue ? <ErrorBox error={error} /> : null}
        <p class="muted">
          {t('due')}: {fmtDateTime(p.dueAt)}.{' '}
          {tx(
            'Gia đình nhận Phiếu xin lỗi và hẹn lại ngày trả kết quả (SMS). Mỗi lượt xử lý chỉ gia hạn một lần.',
            'The family is sent the apology and new appointment slip (SMS). Each round can be extended once.',
          )}
        </p>
        <fieldset>
          <legend>{tx('Lý do chậm trả kết quả', 'Why the result is late')}</legend>
          {DELAY_REASONS.map((r) => (
            <label class="choice" key={r}>
              <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} />
              {pick(delayReasonNames[r])}
            </label>
          ))}
        </fieldset>
        <TextAreaField
          label={tx('Ghi chú', 'Note')}
          required={needsNote}
          hint={
            needsNote
              ? tx(
                  'Bắt buộc khi chọn "Lý do khác". Ghi chú được gửi kèm phiếu.',
                  'Required for "another reason". Sent with the slip.',
                )
              : tx('Không bắt buộc. Ghi chú được gửi kèm phiếu.', 'Optional. Sent with the slip.')
          }
          error={noteIssue ? pick(noteIssue.message) : undefined}
          name="note"
          rows={3}
          maxLength={500}
          value={note}
          onInput={setNote}
        />
        <fieldset>
          <legend>{tx('Gia hạn thêm', 'Extend by')}</legend>
          {[1, 2].map((n) => (
            <label class="choice" key={n}>
              <input type="radio" name="workingDays" value={n} checked={days === n} onChange={() => setDays(n)} />
              {tx(`${n} ngày làm việc`, n === 1 ? '1 working day' : `${n} working days`)}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <button type="submit" class="btn btn-primary" disabled={busy || (needsNote && !note.trim())}>
            {busy ? t('loading') : tx('Gia hạn và gửi phiếu', 'Extend and send the slip')}
          </button>
          <button type="button" class="btn" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
};
