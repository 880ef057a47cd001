/**
 * Step ReceiveDossier: fixes the legal regime by the receipt date, computes the deadlines in working days, flags a
 * late registration, and sends the appointment (giấy hẹn) to the applicant. Returns the workflow's starting state.
 */

import { clock } from '#adapters/config.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';
import { bundleDeadlines, secondsUntil } from '#domain/deadlines.js';
import { effectiveDossier, eventsOfType } from '#domain/eventLog.js';
import { systemActor } from '#domain/events.js';
import { firstProcedure, registry } from '#domain/procedures/index.js';
import { offeredUnder, regimeFor } from '#domain/regime.js';
import { dossierNotes, isLateRegistration } from '#domain/rules.js';

export interface ReceiveDossierInput {
  caseId: string;
}

export const handler = async ({ caseId }: ReceiveDossierInput) => {
  const store = caseStore();
  const now = clock().now();
  const r = await store.appendOnce(
    caseId,
    'receive',
    (events) => {
      const filed = eventsOfType(events, 'DOSSIER_FILED')[0]!;
      const dossier = effectiveDossier(events);
      const receivedAt = new Date(filed.data.receivedAt);
      const deadlines = bundleDeadlines(receivedAt);
      const regime = regimeFor(deadlines.countedFrom);
      return {
        actor: systemActor,
        key: 'receive',
        data: {
          type: 'DOSSIER_RECEIVED',
          regime,
          deadlines,
          // A procedure the regime must offer (the ID card, Decree 301/2026) is decided now, with the regime.
          ...(Object.fromEntries(
            registry().procedures.flatMap((p) =>
              p.request.kind === 'regime'
                ? [
                    [
                      p.request.recordedAs,
                      offeredUnder(p.offeredFrom, regime) && dossier[p.request.flag].requested === true,
                    ],
                  ]
                : [],
            ),
          ) as { idCardRequested: boolean }),
          // Law 60/2014 Art. 15: a birth registered after the 60-day duty is flagged, not refused.
          lateRegistration: isLateRegistration(dossier, receivedAt),
          notes: dossierNotes(dossier, { receivedAt }),
        },
      };
    },
    now,
  );
  if (!r) throw new Error(`Case ${caseId} has no dossier`);
  await notify(store, caseId, 'appointment', { channel: 'SMS', template: 'APPOINTMENT' }, now);
  const received = eventsOfType(r.events, 'DOSSIER_RECEIVED')[0]!;
  const first = firstProcedure();
  return {
    caseId,
    regime: received.data.regime,
    [first.key]: {
      round: 1,
      timeoutSeconds: secondsUntil((received.data.deadlines as unknown as Record<string, string>)[first.key]!, now),
    },
  };
};
