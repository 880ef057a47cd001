/**
 * Notifications to the applicant and supervisors. On AWS this would publish to SNS SMS / SES; here every message is
 * recorded as a case event (the outbox the UI shows) and one log line without personal data.
 */

import { systemActor } from '#domain/events.js';
import type { Procedure } from '#domain/procedures.js';
import type { CaseStore } from './caseStore.js';
import { logger } from './logger.js';

export const notify = async (
  store: CaseStore,
  caseId: string,
  key: string,
  message: { channel: 'SMS' | 'EMAIL' | 'SUPERVISOR'; template: string; procedure?: Procedure },
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
  if (r?.written) logger.info('outbox', { caseId, channel: message.channel, template: message.template });
};
