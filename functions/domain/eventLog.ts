/**
 * Reading a case's event log: the events of one type, and the dossier as it stands after every accepted supplement and
 * correction.
 */
import type { Dossier } from './dossier.js';
import type { CaseEvent, EventData } from './events.js';

type Of<T extends EventData['type']> = CaseEvent<Extract<EventData, { type: T }>>;
export const eventsOfType = <T extends EventData['type']>(events: CaseEvent[], type: T): Of<T>[] =>
  events.filter((e): e is Of<T> => e.data.type === type);

/** The dossier as filed, with every accepted supplement's and correction's changes applied in log order. */
export const effectiveDossier = (events: CaseEvent[]): Dossier => {
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  if (!filed) throw new Error('No DOSSIER_FILED event');
  let d: Dossier = filed.data.dossier;
  for (const e of events) {
    if ((e.data.type === 'SUPPLEMENT_SUBMITTED' || e.data.type === 'DOSSIER_CORRECTED') && e.data.changes) {
      d = deepMerge(d, e.data.changes) as Dossier;
    }
  }
  return d;
};

/**
 * The dossier's version: the seq of the event that made the current dossier (its filing, or the last supplement with
 * changes or correction). A supplement is checked against one version and recorded only if it is still current.
 */
export const dossierVersion = (events: CaseEvent[]): number =>
  events.findLast(
    (e) =>
      e.data.type === 'DOSSIER_FILED' ||
      ((e.data.type === 'SUPPLEMENT_SUBMITTED' || e.data.type === 'DOSSIER_CORRECTED') && e.data.changes !== undefined),
  )?.seq ?? 0;

export const deepMerge = (base: unknown, patch: unknown): unknown => {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
  return out;
};
