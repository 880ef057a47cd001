/**
 * One case (GET /cases/{id}): every procedure with its status, deadline and result, the officer's decision dialogs
 * (POST /cases/{id}/decisions), the results as PDF, and the timeline.
 */
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CaseState, ProcedureState } from '#domain/caseState.js';
import type { Dossier } from '#domain/dossier.js';
import { ApiError, call, session } from '../api';
import {
  caseStatus,
  channelNames,
  decisionNames,
  delayReasonNames,
  eventNames,
  fmtDate,
  fmtDateTime,
  intakeNoteNames,
  lang,
  notificationNames,
  pick,
  procedureNames,
  roleNames,
  type Text,
  t,
  tx,
} from '../i18n';
import type { PdfInput } from '../pdf';
import { useSignal } from '../signal';
import { Dialog, ErrorBox, Loading, Notice, StatusBadge, TextAreaField, useLoad, usePageTitle } from '../ui';

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

const ORDER = ['BIRTH', 'RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD'] as const;
const agencyOf: Record<string, string> = {
  BIRTH: 'CIVIL_STATUS',
  RESIDENCE: 'POLICE',
  HEALTH_INSURANCE: 'SOCIAL_SECURITY',
  ID_CARD: 'IDENTITY',
};
const agenciesOfRole: Record<string, string[]> = {
  'civil-status-officer': ['CIVIL_STATUS'],
  'police-officer': ['POLICE', 'IDENTITY'],
  'insurance-officer': ['SOCIAL_SECURITY'],
};

/** The procedures a case really has: three, or four with the ID card (NOT_REQUESTED ones are left out). */
export const shownProcedures = (procedures: Record<string, ProcedureState>) =>
  ORDER.map((k) => procedures[k]).filter((p): p is ProcedureState => !!p && p.status !== 'NOT_REQUESTED');

const resultLines = (p: ProcedureState): [string, string][] => {
  const r = (p.result ?? {}) as Record<string, string | undefined>;
  switch (p.procedure) {
    case 'BIRTH':
      return [
        [tx('Số đăng ký khai sinh', 'Birth registration number'), r.birthRegistrationNumber ?? '—'],
        [tx('Số định danh cá nhân', 'Personal ID number'), r.personalIdNumber ?? tx('chưa có', 'not yet assigned')],
        [tx('Ngày đăng ký', 'Registered on'), fmtDate(r.registeredOn)],
      ];
    case 'RESIDENCE':
      return [
        [tx('Số thông báo', 'Notice number'), r.noticeNumber ?? '—'],
        [tx('Ngày đăng ký thường trú', 'Registered on'), fmtDate(r.registeredOn)],
      ];
    case 'HEALTH_INSURANCE':
      return [
        [tx('Mã số BHXH (mã thẻ)', 'Card number'), r.cardNumber ?? '—'],
        [tx('Mã thẻ cũ (15 ký tự)', 'Legacy card code'), r.legacyCardCode ?? '—'],
        [tx('Giá trị sử dụng', 'Valid'), `${fmtDate(r.validFrom)} – ${fmtDate(r.validUntil)}`],
        [tx('Nơi KCB ban đầu', 'Initial care facility'), r.initialCareFacility ?? '—'],
      ];
    case 'ID_CARD':
      return [
        [tx('Số thẻ căn cước', 'ID card number'), r.idCardNumber ?? '—'],
        [tx('Có giá trị đến', 'Valid until'), fmtDate(r.validUntil)],
      ];
    default:
      return [];
  }
};

const pdfKinds: Record<string, 'birth' | 'residence' | 'insurance' | undefined> = {
  BIRTH: 'birth',
  RESIDENCE: 'residence',
  HEALTH_INSURANCE: 'insurance',
};

