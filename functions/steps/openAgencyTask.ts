/**
 * Step behind every callback state (Open<Stem>DecisionTask, Reopen<Stem>DecisionTask after an escalation,
 * Open<Stem>SupplementTask, for each procedure of the registry): puts the task in the deciding agency's queue with
 * the callback token.
 * The token is stored sealed (adapters/tokenSeal.ts): reading the table gives nothing Step Functions accepts.
 * If the answer is already recorded (a decision given before a restart, or while the token was being replaced after
 * an escalation), it answers at once: nobody is asked twice.
 */

import { queueKey } from '#adapters/caseStore.js';
import { clock } from '#adapters/config.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';
import { sealToken } from '#adapters/tokenSeal.js';
import { answerTask } from '#adapters/workflow.js';
import { effectiveDossier, eventsOfType } from '#domain/eventLog.js';
import { systemActor } from '#domain/events.js';
import type { Procedure, TaskKind } from '#domain/procedures.js';
import { callbackOutput, decisionDueAt, recordedAnswer, taskUnit } from '#domain/tasks.js';

export interface OpenAgencyTaskInput {
  caseId: string;
  procedure: Procedure;
  kind: TaskKind;
  round: number;
  taskToken: string;
}

export const handler = async (input: OpenAgencyTaskInput) => {
  const { caseId, procedure, kind, round, taskToken } = input;
  const store = caseStore();
  const now = clock().now();
  const key = `task:${procedure}:${kind}:${round}`;
  const r = await store.appendOnce(
    caseId,
    key,
    (events) => {
      const dossier = effectiveDossier(events);
      const { agency, unit } = taskUnit(procedure, kind, dossier);
      const dueAt =
        kind === 'DECISION'
          ? decisionDueAt(events, procedure, round)
          : ((recordedAnswer(events, procedure, 'DECISION', round)?.data as { dueAt?: string } | undefined)?.dueAt ??
            now.toISOString());
      return {
        actor: systemActor,
        key,
        data: { type: 'TASK_OPENED', procedure, kind, round, dueAt, queue: queueKey(agency, unit) },
      };
    },
    now,
  );
  if (!r) throw new Error(`Case ${caseId} not found`);

  const answer = recordedAnswer(r.events, procedure, kind, round);
  if (answer) {
    await answerTask(taskToken, callbackOutput(answer, now));
    return { answered: true };
  }

  const opened = r.event.data as Extract<typeof r.event.data, { type: 'TASK_OPENED' }>;
  const dossier = effectiveDossier(r.events);
  const { agency, unit } = taskUnit(procedure, kind, dossier);
  const escalated = eventsOfType(r.events, 'ESCALATED').some(
    (e) => e.data.procedure === procedure && e.data.round === round,
  );
  const sealed = await sealToken(taskToken, { caseId, procedure, kind, round });
  await store.putTask(
    {
      caseId,
      procedure,
      kind,
      round,
      agency,
      unit,
      // An extension since the task first opened moves its appointment.
      dueAt: kind === 'DECISION' ? decisionDueAt(r.events, procedure, round) : opened.dueAt,
      dossierCode: r.state.dossierCode,
      overdue: kind === 'DECISION' && escalated,
      openedAt: r.event.at,
    },
    sealed,
  );

  // A decision may have landed between reading the log and publishing the new token: answer it now.
  const late = recordedAnswer(await store.loadEvents(caseId), procedure, kind, round);
  if (late) {
    await answerTask(taskToken, callbackOutput(late, now));
    await store.closeTask(caseId, procedure, round, kind);
    return { answered: true };
  }
  if (kind === 'SUPPLEMENT') {
    await notify(
      store,
      caseId,
      `supplement:${procedure}:${round}`,
      { channel: 'SMS', template: 'SUPPLEMENT_REQUESTED', procedure, dueAt: opened.dueAt },
      now,
    );
  }
  return { opened: true };
};
