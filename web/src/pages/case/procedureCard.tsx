import { useState } from 'preact/hooks';
import type { ProcedureState } from '#domain/caseState.js';
import { bundleProcedures } from '#domain/procedures/bundle.js';
import type { ProcedureDefinition, ResultDocument, ResultField } from '#domain/procedures/types.js';
import { fmtDate, fmtDateTime, pick, procedureNames, t, tx } from '../../i18n';
import type { PdfInput } from '../../pdf';
import { ErrorBox, StatusBadge } from '../../ui';

import { type ApologySlip, SlipNotice } from './slips';

/** The procedures a case really has: three, or four with the ID card (NOT_REQUESTED ones are left out). */
export const shownProcedures = (procedures: Record<string, ProcedureState>) =>
  bundleProcedures
    .map((x) => procedures[x.code])
    .filter((p): p is ProcedureState => !!p && p.status !== 'NOT_REQUESTED');

/** Who may decide a procedure here: an officer of the role the registry names, in the unit the case names. */
export const mayDecide = (
  user: { role: string; unit: string } | undefined,
  p: ProcedureState,
  units: Record<string, string | undefined>,
): boolean => {
  const entry = bundleProcedures.find((x) => x.code === p.procedure);
  return !!entry && !!user && entry.decidedBy === user.role && units[entry.agency] === user.unit;
};

const entryOf = (procedure: string): ProcedureDefinition | undefined =>
  bundleProcedures.find((x) => x.code === procedure);

/** The result as the registry labels it (`result.fields` of the procedure's entry). */
const resultLines = (p: ProcedureState): [string, string][] => {
  const r = (p.result ?? {}) as Record<string, string | undefined>;
  return (entryOf(p.procedure)?.result.fields ?? []).map((f: ResultField) => {
    const value =
      f.format === 'date'
        ? fmtDate(r[f.key])
        : f.format === 'dateRange'
          ? `${fmtDate(r[f.key])} – ${fmtDate(r[f.untilKey ?? ''])}`
          : (r[f.key] ?? (f.missing ? pick(f.missing) : '—'));
    return [pick(f.label), value];
  });
};

/** Makes a result PDF in the browser (pdf-lib + Be Vietnam Pro, loaded on first use) and downloads it. */
export const PdfButton = ({ input, procedure }: { input: PdfInput; procedure: string }) => {
  const doc: ResultDocument | undefined = entryOf(procedure)?.result.document;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!doc) return null;
  const go = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { makePdf } = await import('../../pdf');
      const { bytes, fileName } = await makePdf(doc, input);
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="btn" onClick={go} disabled={busy} aria-busy={busy}>
        {busy ? t('makingPdf') : `${t('printPdf')}: ${pick(procedureNames[procedure])}`}
      </button>
      {error ? <ErrorBox error={error} /> : null}
    </>
  );
};

export const ProcedureCard = ({
  p,
  canDecide,
  onDecide,
  onExtend,
  pdf,
  slips = [],
  caseEnded,
}: {
  p: ProcedureState;
  /** The case is closed (the birth refused): a procedure that never started will not start (issue 12). */
  caseEnded?: boolean;
  canDecide?: boolean;
  onDecide?: (p: ProcedureState) => void;
  onExtend?: (p: ProcedureState) => void;
  pdf?: PdfInput | undefined;
  /** Apology slips about this procedure, oldest first: the latest is shown. */
  slips?: ApologySlip[];
}) => (
  <li
    class={`proc proc-${p.status.toLowerCase()}${p.overdue ? ' proc-overdue' : ''}`}
    aria-labelledby={`proc-${p.procedure}`}
  >
    <div class="proc-head">
      <h3 id={`proc-${p.procedure}`}>{pick(procedureNames[p.procedure] ?? p.name)}</h3>
      {p.status === 'NOT_STARTED' && caseEnded ? (
        <span class="badge badge-not_started">{tx('Không thực hiện', 'Not carried out')}</span>
      ) : (
        <StatusBadge status={p.status} overdue={p.overdue} />
      )}
    </div>
    {p.status === 'NOT_STARTED' &&
      p.procedure !== 'BIRTH' &&
      (caseEnded ? (
        <p class="muted small">
          {tx(
            'Không thực hiện vì hồ sơ đã kết thúc (đăng ký khai sinh bị từ chối).',
            'Not carried out: the case ended (the birth registration was refused).',
          )}
        </p>
      ) : (
        <p class="muted small">{tx('Bắt đầu khi đăng ký khai sinh xong.', 'Starts once the birth is registered.')}</p>
      ))}
    <dl class="kv">
      {p.dueAt && p.status === 'IN_REVIEW' && (
        <>
          <dt>{t('due')}</dt>
          <dd>
            {fmtDateTime(p.dueAt)}
            {p.extensions ? ` (${tx('đã gia hạn', 'extended')})` : ''}
          </dd>
        </>
      )}
      {p.extensions ? (
        <>
          <dt>{tx('Gia hạn', 'Extensions')}</dt>
          <dd>{tx(`${p.extensions} lần`, p.extensions === 1 ? 'once' : `${p.extensions} times`)}</dd>
        </>
      ) : null}
      {p.supplementDueAt && p.status === 'SUPPLEMENT_REQUESTED' && (
        <>
          <dt>{t('supplementBy')}</dt>
          <dd>{fmtDateTime(p.supplementDueAt)}</dd>
        </>
      )}
      {/* A refusal's note is the officer's reason: shown once, on the refusal line (issue 12). The reason of an
          earlier supplement request stays when the refusal is for a missed supplement. */}
      {p.lastReason &&
        (p.status === 'SUPPLEMENT_REQUESTED' || (p.status === 'REFUSED' && p.refusal?.note !== p.lastReason)) && (
          <>
            <dt>{t('reason')}</dt>
            <dd>{p.lastReason}</dd>
          </>
        )}
      {p.refusal && (
        <>
          <dt>{t('refuse')}</dt>
          <dd>
            {p.refusal.reason === 'SUPPLEMENT_MISSED'
              ? tx('Không bổ sung đúng hạn', 'No supplement in time')
              : tx('Cơ quan từ chối', 'Refused by the agency')}
            {p.refusal.note ? ` · ${p.refusal.note}` : ''}
          </dd>
        </>
      )}
      {p.status === 'COMPLETED' &&
        resultLines(p).map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
    {slips.length > 0 &&
      (p.status === 'IN_REVIEW' ? (
        <SlipNotice slip={slips.at(-1)!} />
      ) : (
        // Once decided, the moved appointment is history: kept, folded.
        <details class="slip-past">
          <summary>{tx('Phiếu xin lỗi và hẹn lại đã gửi', 'Apology slip sent')}</summary>
          <SlipNotice slip={slips.at(-1)!} />
        </details>
      ))}
    <div class="proc-actions">
      {canDecide && p.status === 'IN_REVIEW' && onDecide && (
        <button type="button" class="btn btn-primary" onClick={() => onDecide(p)}>
          {tx('Ra quyết định', 'Decide')}
          <span class="sr-only">: {pick(procedureNames[p.procedure])}</span>
        </button>
      )}
      {canDecide && p.status === 'IN_REVIEW' && onExtend && p.extendedRound !== p.round && (
        <button type="button" class="btn" onClick={() => onExtend(p)}>
          {tx('Gia hạn và gửi phiếu xin lỗi', 'Extend and send an apology slip')}
          <span class="sr-only">: {pick(procedureNames[p.procedure])}</span>
        </button>
      )}
      {p.status === 'COMPLETED' && pdf && <PdfButton input={pdf} procedure={p.procedure} />}
    </div>
  </li>
);
