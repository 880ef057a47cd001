/**
 * The web app names every event of a case's timeline in both languages (web/src/i18n.ts `eventNames`): an event type
 * added to functions/domain/events.ts without a label would show its raw code on the officers' and auditors' pages.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventTypes } from '#domain/events.js';

let eventNames: Record<string, { vi: string; en: string }>;
let accessPurposeNames: Record<string, { vi: string; en: string }>;

beforeAll(async () => {
  // i18n.ts sets <html lang> when it loads: a stand-in document is enough here.
  (globalThis as { document?: unknown }).document ??= { documentElement: {} };
  // A path the server's type check does not follow (the web app is checked with its own DOM settings).
  const i18n = '../../../web/src/i18n.js';
  ({ eventNames, accessPurposeNames } = (await import(i18n)) as {
    eventNames: typeof eventNames;
    accessPurposeNames: typeof accessPurposeNames;
  });
});

describe('web i18n: event labels', () => {
  it('every event type has a vi+en label (TRACKING_SECRET_REISSUED included)', () => {
    expect(eventTypes).toContain('TRACKING_SECRET_REISSUED');
    const unlabelled = eventTypes.filter((t) => !eventNames[t]?.vi?.trim() || !eventNames[t]?.en?.trim());
    expect(unlabelled).toEqual([]);
  });
});

describe('web i18n: access-log purposes', () => {
  it('every purpose the API records has a vi+en label (the auditor read "case.read", issue 12)', () => {
    // The purposes are the literals the handlers pass to recordView/auditedCase; the export's carries its format.
    const recorded = new Set<string>();
    for (const f of ['cases', 'tracking', 'audit']) {
      const src = readFileSync(new URL(`../../../functions/api/${f}.ts`, import.meta.url), 'utf8');
      // (`auditedCase(req, 'audit.verify')`, `recordView(id, p, 'case.read', now)`; not rule ids like 'audit.range').
      for (const m of src.matchAll(/['`]((?:case|tracking|audit)\.[a-z]+)(\.\$\{format\})?['`](?=\)|,\s*now\b)/g)) {
        if (m[2]) for (const x of ['jsonl', 'csv']) recorded.add(`${m[1]}.${x}`);
        else recorded.add(m[1]!);
      }
    }
    expect([...recorded]).toEqual(expect.arrayContaining(['case.read', 'tracking.read', 'audit.export.csv']));
    const unlabelled = [...recorded].filter(
      (p) => !accessPurposeNames[p]?.vi?.trim() || !accessPurposeNames[p]?.en?.trim(),
    );
    expect(unlabelled).toEqual([]);
  });
});
