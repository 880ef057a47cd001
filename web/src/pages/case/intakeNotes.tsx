import { intakeNoteNames, pick, type Text, tx } from '../../i18n';
import type { TimelineEntry } from './slips';

export interface IntakeNote {
  kind: string;
  /** The dossier path the note is about (`child.dateOfBirth`, `residence.consent`, ...). */
  field?: string;
  message: Text;
}

/** The notes the intake check recorded on DOSSIER_RECEIVED. */
export const intakeNotesOf = (entries: TimelineEntry[]): IntakeNote[] => {
  const received = entries.find((e) => e.type === 'DOSSIER_RECEIVED');
  return (Array.isArray(received?.data.notes) ? received.data.notes : []) as IntakeNote[];
};

/** What the intake check found and the officer must see: late registration, mapped addresses, consent, marriage... */
export const IntakeNotes = ({
  entries,
  lateRegistration,
}: {
  entries: TimelineEntry[];
  lateRegistration?: boolean;
}) => {
  const received = entries.find((e) => e.type === 'DOSSIER_RECEIVED');
  const notes = intakeNotesOf(entries);
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
