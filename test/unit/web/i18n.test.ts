/**
 * The web app names every event of a case's timeline in both languages (web/src/i18n.ts `eventNames`): an event type
 * added to functions/domain/events.ts without a label would show its raw code on the officers' and auditors' pages.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventTypes } from '#domain/events.js';

let eventNames: Record<string, { vi: string; en: string }>;

beforeAll(async () => {
  // i18n.ts sets <html lang> when it loads: a stand-in document is enough here.
  (globalThis as { document?: unknown }).document ??= { documentElement: {} };
  // A path the server's type check does not follow (the web app is checked with its own DOM settings).
  const i18n = '../../../web/src/i18n.js';
  ({ eventNames } = (await import(i18n)) as { eventNames: typeof eventNames });
});

describe('web i18n: event labels', () => {
  it('every event type has a vi+en label (TRACKING_SECRET_REISSUED included)', () => {
    expect(eventTypes).toContain('TRACKING_SECRET_REISSUED');
    const unlabelled = eventTypes.filter((t) => !eventNames[t]?.vi?.trim() || !eventNames[t]?.en?.trim());
    expect(unlabelled).toEqual([]);
  });
});
