import {
  caseStatus,
  channelNames,
  decisionNames,
  delayReasonNames,
  eventNames,
  fmtDateTime,
  notificationNames,
  pick,
  procedureNames,
  roleNames,
  type Text,
  t,
  tx,
} from '../../i18n';

import type { TimelineEntry } from './slips';

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

/**
 * The case's events, oldest first. Officers see them numbered 1, 2, 3… (their timeline leaves out the audit events,
 * so the chain's own numbers would jump: #3 → #5 → #9, issue 12); the auditor's full chain shows its `seq`.
 */
export const Timeline = ({
  entries,
  numbers = 'position',
}: {
  entries: TimelineEntry[];
  numbers?: 'position' | 'seq';
}) => (
  <ol class="timeline">
    {entries.map((e, i) => (
      <li key={e.seq}>
        <time dateTime={e.at}>{fmtDateTime(e.at)}</time>
        <div>
          <strong>
            #{numbers === 'seq' ? e.seq : i + 1} {pick(eventNames[e.type] ?? { vi: e.type, en: e.type })}
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
