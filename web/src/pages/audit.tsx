/**
 * The auditor's console: find a case by id or dossier code, read its timeline, and use the audit endpoints
 * (verify the hash chain, replay the workflow, export, access log). Those endpoints may not exist yet on a server:
 * a 404 shows "not available yet" and the rest of the page keeps working.
 */
import { useState } from 'preact/hooks';
import { ApiError, call, session } from '../api';
import { accessPurposeNames, caseStatus, fmtDate, fmtDateTime, pick, roleNames, t, tx } from '../i18n';
import { navigate } from '../router';
import { useSignal } from '../signal';
import { ErrorBox, Field, Loading, Notice, useLoad, usePageTitle } from '../ui';
import { ProcedureCard, shownProcedures } from './case/procedureCard';
import type { OfficerView, TimelineEntry } from './case/slips';
import { fullName, Timeline } from './case/timeline';

/** A dossier code names its commune (`LT-<commune>-<date>-<suffix>`): the unit's case list finds its case id. */
const findCaseId = async (input: string): Promise<string> => {
  const q = input.trim();
  const m = /^LT-(\d{5})-/i.exec(q);
  if (!m) return q;
  const r = await call<{ cases: { caseId: string; dossierCode: string }[] }>(`/cases?unit=${m[1]}&limit=200`);
  const hit = r.cases.find((c) => c.dossierCode.toUpperCase() === q.toUpperCase());
  if (!hit) throw new ApiError(404, 'case.notFound', { vi: 'Không tìm thấy hồ sơ.', en: 'Case not found.' });
  return hit.caseId;
};

