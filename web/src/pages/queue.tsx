/** The officer's work queue (GET /queue?agency=): open tasks of their agency and unit, most urgent first. */

import { useState } from 'preact/hooks';
import { agenciesOfRole } from '#domain/procedures/bundle.js';
import type { Role } from '#domain/procedures/codes.js';
import { call, session } from '../api';
import { agencyNames, caseStatus, fmtDateTime, pick, procedureNames, t, tx } from '../i18n';
import { useSignal } from '../signal';
import { ErrorBox, Loading, useLoad, usePageTitle } from '../ui';

interface Task {
  caseId: string;
  procedure: string;
  kind: 'DECISION' | 'SUPPLEMENT';
  round: number;
  dueAt: string;
  dossierCode: string;
  overdue: boolean;
  openedAt: string;
}

export const QueuePage = () => {
  const s = useSignal(session)!;
  // The queues of the agencies whose procedures the officer's role decides (the registry's `decidedBy`).
  const agencies: string[] = agenciesOfRole[s.user.role as Role] ?? [];
  const [agency, setAgency] = useState(agencies[0] ?? '');
  const h = usePageTitle(t('queue'));
  const q = useLoad(
    (signal) =>
      agency
        ? call<{ tasks: Task[] }>(`/queue?agency=${encodeURIComponent(agency)}`, { signal })
        : Promise.resolve({ tasks: [] as Task[] }),
    [agency],
  );
  const tasks = [...(q.data?.tasks ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <section>
      <div class="page-head">
        <h1 ref={h} tabIndex={-1}>
          {t('queue')} · {s.user.unitName}
        </h1>
        <button type="button" class="btn" onClick={q.reload}>
          {t('refresh')}
        </button>
      </div>
      {agencies.length > 1 && (
        <fieldset class="tabs">
          <legend class="sr-only">{tx('Hàng đợi của cơ quan', 'Agency queue')}</legend>
          {agencies.map((a) => (
            <button type="button" key={a} aria-pressed={a === agency} onClick={() => setAgency(a)}>
              {pick(agencyNames[a])}
            </button>
          ))}
        </fieldset>
      )}
      {q.loading && !q.data ? <Loading /> : null}
      {q.error ? <ErrorBox error={q.error} onRetry={q.reload} /> : null}
      {q.data && tasks.length === 0 && <p class="empty">{t('empty')}</p>}
      {tasks.length > 0 && (
        <table class="table queue">
          <caption class="sr-only">
            {tx(`${tasks.length} việc chờ xử lý, sắp xếp theo hạn`, `${tasks.length} open tasks, by due time`)}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('dossierCode')}</th>
              <th scope="col">{t('procedure')}</th>
              <th scope="col">{t('due')}</th>
              <th scope="col">
                <span class="sr-only">{t('open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.caseId + task.procedure} class={task.overdue ? 'row-overdue' : undefined}>
                <td data-label={t('dossierCode')}>
                  <code>{task.dossierCode}</code>
                </td>
                <td data-label={t('procedure')}>
                  {pick(procedureNames[task.procedure])}
                  {task.kind === 'SUPPLEMENT' ? ` · ${tx('chờ bổ sung', 'awaiting supplement')}` : ''}
                  {task.round > 1 ? ` · ${tx('lần', 'round')} ${task.round}` : ''}
                </td>
                <td data-label={t('due')}>
                  {fmtDateTime(task.dueAt)}{' '}
                  {task.overdue ? <span class="badge badge-overdue">{t('overdue')}</span> : null}
                </td>
                <td>
                  <a class="btn" href={`#/cases/${encodeURIComponent(task.caseId)}`}>
                    {t('open')}
                    <span class="sr-only"> {task.dossierCode}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RecentCases />
    </section>
  );
};

interface CaseRow {
  caseId: string;
  dossierCode: string;
  status: string;
  receivedAt: string;
}

/** The unit's recent cases (GET /cases): to find a case that is no longer in the queue. */
const RecentCases = () => {
  const c = useLoad((signal) => call<{ cases: CaseRow[] }>('/cases?limit=20', { signal }), []);
  if (!c.data || c.data.cases.length === 0) return null;
  return (
    <details class="recent">
      <summary>{tx('Hồ sơ gần đây của đơn vị', "The unit's recent cases")}</summary>
      <ul>
        {c.data.cases.map((x) => (
          <li key={x.caseId}>
            <a href={`#/cases/${encodeURIComponent(x.caseId)}`}>
              <code>{x.dossierCode}</code>
            </a>{' '}
            · {pick(caseStatus[x.status])} · {fmtDateTime(x.receivedAt)}
          </li>
        ))}
      </ul>
    </details>
  );
};
