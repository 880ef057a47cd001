/**
 * The parent's page, no account needed: the dossier code and the secret from the receipt (GET /tracking/{code} with
 * `x-tracking-secret`). One view of every procedure; refreshes itself while the case is open; answers a supplement
 * request (POST /tracking/{code}/supplements). Mobile-first.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CaseState } from '#domain/caseState.js';
import { ApiError, call } from '../api';
import {
  caseStatus,
  fmtDate,
  fmtDateTime,
  notificationNames,
  pick,
  procedureNames,
  procedureStatus,
  t,
  tx,
} from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Field, Loading, Notice, TextAreaField, usePageTitle } from '../ui';
import { ProcedureCard, shownProcedures } from './case/procedureCard';
import { type ApologySlip, slipProcedure } from './case/slips';
import { fullName } from './case/timeline';

interface TrackingView {
  dossierCode: string;
  status: CaseState['status'];
  receivedAt: string;
  deadlines?: CaseState['deadlines'];
  child: { surname: string; middleName?: string; givenName: string; dateOfBirth: string };
  procedures: CaseState['procedures'];
  supplementRequests: { procedure: string; round: number; reason?: string; dueAt?: string; at: string }[];
  /** Phiếu xin lỗi và hẹn lại: every appointment moved, with the agency's apology (absent on older servers). */
  apologySlips?: ApologySlip[];
  notifications: { at: string; template: string; procedure?: string }[];
}

const secretKey = (code: string) => `lienthong.track.${code}`;
const POLL_MS = 4000;