export const AuditPage = ({ caseId }: { caseId?: string | undefined }) => {
  const h = usePageTitle(t('auditTitle'));
  const s = useSignal(session);
  const [query, setQuery] = useState(caseId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const find = async (e: Event) => {
    e.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      navigate(`#/audit/${encodeURIComponent(await findCaseId(query))}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1 ref={h} tabIndex={-1}>
        {t('auditTitle')}
      </h1>
      {s?.user.role !== 'auditor' && (
        <Notice kind="warn">
          {tx(
            'Trang này dành cho thanh tra; bạn chỉ thấy hồ sơ của đơn vị mình.',
            'This page is for auditors; you only see your own unit’s cases.',
          )}
        </Notice>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the phones we target */}
      <form class="search" onSubmit={find} role="search" noValidate>
        <Field label={t('caseIdOrCode')}>
          {({ id }) => (
            <input
              id={id}
              name="q"
              autoComplete="off"
              spellcheck={false}
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          )}
        </Field>
        <button class="btn btn-primary" type="submit" disabled={busy || !query.trim()}>
          {busy ? t('loading') : t('find')}
        </button>
      </form>
      {error ? <ErrorBox error={error} /> : null}
      {caseId && <AuditCase caseId={caseId} />}
    </section>
  );
};

interface AuditTimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: TimelineEntry['actor'];
  procedure?: string;
  round?: number;
  kind?: string;
  decision?: string;
  reason?: string;
  dueAt?: string;
  deadline?: 'MET' | 'MISSED';
}

/** The audit timeline (deadlines met or missed) when the server has it; otherwise the case's own timeline. */
const loadAuditTimeline = async (caseId: string, signal: AbortSignal): Promise<AuditTimelineEntry[] | undefined> => {
  try {
    return (
      await call<{ timeline: AuditTimelineEntry[] }>(`/audit/cases/${encodeURIComponent(caseId)}/timeline`, { signal })
    ).timeline;
  } catch (e) {
    if (notYet(e) || (e instanceof ApiError && e.status === 403)) return undefined;
    throw e;
  }
};

const AuditTimeline = ({ entries }: { entries: AuditTimelineEntry[] }) => (
  <Timeline
    numbers="seq"
    entries={entries.map((e) => ({
      seq: e.seq,
      at: e.at,
      type: e.type,
      actor: e.actor,
      data: { procedure: e.procedure, kind: e.kind, decision: e.decision, reason: e.reason, dueAt: e.dueAt },
      ...(e.deadline ? { deadline: e.deadline } : {}),
    }))}
  />
);

const AuditCase = ({ caseId }: { caseId: string }) => {
  const c = useLoad(
    async (signal) => {
      const [view, audit] = await Promise.all([
        call<OfficerView>(`/cases/${encodeURIComponent(caseId)}`, { signal }),
        loadAuditTimeline(caseId, signal),
      ]);
      return { view, audit };
    },
    [caseId],
  );
  if (c.loading) return <Loading />;
  if (c.error) return <ErrorBox error={c.error} onRetry={c.reload} />;
  const v = c.data!.view;
  const audit = c.data!.audit;
  return (
    <>
      <h2>
        <code>{v.dossierCode}</code> · {pick(caseStatus[v.status])}
      </h2>
      <p class="muted">
        {tx('Mã vụ việc', 'Case id')}: <code>{v.caseId}</code> · {fullName(v.dossier.child)} ·{' '}
        {fmtDate(v.dossier.child.dateOfBirth)}
      </p>
      <div class="audit-tools">
        <AuditAction caseId={v.caseId} label={t('verify')} path="verify" method="GET" />
        <AuditAction caseId={v.caseId} label={t('replay')} path="replay" method="POST" />
        <AuditAction caseId={v.caseId} label={t('accessLog')} path="access" method="GET" />
        <ExportAction caseId={v.caseId} />
      </div>
      <h2>{tx('Các thủ tục', 'Procedures')}</h2>
      <ul class="procs">
        {shownProcedures(v.procedures).map((p) => (
          <ProcedureCard key={p.procedure} p={p} />
        ))}
      </ul>
      <h2>{t('timeline')}</h2>
      {audit ? <AuditTimeline entries={audit} /> : <Timeline entries={v.timeline} />}
    </>
  );
};

const notYet = (e: unknown) => e instanceof ApiError && e.status === 404 && e.rule !== 'case.notFound';

/** One audit endpoint: run it, show what it answered (a summary line when it has `ok`, and the JSON). */
const AuditAction = ({
  caseId,
  label,
  path,
  method,
}: {
  caseId: string;
  label: string;
  path: string;
  method: 'GET' | 'POST';
}) => {
  const [state, setState] = useState<{ busy?: boolean; data?: unknown; error?: unknown }>({});
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ data: await call(`/audit/cases/${encodeURIComponent(caseId)}/${path}`, { method }) });
    } catch (error) {
      setState({ error });
    }
  };
  // verify answers `verified`; replay answers `verdict` ('verified' | 'diverged' | 'no-history').
  const d = (state.data ?? {}) as { verified?: boolean; verdict?: string; access?: AccessRow[] | object };
  const ok = d.verdict === 'no-history' ? undefined : d.verdict !== undefined ? d.verdict === 'verified' : d.verified;
  return (
    <div class="audit-action">
      <button type="button" class="btn" onClick={run} disabled={state.busy} aria-busy={!!state.busy}>
        {state.busy ? t('loading') : label}
      </button>
      <div aria-live="polite">
        {notYet(state.error) ? (
          <Notice kind="warn">{t('notAvailable')}</Notice>
        ) : state.error ? (
          <ErrorBox error={state.error} />
        ) : null}
        {ok !== undefined && (
          <Notice kind={ok ? 'success' : 'warn'}>
            {ok
              ? tx('Khớp: hồ sơ không bị thay đổi.', 'Match: the record is intact.')
              : tx('KHÔNG khớp — xem chi tiết.', 'MISMATCH — see the details.')}
          </Notice>
        )}
        {d.verdict === 'no-history' && (
          <Notice kind="warn">
            {tx('Chưa có lịch sử quy trình được lưu để chạy lại.', 'No archived workflow history to replay yet.')}
          </Notice>
        )}
        {/* verify also answers `access` (the access log's own chain check): only the access route's is a list */}
        {Array.isArray(d.access) && <AccessTable rows={d.access} />}
        {state.data !== undefined && (
          <details>
            <summary>{tx('Chi tiết', 'Details')}</summary>
            <pre class="json">{JSON.stringify(state.data, null, 2)}</pre>
          </details>
        )}
      </div>
    </div>
  );
};

interface AccessRow {
  seq: number;
  at: string;
  actor: { id: string; role: string; unit?: string };
  purpose: string;
}

const AccessTable = ({ rows }: { rows: AccessRow[] }) =>
  rows.length === 0 ? (
    <p class="muted">{tx('Chưa có lượt đọc nào.', 'No reads recorded.')}</p>
  ) : (
    <table class="table small">
      <caption>{tx(`${rows.length} lượt đọc dữ liệu cá nhân`, `${rows.length} reads of personal data`)}</caption>
      <thead>
        <tr>
          <th scope="col">{tx('Thời điểm', 'When')}</th>
          <th scope="col">{tx('Người đọc', 'Who')}</th>
          <th scope="col">{tx('Mục đích', 'Purpose')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.seq}>
            <td>{fmtDateTime(r.at)}</td>
            <td>
              {pick(roleNames[r.actor.role] ?? { vi: r.actor.role, en: r.actor.role })} {r.actor.unit ?? ''} ·{' '}
              <code>{r.actor.id}</code>
            </td>
            <td>{accessPurposeNames[r.purpose] ? pick(accessPurposeNames[r.purpose]) : <code>{r.purpose}</code>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

const ExportAction = ({ caseId }: { caseId: string }) => {
  const [state, setState] = useState<{ busy?: boolean; error?: unknown; done?: string }>({});
  const go = async (format: 'jsonl' | 'csv') => {
    setState({ busy: true });
    try {
      const s = session.get();
      const res = await fetch(`/audit/cases/${encodeURIComponent(caseId)}/export?format=${format}`, {
        headers: s ? { authorization: `Bearer ${s.token}` } : {},
      });
      const type = res.headers.get('content-type') ?? '';
      if (res.status === 404 || type.includes('text/html'))
        throw new ApiError(404, 'route.notFound', { vi: 'Không có', en: 'Missing' });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { message?: { vi: string; en: string } } };
        throw new ApiError(
          res.status,
          'error',
          body.error?.message ?? { vi: `Lỗi ${res.status}`, en: `Error ${res.status}` },
        );
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `case-${caseId}.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ done: a.download });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <div class="audit-action">
      <div class="row">
        <button type="button" class="btn" disabled={state.busy} onClick={() => go('jsonl')}>
          {t('export')} JSONL
        </button>
        <button type="button" class="btn" disabled={state.busy} onClick={() => go('csv')}>
          {t('export')} CSV
        </button>
      </div>
      <div aria-live="polite">
        {notYet(state.error) ? (
          <Notice kind="warn">{t('notAvailable')}</Notice>
        ) : state.error ? (
          <ErrorBox error={state.error} />
        ) : null}
        {state.done && <Notice kind="success">{state.done}</Notice>}
      </div>
    </div>
  );
};