/** Makes a result PDF in the browser (pdf-lib + Be Vietnam Pro, loaded on first use) and downloads it. */
export const PdfButton = ({ input, procedure }: { input: PdfInput; procedure: string }) => {
  const kind = pdfKinds[procedure];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  if (!kind) return null;
  const go = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { makePdf } = await import('../pdf');
      const { bytes, fileName } = await makePdf(kind, input);
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
}: {
  p: ProcedureState;
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
      <StatusBadge status={p.status} overdue={p.overdue} />
    </div>
    {p.status === 'NOT_STARTED' && p.procedure !== 'BIRTH' && (
      <p class="muted small">{tx('Bắt đầu khi đăng ký khai sinh xong.', 'Starts once the birth is registered.')}</p>
    )}
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
      {p.lastReason && (p.status === 'SUPPLEMENT_REQUESTED' || p.status === 'REFUSED') && (
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

const label = (names: Record<string, Text>, key: string | undefined) =>
  key ? pick(names[key] ?? { vi: key, en: key }) : '';

const describeEvent = (e: TimelineEntry): string => {
  const d = e.data as Record<string, string | undefined>;
  const proc = d.procedure ? pick(procedureNames[d.procedure]) : '';
  switch (e.type) {
    case 'DOSSIER_RECEIVED': {
      const notes = Array.isArray(e.data.notes) ? e.data.notes.length : 0;
      const bundle = (e.data.deadlines as { bundle?: string } | undefined)?.bundle;
      return [
        bundle ? `${t('bundleDeadline')} ${fmtDateTime(bundle)}` : '',
        e.data.lateRegistration ? tx('đăng ký quá hạn', 'late registration') : '',
        notes ? tx(`${notes} lưu ý`, notes === 1 ? '1 note' : `${notes} notes`) : '',
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'DEADLINE_EXTENDED':
      return `${proc} · ${label(delayReasonNames, d.reason)}${d.note ? ` · “${d.note}”` : ''} · ${fmtDateTime(d.oldDueAt)} → ${fmtDateTime(d.newDueAt)}`;
    case 'TASK_OPENED':
      return `${proc} · ${d.kind === 'SUPPLEMENT' ? tx('chờ người dân bổ sung', 'waiting for the family') : tx('chờ cơ quan quyết định', 'waiting for a decision')} · ${t('due')} ${fmtDateTime(d.dueAt)}`;
    case 'DECISION_RECORDED':
      return `${proc} · ${pick(decisionNames[d.decision ?? ''])}${d.reason ? ` · “${d.reason}”` : ''}`;
    case 'SUPPLEMENT_SUBMITTED':
      return `${proc}${d.note ? ` · “${d.note}”` : ''}`;
    case 'PROCEDURE_COMPLETED':
    case 'PROCEDURE_REFUSED':
    case 'ESCALATED':
      return proc;
    case 'NOTIFICATION_SENT':
      return [label(channelNames, d.channel), label(notificationNames, d.template), proc].filter(Boolean).join(' · ');
    case 'CASE_CLOSED':
      return pick(caseStatus[d.status ?? '']);
    case 'DOSSIER_FILED':
      return d.dossierCode ?? '';
    default:
      return '';
  }
};

export const Timeline = ({ entries }: { entries: TimelineEntry[] }) => (
  <ol class="timeline">
    {entries.map((e) => (
      <li key={e.seq}>
        <time dateTime={e.at}>{fmtDateTime(e.at)}</time>
        <div>
          <strong>
            #{e.seq} {pick(eventNames[e.type] ?? { vi: e.type, en: e.type })}
          </strong>{' '}
          <span class="muted">
            · {pick(roleNames[e.actor.role] ?? { vi: e.actor.role, en: e.actor.role })}
            {e.actor.unit ? ` ${e.actor.unit}` : ''}
          </span>
          <div>
            {describeEvent(e)}
            {e.deadline && (
              <span class={`badge ${e.deadline === 'MET' ? 'badge-completed' : 'badge-overdue'}`}>
                {e.deadline === 'MET' ? tx('Đúng hạn', 'On time') : tx('Trễ hạn', 'Late')}
              </span>
            )}
          </div>
        </div>
      </li>
    ))}
  </ol>
);

export const fullName = (c: { surname: string; middleName?: string; givenName: string }) =>
  [c.surname, c.middleName, c.givenName].filter(Boolean).join(' ');

type DecisionKind = 'APPROVED' | 'SUPPLEMENT_REQUESTED' | 'REFUSED';

const DecisionDialog = ({
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
    needsReason && reason.trim().length > 0 && reason.trim().length < 5
      ? tx('Lý do cần ít nhất 5 ký tự.', 'The reason needs at least 5 characters.')
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
            disabled={busy || (needsReason && reason.trim().length < 5)}
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

interface IntakeNote {
  kind: string;
  field?: string;
  message: Text;
}

/** What the intake check found and the officer must see: late registration, mapped addresses, consent, marriage... */
export const IntakeNotes = ({
  entries,
  lateRegistration,
}: {
  entries: TimelineEntry[];
  lateRegistration?: boolean;
}) => {
  const received = entries.find((e) => e.type === 'DOSSIER_RECEIVED');
  const notes = (Array.isArray(received?.data.notes) ? received.data.notes : []) as IntakeNote[];
  const late = lateRegistration ?? received?.data.lateRegistration === true;
  const showLate = late && !notes.some((n) => n.kind === 'LATE_REGISTRATION');
  if (!notes.length && !showLate) return null;
  return (
    <section class="alert alert-warn intake" aria-labelledby="intake-notes">
      <h2 id="intake-notes">{tx('Lưu ý khi tiếp nhận', 'Notes at intake')}</h2>
      <ul>
        {showLate && (
          <li>
            <strong>{pick(intakeNoteNames.LATE_REGISTRATION)}</strong>
          </li>
        )}
        {notes.map((n, i) => (
          <li key={`${n.kind}:${n.field ?? i}`}>
            <strong>{pick(intakeNoteNames[n.kind] ?? { vi: n.kind, en: n.kind })}:</strong> {pick(n.message)}
          </li>
        ))}
      </ul>
    </section>
  );
};

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

export const CasePage = ({ caseId }: { caseId: string }) => {
  const s = useSignal(session);
  const c = useLoad((signal) => call<OfficerView>(`/cases/${encodeURIComponent(caseId)}`, { signal }), [caseId]);
  const [deciding, setDeciding] = useState<ProcedureState>();
  const [extending, setExtending] = useState<ProcedureState>();
  // The extension dialog is officer-only and rare: its code loads on first use, not with the parents' page.
  const [ExtDialog, setExtDialog] = useState<ComponentType<ExtensionDialogProps>>();
  const [extError, setExtError] = useState<unknown>();
  const openExtension = (p: ProcedureState) => {
    setExtError(undefined);
    import('./extension').then((m) => {
      setExtDialog(() => m.ExtensionDialog);
      setExtending(p);
    }, setExtError);
  };
  const [saved, setSaved] = useState<string>();
  const h = usePageTitle(c.data ? c.data.dossierCode : t('loading'));
  // The workflow moves on a moment after filing or a decision. Watch the light status read (no personal data, so not
  // recorded as an access) and read the whole case again only when a procedure has moved.
  const justDecided = useRef<string | undefined>(undefined);
  const unsettled =
    !!c.data &&
    (c.data.status === 'RECEIVED' ||
      (justDecided.current !== undefined &&
        c.data.procedures[justDecided.current as 'BIRTH']?.status === 'IN_REVIEW') ||
      Object.values(c.data.procedures).some(
        (p) => p.status === 'NOT_STARTED' && c.data!.procedures.BIRTH.status === 'COMPLETED',
      ) ||
      c.data.procedures.BIRTH.status === 'NOT_STARTED');
  useEffect(() => {
    if (!unsettled || c.loading || deciding || extending || !c.data) return;
    const signature = (x: { status: string; procedures: Record<string, { status: string; round: number }> }) =>
      JSON.stringify([
        x.status,
        Object.keys(x.procedures)
          .sort()
          .map((k) => [k, x.procedures[k]!.status, x.procedures[k]!.round]),
      ]);
    const current = signature(c.data as unknown as Parameters<typeof signature>[0]);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let tries = 0;
    const tick = async () => {
      if (stopped || tries++ > 60) return;
      try {
        const st = await call<Parameters<typeof signature>[0]>(`/cases/${encodeURIComponent(caseId)}/status`);
        if (!stopped && signature(st) !== current) {
          c.reload();
          return;
        }
      } catch {
        /* a missed tick is retried */
      }
      if (!stopped) timer = setTimeout(() => void tick(), 700);
    };
    timer = setTimeout(() => void tick(), 300);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [c.data, c.loading, deciding, extending]);
  if (c.loading && !c.data) return <Loading />;
  if (c.error && !c.data) return <ErrorBox error={c.error} onRetry={c.reload} />;
  const v = c.data!;
  const mine = agenciesOfRole[s?.user.role ?? ''] ?? [];
  const canDecide = (p: ProcedureState) => {
    const agency = agencyOf[p.procedure]!;
    return mine.includes(agency) && v.units[agency as keyof typeof v.units] === s?.user.unit;
  };
  const d = v.dossier;
  const pdf: PdfInput = { dossierCode: v.dossierCode, child: d.child, dossier: d, procedures: v.procedures };
  const slips = slipsOfTimeline(v.timeline);
  return (
    <section>
      <div class="page-head">
        <h1 ref={h} tabIndex={-1}>
          {tx('Hồ sơ', 'Case')} <code>{v.dossierCode}</code>
        </h1>
        <button type="button" class="btn" onClick={c.reload} disabled={c.loading}>
          {c.loading ? t('loading') : t('refresh')}
        </button>
      </div>
      {saved && <Notice kind="success">{saved}</Notice>}
      <dl class="kv summary">
        <dt>{t('status')}</dt>
        <dd>{pick(caseStatus[v.status])}</dd>
        <dt>{t('child')}</dt>
        <dd>
          {fullName(d.child)} · {fmtDate(d.child.dateOfBirth)}
        </dd>
        <dt>{t('receivedAt')}</dt>
        <dd>{fmtDateTime(v.receivedAt)}</dd>
        {v.deadlines && (
          <>
            <dt>{t('bundleDeadline')}</dt>
            <dd>{fmtDateTime(v.deadlines.bundle)}</dd>
          </>
        )}
        {d.mother && (
          <>
            <dt>{tx('Mẹ', 'Mother')}</dt>
            <dd>{d.mother.fullName}</dd>
          </>
        )}
        {d.father && (
          <>
            <dt>{tx('Cha', 'Father')}</dt>
            <dd>{d.father.fullName}</dd>
          </>
        )}
        <dt>{tx('Người yêu cầu', 'Applicant')}</dt>
        <dd>
          {d.applicant.fullName} · {d.applicant.phone}
        </dd>
      </dl>
      {extError ? <ErrorBox error={extError} /> : null}
      <IntakeNotes entries={v.timeline} lateRegistration={v.lateRegistration} />
      <h2>{tx('Các thủ tục', 'Procedures')}</h2>
      <ul class="procs">
        {shownProcedures(v.procedures).map((p) => (
          <ProcedureCard
            key={p.procedure}
            p={p}
            canDecide={canDecide(p)}
            onDecide={setDeciding}
            onExtend={openExtension}
            pdf={pdf}
            slips={slips.filter((x) => slipProcedure(x) === p.procedure)}
          />
        ))}
      </ul>
      <h2>{t('timeline')}</h2>
      <Timeline entries={v.timeline} />
      {deciding && (
        <DecisionDialog
          caseId={v.caseId}
          p={deciding}
          onClose={() => setDeciding(undefined)}
          onDone={() => {
            setDeciding(undefined);
            setSaved(`${t('decisionSaved')} ${pick(procedureNames[deciding.procedure])}`);
            // The workflow moves on right after the answer: watch its status until the procedure moves.
            justDecided.current = deciding.procedure;
            c.reload();
          }}
        />
      )}
      {extending && ExtDialog && (
        <ExtDialog
          caseId={v.caseId}
          p={extending}
          onClose={() => setExtending(undefined)}
          onDone={(r) => {
            setSaved(
              `${tx('Đã gia hạn', 'Deadline extended')}: ${pick(procedureNames[r.procedure])} · ${tx('hẹn mới', 'new appointment')} ${fmtDateTime(r.newDueAt)}`,
            );
            // The dialog stays open on the slip; the page behind already shows the moved deadline.
            c.reload();
          }}
        />
      )}
    </section>
  );
};
