/** Step NotifyApplicant: the applicant gets the closing message with every result, by the channel chosen. */

import { clock } from '#adapters/config.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';

export const handler = async ({ caseId, event }: { caseId: string; event: string }) => {
  await notify(caseStore(), caseId, event, { channel: 'SMS', template: event }, clock().now());
  return { notified: true };
};