export const TrackPage = ({ code }: { code?: string | undefined }) => {
  const h = usePageTitle(t('trackTitle'));
  const [codeInput, setCodeInput] = useState(code ?? '');
  const [secret, setSecret] = useState(() => (code ? (sessionStorage.getItem(secretKey(code)) ?? '') : ''));
  const [view, setView] = useState<TrackingView>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const load = async (c: string, s: string, quiet = false) => {
    if (!quiet) setBusy(true);
    try {
      const v = await call<TrackingView>(`/tracking/${encodeURIComponent(c)}`, {
        auth: false,
        headers: { 'x-tracking-secret': s },
      });
      sessionStorage.setItem(secretKey(c), s);
      setView(v);
      setError(undefined);
      if (code !== c) history.replaceState(null, '', `#/track/${encodeURIComponent(c)}`);
    } catch (e) {
      if (!quiet) {
        setView(undefined);
        setError(e);
      }
    } finally {
      if (!quiet) setBusy(false);
    }
  };

  useEffect(() => {
    if (code && secret) void load(code, secret);
  }, []);

  // While the case is open, results arrive on their own.
  const open = view && (view.status === 'RECEIVED' || view.status === 'IN_PROGRESS');
  useEffect(() => {
    if (!open || !view) return;
    const timer = setInterval(() => void load(view.dossierCode, secret, true), POLL_MS);
    return () => clearInterval(timer);
  }, [open, view?.dossierCode, secret]);

  const submit = (e: Event) => {
    e.preventDefault();
    const c = codeInput.trim().toUpperCase();
    if (c && secret.trim()) void load(c, secret.trim().toUpperCase());
  };

  return (
    <section class="track">
      <h1 ref={h} tabIndex={-1}>
        {t('trackTitle')}
      </h1>
      {!view && (
        <form class="stack narrow" onSubmit={submit} noValidate>
          <p>{t('trackIntro')}</p>
          {error ? <ErrorBox error={error} /> : null}
          <Field
            label={t('dossierCode')}
            required
            hint={tx('Ví dụ: LT-00004-261123-ABC123', 'For example: LT-00004-261123-ABC123')}
          >
            {({ id, describedBy }) => (
              <input
                id={id}
                name="code"
                autoCapitalize="characters"
                autoComplete="off"
                spellcheck={false}
                required
                aria-describedby={describedBy}
                value={codeInput}
                onInput={(e) => setCodeInput(e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label={t('secret')} required>
            {({ id }) => (
              <input
                id={id}
                name="secret"
                autoCapitalize="characters"
                autoComplete="off"
                spellcheck={false}
                required
                value={secret}
                onInput={(e) => setSecret(e.currentTarget.value)}
              />
            )}
          </Field>
          <button class="btn btn-primary" type="submit" disabled={busy || !codeInput.trim() || !secret.trim()}>
            {busy ? t('loading') : t('lookUp')}
          </button>
        </form>
      )}
      {busy && !view ? <Loading /> : null}
      {view && (
        <TrackingResult
          view={view}
          secret={secret}
          reload={() => load(view.dossierCode, secret, true)}
          onLeave={() => {
            setView(undefined);
            navigate('#/track');
          }}
        />
      )}
    </section>
  );
};

const TrackingResult = ({
  view,
  secret,
  reload,
  onLeave,
}: {
  view: TrackingView;
  secret: string;
  reload: () => Promise<void>;
  onLeave: () => void;
}) => {
  const procs = shownProcedures(view.procedures);
  const waiting = procs.filter((p) => p.status === 'SUPPLEMENT_REQUESTED');
  const done = procs.filter((p) => p.status === 'COMPLETED').length;
  const pdf = { dossierCode: view.dossierCode, child: view.child, procedures: view.procedures };
  const slips = view.apologySlips ?? [];
  const [sent, setSent] = useState<string>();
  return (
    <>
      {sent && (
        <Notice kind="success">
          {t('supplementSent')} ({pick(procedureNames[sent])})
        </Notice>
      )}
      <dl class="kv summary">
        <dt>{t('dossierCode')}</dt>
        <dd>
          <code>{view.dossierCode}</code>
        </dd>
        <dt>{t('child')}</dt>
        <dd>
          {fullName(view.child)} · {fmtDate(view.child.dateOfBirth)}
        </dd>
        <dt>{t('status')}</dt>
        <dd>{pick(caseStatus[view.status])}</dd>
        <dt>{t('receivedAt')}</dt>
        <dd>{fmtDateTime(view.receivedAt)}</dd>
        {view.deadlines && (
          <>
            <dt>{t('bundleDeadline')}</dt>
            <dd>{fmtDateTime(view.deadlines.bundle)}</dd>
          </>
        )}
      </dl>
      <div class="progress-wrap">
        <label for="track-progress">
          {tx(`Đã có ${done}/${procs.length} kết quả`, `${done} of ${procs.length} results ready`)}
        </label>
        <progress id="track-progress" max={procs.length} value={done} />
      </div>
      <p class="sr-only" aria-live="polite">
        {procs.map((p) => `${pick(procedureNames[p.procedure])}: ${pick(procedureStatus[p.status])}`).join('; ')}
        {slips.length > 0
          ? `; ${tx('Phiếu xin lỗi và hẹn lại', 'Apology and new appointment')}: ${slips
              .map((x) => `${pick(x.procedureName)} ${fmtDateTime(x.newDueAt)}`)
              .join(', ')}`
          : ''}
      </p>
      {waiting.map((p) => (
        <SupplementForm
          key={`${p.procedure}:${p.round}`}
          code={view.dossierCode}
          secret={secret}
          procedure={p.procedure}
          request={view.supplementRequests.filter((r) => r.procedure === p.procedure).at(-1)}
          dueAt={p.supplementDueAt}
          onSent={async () => {
            setSent(p.procedure);
            await reload();
          }}
        />
      ))}
      <ul class="procs">
        {procs.map((p) => (
          <ProcedureCard
            key={p.procedure}
            p={p}
            pdf={pdf}
            slips={slips.filter((x) => slipProcedure(x) === p.procedure)}
            caseEnded={view.status === 'REFUSED'}
          />
        ))}
      </ul>
      {view.notifications.length > 0 && (
        <details>
          <summary>
            {t('notifications')} ({view.notifications.length})
          </summary>
          <ul class="notifications">
            {view.notifications.map((n) => (
              <li key={n.at + n.template + (n.procedure ?? '')}>
                <time dateTime={n.at}>{fmtDateTime(n.at)}</time> ·{' '}
                {pick(notificationNames[n.template] ?? { vi: n.template, en: n.template })}
                {n.procedure ? ` · ${pick(procedureNames[n.procedure])}` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p>
        <button type="button" class="btn btn-quiet" onClick={onLeave}>
          {tx('Tra cứu hồ sơ khác', 'Look up another dossier')}
        </button>
      </p>
    </>
  );
};

const SupplementForm = ({
  code,
  secret,
  procedure,
  request,
  dueAt,
  onSent,
}: {
  code: string;
  secret: string;
  procedure: string;
  request: TrackingView['supplementRequests'][number] | undefined;
  dueAt: string | undefined;
  onSent: () => Promise<void>;
}) => {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const noteIssue = error instanceof ApiError ? error.issues.find((i) => i.field === 'note') : undefined;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !note.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      await call(`/tracking/${encodeURIComponent(code)}/supplements`, {
        method: 'POST',
        auth: false,
        headers: { 'x-tracking-secret': secret },
        body: { procedure, note: note.trim() },
      });
      await onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="supplement stack" onSubmit={submit} noValidate aria-labelledby={`sup-${procedure}`}>
      <h2 id={`sup-${procedure}`}>
        {t('requestSupplement')}: {pick(procedureNames[procedure])}
      </h2>
      {request?.reason && (
        <p>
          <strong>{t('requestedBecause')}:</strong> {request.reason}
        </p>
      )}
      {(dueAt ?? request?.dueAt) && (
        <p>
          <strong>{t('supplementBy')}:</strong> {fmtDateTime(dueAt ?? request?.dueAt)}
        </p>
      )}
      {error && !noteIssue ? <ErrorBox error={error} /> : null}
      <TextAreaField
        label={t('supplementNote')}
        required
        error={noteIssue ? pick(noteIssue.message) : undefined}
        name="note"
        rows={4}
        value={note}
        onInput={setNote}
      />
      <button class="btn btn-primary" type="submit" disabled={busy || !note.trim()}>
        {busy ? t('loading') : t('supplementAnswer')}
      </button>
    </form>
  );
};
