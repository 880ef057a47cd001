/**
 * Notifications to the applicant and supervisors (domain/notifications.ts says what, notificationChannels.ts where).
 *
 * 1. The case records that the message is due (`NOTIFICATION_SENT`, once per key): the timeline and the family's page
 *    show it, and it is part of the legal record.
 * 2. The message is rendered and sent on each destination: the applicant's phone (SMS), their e-mail when the dossier
 *    has one, or the unit's supervisors.
 * 3. Each destination's outcome is recorded once (`NOTIFICATION_DELIVERED` or `NOTIFICATION_FAILED`, with the provider's
 *    message id or the error, and the destination masked). A retried step does not send again what was delivered.
 *    A failed send never fails the legal step that asked for it: the failure is on the case for officers to see, in
 *    the log line `notification.failed` (the metric and alarm on AWS), and `npm run ops -- notify-retry` style resends
 *    can use the recorded outcome.
 * Delivery is at least once: a crash between a provider's accept and the record sends the message again on retry.
 */

import { effectiveDossier } from '#domain/eventLog.js';
import { systemActor } from '#domain/events.js';
import { audienceOf, maskDestination, renderNotification } from '#domain/notifications.js';
import { type Procedure, procedureOf } from '#domain/procedures/index.js';
import type { CaseStore } from './caseStore.js';
import { logger } from './logger.js';
import { type DeliveryChannel, notificationSender } from './notificationChannels.js';

export const notify = async (
  store: CaseStore,
  caseId: string,
  key: string,
  message: { channel: 'SMS' | 'EMAIL' | 'SUPERVISOR'; template: string; procedure?: Procedure; dueAt?: string },
  now: Date,
): Promise<void> => {
  const r = await store.appendOnce(
    caseId,
    `notify:${key}`,
    () => ({
      actor: systemActor,
      key: `notify:${key}`,
      data: {
        type: 'NOTIFICATION_SENT',
        channel: message.channel,
        template: message.template,
        ...(message.procedure ? { procedure: message.procedure } : {}),
      },
    }),
    now,
  );
  if (!r) return;
  if (r.written) logger.info('outbox', { caseId, channel: message.channel, template: message.template });

  const events = r.events;
  const dossier = effectiveDossier(events);
  const destinations: { channel: DeliveryChannel; to: string }[] = [];
  let unit: string | undefined;
  if (audienceOf(message.channel) === 'SUPERVISOR') {
    const agency = message.procedure ? procedureOf(message.procedure).agency : 'CIVIL_STATUS';
    unit = (r.state.units as Record<string, string | undefined>)[agency];
    destinations.push({ channel: 'SUPERVISOR', to: `${agency}:${unit}` });
  } else {
    destinations.push({ channel: 'SMS', to: dossier.applicant.phone });
    if (dossier.applicant.email) destinations.push({ channel: 'EMAIL', to: dossier.applicant.email });
  }
  // Nothing here may fail the legal step that asked for the message: a template that cannot be rendered is a
  // failed delivery, recorded like a channel's refusal.
  const render = () =>
    renderNotification(message.template, {
      dossierCode: r.state.dossierCode,
      ...(message.procedure ? { procedure: message.procedure } : {}),
      ...(message.dueAt ? { dueAt: message.dueAt } : {}),
      ...(unit ? { unit } : {}),
    });

  for (const d of destinations) {
    const outcomeKey = `delivery:${key}:${d.channel}`;
    if (events.some((e) => e.key === outcomeKey)) continue;
    let outcome:
      | { type: 'NOTIFICATION_DELIVERED'; providerMessageId: string }
      | { type: 'NOTIFICATION_FAILED'; error: string };
    try {
      const sent = await notificationSender().send(
        { channel: d.channel, to: d.to, message: render(), caseId, template: message.template },
        now,
      );
      outcome = { type: 'NOTIFICATION_DELIVERED', providerMessageId: sent.providerMessageId };
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown';
      logger.warn('notification.failed', { caseId, channel: d.channel, template: message.template, error });
      outcome = { type: 'NOTIFICATION_FAILED', error };
    }
    await store.appendOnce(
      caseId,
      outcomeKey,
      () => ({
        actor: systemActor,
        key: outcomeKey,
        data: {
          ...outcome,
          channel: d.channel,
          template: message.template,
          destination: d.channel === 'SUPERVISOR' ? d.to : maskDestination(d.to),
          ...(message.procedure ? { procedure: message.procedure } : {}),
        },
      }),
      now,
    );
  }
};
