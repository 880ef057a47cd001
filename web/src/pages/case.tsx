/**
 * One case (GET /cases/{id}): every procedure with its status, deadline and result, the officer's decision dialogs
 * (POST /cases/{id}/decisions), the results as PDF, and the timeline.
 */
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProcedureState } from '#domain/caseState.js';
import { call, session } from '../api';
import { caseStatus, fmtDate, fmtDateTime, pick, procedureNames, t, tx } from '../i18n';
import type { PdfInput } from '../pdf';
import { useSignal } from '../signal';
import { ErrorBox, Loading, Notice, useLoad, usePageTitle } from '../ui';

import { DecisionDialog } from './case/decisionDialog';
import type { DossierViewProps } from './case/dossierView';
import { IntakeNotes, intakeNotesOf } from './case/intakeNotes';
import { mayDecide, ProcedureCard, shownProcedures } from './case/procedureCard';
import { type OfficerView, slipProcedure, slipsOfTimeline } from './case/slips';
import { fullName, Timeline } from './case/timeline';
import type { ExtensionDialogProps } from './extension';

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
  // The dossier's sections are officer-only too: loaded with the page, outside the first load (the parents' page).
  const [DossierView, setDossierView] = useState<ComponentType<DossierViewProps>>();
  const [viewError, setViewError] = useState<unknown>();
  useEffect(() => {
    import('./case/dossierView').then((m) => setDossierView(() => m.DossierView), setViewError);
  }, []);
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
  const canDecide = (p: ProcedureState) => mayDecide(s?.user, p, v.units);
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
        {v.deadlines && v.status !== 'REFUSED' && (
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
            caseEnded={v.status === 'REFUSED'}
            canDecide={canDecide(p)}
            onDecide={setDeciding}
            onExtend={openExtension}
            pdf={pdf}
            slips={slips.filter((x) => slipProcedure(x) === p.procedure)}
          />
        ))}
      </ul>
      {viewError ? <ErrorBox error={viewError} /> : null}
      {DossierView ? (
        <DossierView
          dossier={d}
          notes={intakeNotesOf(v.timeline)}
          role={s?.user.role}
          procedures={shownProcedures(v.procedures)}
        />
      ) : (
        !viewError && <Loading />
      )}
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
