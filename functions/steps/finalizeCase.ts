/**
 * Step FinalizeCase: the case closes COMPLETED, PARTIALLY_COMPLETED or REFUSED, with each procedure's result.
 * A REFUSED case gives back its uniqueness claims: the child has no birth record, so the family may file a corrected
 * dossier (a retry of this step releases them again, a no-op).
 */

import { clock } from '#adapters/config.js';
import { caseStore } from '#adapters/store.js';
import { closingStatus, projectCase } from '#domain/caseState.js';
import type { Dossier } from '#domain/dossier.js';
import { deepMerge, eventsOfType } from '#domain/eventLog.js';
import { type CaseEvent, systemActor } from '#domain/events.js';
import { duplicateKeys } from '#domain/rules.js';

/** Every version of the case's dossier: as filed, then after each supplement. */
const dossierVersions = (events: CaseEvent[]): Dossier[] => {
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  if (!filed) return [];
  const versions = [filed.data.dossier];
  for (const s of eventsOfType(events, 'SUPPLEMENT_SUBMITTED')) {
    if (s.data.changes) versions.push(deepMerge(versions.at(-1), s.data.changes) as Dossier);
  }
  return versions;
};

export const handler = async ({ caseId }: { caseId: string }) => {
  const store = caseStore();
  const r = await store.appendOnce(
    caseId,
    'close',
    (events) => ({
      actor: systemActor,
      key: 'close',
      data: { type: 'CASE_CLOSED', status: closingStatus(projectCase(events)) },
    }),
    clock().now(),
  );
  const s = r!.state;
  if (s.status === 'REFUSED') {
    // Only the claims this case holds are released (releaseClaim is conditional on the holder).
    for (const d of dossierVersions(r!.events)) {
      for (const k of duplicateKeys(d)) await store.releaseClaim(k.kind, k.value, caseId);
    }
  }
  return {
    caseId,
    status: s.status,
    procedures: Object.fromEntries(Object.values(s.procedures).map((p) => [p.procedure, p.status])),
  };
};
