import { useState } from 'preact/hooks';
import type { ProcedureState } from '#domain/caseState.js';
import { REASON_MIN_LENGTH } from '#domain/procedures/bundle.js';
import { ApiError, call } from '../../api';
import { decisionNames, pick, procedureNames, t, tx } from '../../i18n';
import { Dialog, ErrorBox, TextAreaField } from '../../ui';

type DecisionKind = 'APPROVED' | 'SUPPLEMENT_REQUESTED' | 'REFUSED';

export const DecisionDialog = ({
  caseId,
  p,
  onClose,
  onDone,
}: {
  caseId: string;
  p: ProcedureState;
  onClose: () => void;
  onDone: () => void;
}) => {
  const [decision, setDecision] = useState<DecisionKind>('APPROVED');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const reasonIssue = error instanceof ApiError ? error.issues.find((i) => i.field === 'reason') : undefined;
  const needsReason = decision !== 'APPROVED';
  const localReasonError =
    needsReason && reason.trim().length > 0 && reason.trim().length < REASON_MIN_LENGTH
      ? tx(
          `Lý do cần ít nhất ${REASON_MIN_LENGTH} ký tự.`,
          `The reason needs at least ${REASON_MIN_LENGTH} characters.`,
        )
      : undefined;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await call(`/cases/${encodeURIComponent(caseId)}/decisions`, {
        method: 'POST',
        body: { procedure: p.procedure, round: p.round, decision, ...(needsReason ? { reason: reason.trim() } : {}) },
      });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title={`${tx('Quyết định', 'Decision')}: ${pick(procedureNames[p.procedure])}`} onClose={onClose}>
      <form onSubmit={submit} class="stack" noValidate>
        {error && !reasonIssue ? <ErrorBox error={error} /> : null}
        <fieldset>
          <legend>{tx('Quyết định của cơ quan', "The agency's decision")}</legend>
          {(['APPROVED', 'SUPPLEMENT_REQUESTED', 'REFUSED'] as const).map((d) => (
            <label class="choice" key={d}>
              <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
              {pick(decisionNames[d])}
            </label>
          ))}
        </fieldset>
        {needsReason && (
          <TextAreaField
            label={t('reason')}
            required
            hint={
              decision === 'SUPPLEMENT_REQUESTED'
                ? tx(
                    'Ghi rõ giấy tờ, thông tin cần bổ sung. Người dân có 7 ngày làm việc.',
                    'Say what is missing. The family has 7 working days.',
                  )
                : tx('Lý do từ chối sẽ được gửi cho người dân.', 'The family is sent the reason.')
            }
            error={reasonIssue ? pick(reasonIssue.message) : localReasonError}
            name="reason"
            rows={4}
            value={reason}
            onInput={setReason}
          />
        )}
        <div class="row">
          <button
            type="submit"
            class={`btn ${decision === 'REFUSED' ? 'btn-danger' : 'btn-primary'}`}
            disabled={busy || (needsReason && reason.trim().length < REASON_MIN_LENGTH)}
          >
            {busy ? t('loading') : `${t('confirm')}: ${pick(decisionNames[decision])}`}
          </button>
          <button type="button" class="btn" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
};
