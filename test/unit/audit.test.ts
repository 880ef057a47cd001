import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { replayHistory } from '#adapters/workflowReplay.js';
import { auditTimeline } from '#domain/auditTimeline.js';
import { projectCase } from '#domain/caseState.js';
import type { Dossier } from '#domain/dossier.js';
import type { CaseEvent, EventData } from '#domain/events.js';
import {
  archivedHistoryProblem,
  type HistoryEventJson,
  type HistoryPin,
  historyDigest,
  parseHistoryFile,
  unpinnedCompletion,
} from '#domain/executionHistory.js';
import {
  type AccessEntry,
  accessEntryHash,
  eventHash,
  GENESIS_HASH,
  verifyAccessChain,
  verifyChain,
} from '#domain/hashChain.js';
import { verifyProjection } from '#domain/projectionCheck.js';
import { readHistory } from '#domain/replay.js';
import { demoDossier } from '#support/dossiers.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/aws-history/${name}`, import.meta.url), 'utf8')) as unknown;
const definition = readFileSync(
  new URL('../fixtures/aws-history/birth-bundle.definition.json', import.meta.url),
  'utf8',
);

/** A valid chain of `data`, one event a minute. */
const chain = (caseId: string, data: EventData[]): CaseEvent[] => {
  const out: CaseEvent[] = [];
  for (const [i, d] of data.entries()) {
    const base = {
      caseId,
      seq: i + 1,
      at: new Date(Date.UTC(2026, 10, 23, 2, i)).toISOString(),
      actor: { id: 'u', role: 'civil-status-officer' as const, unit: '00004' },
      key: `k${i}`,
      data: d,
      prevHash: out.at(-1)?.hash ?? GENESIS_HASH,
    };
    out.push({ ...base, hash: eventHash(base) });
  }
  return out;
};
const viewed = (purpose: string): EventData => ({ type: 'CASE_VIEWED', purpose });
const five = () => chain('C1', [viewed('a'), viewed('b'), viewed('c'), viewed('d'), viewed('e')]);

describe('Function: verifyChain', () => {
  it('verifies an untouched chain and gives its head', () => {
    const events = five();
    expect(verifyChain('C1', events, 5)).toEqual({ caseId: 'C1', verified: true, events: 5, head: events[4]!.hash });
  });

  it.each([
    [
      'an edited event',
      (e: CaseEvent[]) => ((e[2]!.data as { purpose: string }).purpose = 'x'),
      { kind: 'HASH_MISMATCH', seq: 3 },
    ],
    ['an edited time', (e: CaseEvent[]) => (e[1]!.at = '2020-01-01T00:00:00.000Z'), { kind: 'HASH_MISMATCH', seq: 2 }],
    [
      'a rehashed edit (the next link breaks)',
      (e: CaseEvent[]) => {
        (e[2]!.data as { purpose: string }).purpose = 'x';
        const { hash: _h, ...rest } = e[2]!;
        e[2]!.hash = eventHash(rest);
      },
      { kind: 'PREV_HASH_MISMATCH', seq: 4 },
    ],
    ['a deleted event', (e: CaseEvent[]) => e.splice(1, 1), { kind: 'SEQ_GAP', seq: 2 }],
    ['a deleted last event', (e: CaseEvent[]) => e.pop(), { kind: 'MISSING_TAIL', seq: 5 }],
  ])('names the first bad or missing event: %s', (_what, tamper, problem) => {
    // prepare
    const events = five();
    tamper(events);
    // act
    const r = verifyChain('C1', events, 5);
    // assess
    expect(r.verified).toBe(false);
    expect(r.problem).toMatchObject(problem);
  });

  it('reports a case without events', () => {
    expect(verifyChain('C1', []).problem).toMatchObject({ kind: 'EMPTY' });
  });
});

/** Every head a chain reached, as the anchor keeps them. */
const heads = (events: { seq: number; hash: string }[]) => events.map((e) => ({ seq: e.seq, hash: e.hash }));
const rehashFrom = (events: CaseEvent[], from: number) => {
  for (let i = from; i < events.length; i++) {
    const { hash: _h, ...rest } = { ...events[i]!, prevHash: events[i - 1]?.hash ?? GENESIS_HASH };
    events[i] = { ...rest, hash: eventHash(rest) };
  }
};

describe('Function: verifyChain against the anchored heads (issue 9 finding 4)', () => {
  it('verifies an untouched chain against every head anchored, and says how far it is anchored', () => {
    // prepare
    const events = five();
    // act
    const r = verifyChain('C1', events, 5, heads(events));
    // assess
    expect(r).toMatchObject({ verified: true, anchoredSeq: 5 });
  });

  it.each([
    [
      'an event edited and every later one re-hashed',
      (e: CaseEvent[]) => {
        (e[2]!.data as { purpose: string }).purpose = 'x';
        rehashFrom(e, 2);
      },
      { kind: 'ANCHOR_MISMATCH', seq: 3 },
    ],
    [
      'the last event deleted and the projection version lowered',
      (e: CaseEvent[]) => e.pop(),
      { kind: 'MISSING_TAIL', seq: 5 },
    ],
    [
      'the last event deleted and another written in its place',
      (e: CaseEvent[]) => {
        e.pop();
        e.push(chain('C1', [...e.map((x) => x.data), viewed('forged')])[4]!);
      },
      { kind: 'ANCHOR_MISMATCH', seq: 5 },
    ],
    ['every event deleted', (e: CaseEvent[]) => e.splice(0), { kind: 'MISSING_TAIL', seq: 1 }],
  ])('catches what the chain alone cannot: %s', (_what, tamper, problem) => {
    // prepare
    const events = five();
    const anchored = heads(events);
    tamper(events);
    // act: the projection's version lowered with the events (4), so only the anchor can tell
    const r = verifyChain('C1', events, events.at(-1)?.seq, anchored);
    // assess
    expect(r.verified).toBe(false);
    expect(r.problem).toMatchObject(problem);
  });

  it('accepts events written after the last anchored head (a crash between the event and its anchor)', () => {
    const events = five();
    expect(verifyChain('C1', events, 5, heads(events).slice(0, 4))).toMatchObject({ verified: true, anchoredSeq: 4 });
  });
});

const filedCase = (): CaseEvent[] =>
  chain('C9', [
    {
      type: 'DOSSIER_FILED',
      dossier: demoDossier() as unknown as Dossier,
      dossierCode: 'LT-00004-261123-AAAAAA',
      receivedAt: '2026-11-23T02:00:00.000Z',
      executionName: 'C9',
    },
    {
      type: 'TASK_OPENED',
      procedure: 'BIRTH',
      kind: 'DECISION',
      round: 1,
      dueAt: '2026-11-25T10:00:00.000Z',
      queue: 'q',
    },
    { type: 'DECISION_RECORDED', procedure: 'BIRTH', round: 1, decision: 'APPROVED' },
    {
      type: 'PROCEDURE_COMPLETED',
      procedure: 'BIRTH',
      result: { birthRegistrationNumber: '1/2026/KS-00004', personalIdNumber: '001226000001' },
    },
  ]);

describe('Function: verifyProjection (issue 9 finding 4)', () => {
  it('verifies a state that is exactly what the events say', () => {
    const events = filedCase();
    expect(verifyProjection(events, structuredClone(projectCase(events)))).toEqual({
      verified: true,
      version: 4,
      differences: [],
    });
  });

  it.each([
    [
      'the personal ID',
      (s: ReturnType<typeof projectCase>) => (s.procedures.BIRTH.result!.personalIdNumber = '001226099999'),
      'procedures.BIRTH.result.personalIdNumber',
    ],
    [
      "a procedure's status",
      (s: ReturnType<typeof projectCase>) => (s.procedures.RESIDENCE.status = 'COMPLETED'),
      'procedures.RESIDENCE.status',
    ],
    [
      'the unit that may see the case',
      (s: ReturnType<typeof projectCase>) => (s.units.CIVIL_STATUS = '99999'),
      'units.CIVIL_STATUS',
    ],
  ])('names an edit of the stored state alone: %s', (_what, edit, path) => {
    // prepare
    const events = filedCase();
    const stored = structuredClone(projectCase(events));
    edit(stored);
    // act
    const r = verifyProjection(events, stored);
    // assess
    expect(r.verified).toBe(false);
    expect(r.differences).toEqual([path]);
  });

  it('reports a missing state', () => {
    expect(verifyProjection(filedCase(), undefined)).toMatchObject({ verified: false });
  });
});

describe('Function: archivedHistoryProblem (issue 9 finding 8)', () => {
  const history = (n: number): HistoryEventJson[] =>
    Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      type: 'PassStateEntered',
      timestamp: '2026-11-23T02:00:00.000Z',
    }));
  const pin = (events: HistoryEventJson[]): HistoryPin => ({
    type: 'HISTORY_ARCHIVED',
    executionName: 'x',
    status: 'SUCCEEDED',
    events: events.length,
    historyHash: historyDigest(events),
    workflow: { stateMachineArn: 'arn', definitionHash: 'h', version: 'unversioned' },
  });

  it.each([
    ['the archive as pinned', (h: HistoryEventJson[]) => h, undefined],
    [
      'an event beyond the pinned count',
      (h: HistoryEventJson[]) => [...h, ...history(6).slice(5)],
      'outside every digest',
    ],
    ['a deleted event', (h: HistoryEventJson[]) => h.slice(1), 'missing'],
    [
      'an edited event',
      (h: HistoryEventJson[]) => h.map((e) => (e.id === 2 ? { ...e, type: 'TaskStateEntered' } : e)),
      'altered',
    ],
  ])('%s', (_what, change, problem) => {
    // prepare
    const archived = history(5);
    const pinned = pin(archived);
    // act
    const r = archivedHistoryProblem('x', pinned, change(archived));
    // assess
    if (problem) expect(r).toContain(problem);
    else expect(r).toBeUndefined();
  });

  it('reports archived events that no HISTORY_ARCHIVED pins at all', () => {
    expect(archivedHistoryProblem('x', undefined, history(3))).toContain('3 archived events are outside every digest');
  });

  it('reports a closed case whose execution was never archived with its final status', () => {
    // prepare
    const events = [...filedCase().map((e) => e.data), { type: 'CASE_CLOSED', status: 'COMPLETED' } as EventData];
    const running = { ...pin(history(2)), executionName: 'C9', status: 'RUNNING' } as EventData;
    const final = { ...pin(history(9)), executionName: 'C9' } as EventData;
    // act / assess
    expect(unpinnedCompletion(chain('C9', [...events, running]))).toBe('C9');
    expect(unpinnedCompletion(chain('C9', [...events, running, final]))).toBeUndefined();
    expect(unpinnedCompletion(chain('C9', events.slice(0, -1)))).toBeUndefined();
  });
});

describe('Function: verifyAccessChain (issue 9 finding 5)', () => {
  const accessLog = (n: number): AccessEntry[] => {
    const out: AccessEntry[] = [];
    for (let i = 0; i < n; i++) {
      const base = {
        caseId: 'C1',
        seq: i + 1,
        at: new Date(Date.UTC(2026, 10, 23, 2, i)).toISOString(),
        actor: { id: 'applicant:LT-1', role: 'applicant' as const },
        purpose: 'tracking.read',
        prevHash: out.at(-1)?.hash ?? GENESIS_HASH,
      };
      out.push({ ...base, hash: accessEntryHash(base) });
    }
    return out;
  };

  it('verifies an untouched access log and an empty one', () => {
    const log = accessLog(3);
    expect(verifyAccessChain('C1', log, heads(log))).toMatchObject({ verified: true, entries: 3 });
    expect(verifyAccessChain('C1', [], [])).toMatchObject({ verified: true, entries: 0 });
  });

  it.each([
    ['an edited entry', (l: AccessEntry[]) => (l[1]!.purpose = 'nothing'), { kind: 'HASH_MISMATCH', seq: 2 }],
    ['a deleted last entry', (l: AccessEntry[]) => l.pop(), { kind: 'MISSING_TAIL', seq: 3 }],
    ['every entry deleted', (l: AccessEntry[]) => l.splice(0), { kind: 'MISSING_TAIL', seq: 1 }],
  ])('names %s', (_what, tamper, problem) => {
    // prepare
    const log = accessLog(3);
    const anchored = heads(log);
    tamper(log);
    // act
    const r = verifyAccessChain('C1', log, anchored);
    // assess
    expect(r.verified).toBe(false);
    expect(r.problem).toMatchObject(problem);
  });
});

describe('Function: parseHistoryFile (AWS CLI output)', () => {
  it('redacts the callback tokens AWS shows in TaskScheduled parameters and normalises timestamps', () => {
    // act
    const events = parseHistoryFile(fixture('supplement-then-approved.json'));
    // assess
    const text = JSON.stringify(events);
    expect(text).not.toContain('AQCEAAAA');
    expect(text).toContain('<redacted task token>');
    expect(events[0]!.timestamp).toMatch(/^2026-11-23T06:\d\d:\d\d\.\d{3}Z$/);
  });

  it('accepts epoch-second timestamps (CLI v1) and rejects what is not a history', () => {
    expect(
      parseHistoryFile({ events: [{ id: 1, type: 'ExecutionStarted', timestamp: 1795413460.5 }] })[0]!.timestamp,
    ).toBe('2026-11-23T05:57:40.500Z');
    expect(() => parseHistoryFile({ executions: [] })).toThrow('Not an execution history');
  });
});

describe('Function: replayHistory (recorded definition, recorded results, the real interpreter)', () => {
  const linear = (events: HistoryEventJson[]) => events.map((e) => ({ ...e, previousEventId: e.id - 1 }));

  it.each([
    ['supplement-then-approved.json', 'causal previousEventId (AWS)', (e: HistoryEventJson[]) => e],
    ['supplement-then-approved.json', 'linear previousEventId (local engine)', linear],
    ['residence-refused.json', 'causal previousEventId (AWS)', (e: HistoryEventJson[]) => e],
    ['residence-refused.json', 'linear previousEventId (local engine)', linear],
  ])('replays %s, %s, to the recorded path and output', async (file, _how, shape) => {
    // prepare
    const events = shape(parseHistoryFile(fixture(file)));
    // act
    const r = await replayHistory(definition, events);
    // assess
    expect(r.divergence).toBeUndefined();
    expect(r.verdict).toBe('verified');
    expect(r.states).toBeGreaterThan(15);
  });

  it('ties each parallel branch result to its own state', () => {
    const run = readHistory(linear(parseHistoryFile(fixture('residence-refused.json'))), JSON.parse(definition));
    expect(run.outcomes.RegisterResidence?.map((o) => o.ok && (o.output as { decision: string }).decision)).toEqual([
      'REFUSED',
    ]);
    expect(
      run.outcomes.IssueHealthInsuranceCard?.map((o) => o.ok && (o.output as { decision: string }).decision),
    ).toEqual(['APPROVED']);
    expect(run.unattributed).toEqual([]);
  });

  it('reports the first divergence when a recorded decision no longer leads where the record went', async () => {
    // prepare: the residence refusal is rewritten as an approval, the rest of the record left as it was
    const events = parseHistoryFile(fixture('residence-refused.json')).map((e) =>
      e.type === 'TaskSucceeded' &&
      String((e.taskSucceededEventDetails as { output: string }).output).includes('REFUSED')
        ? {
            ...e,
            taskSucceededEventDetails: {
              ...(e.taskSucceededEventDetails as object),
              output: '{"round":1,"decision":"APPROVED"}',
            },
          }
        : e,
    );
    // act
    const r = await replayHistory(definition, events);
    // assess
    expect(r.verdict).toBe('diverged');
    expect(r.divergence).toMatchObject({ state: 'RegisterResidence', what: 'output' });
  });

  it('replays a run still in progress up to where its record ends', async () => {
    // prepare: cut just after the birth decision task was scheduled
    const all = parseHistoryFile(fixture('supplement-then-approved.json'));
    const cut = all.findIndex((e) => e.type === 'TaskSubmitted');
    // act
    const r = await replayHistory(definition, all.slice(0, cut + 1));
    // assess
    expect(r).toMatchObject({ verdict: 'verified', inProgress: true });
    expect(r.replayed.waitingAt).toEqual(['RegisterBirth']);
  });
});

describe('Function: auditTimeline', () => {
  it('marks a decision after its due time as a missed deadline, an escalation too', () => {
    // prepare
    const events = chain('C2', [
      {
        type: 'TASK_OPENED',
        procedure: 'BIRTH',
        kind: 'DECISION',
        round: 1,
        dueAt: '2026-11-23T02:01:30.000Z',
        queue: 'q',
      },
      { type: 'ESCALATED', procedure: 'BIRTH', round: 1, day: '2026-11-23', dueAt: '2026-11-23T02:01:30.000Z' },
      { type: 'DECISION_RECORDED', procedure: 'BIRTH', round: 1, decision: 'APPROVED' },
    ]);
    // act
    const t = auditTimeline(events);
    // assess
    expect(t.map((e) => [e.type, e.deadline])).toEqual([
      ['TASK_OPENED', undefined],
      ['ESCALATED', 'MISSED'],
      ['DECISION_RECORDED', 'MISSED'],
    ]);
  });
  it("says whose turn an opened task is: the family's supplement is not a wait for the agency (issue 12)", () => {
    // prepare
    const events = chain('C3', [
      {
        type: 'TASK_OPENED',
        procedure: 'BIRTH',
        kind: 'DECISION',
        round: 1,
        dueAt: '2026-11-23T10:00:00.000Z',
        queue: 'q',
      },
      { type: 'DECISION_RECORDED', procedure: 'BIRTH', round: 1, decision: 'SUPPLEMENT_REQUESTED', reason: 'r' },
      {
        type: 'TASK_OPENED',
        procedure: 'BIRTH',
        kind: 'SUPPLEMENT',
        round: 1,
        dueAt: '2026-12-07T10:00:00.000Z',
        queue: 'q',
      },
    ]);
    // act
    const t = auditTimeline(events);
    // assess
    expect(t.filter((e) => e.type === 'TASK_OPENED').map((e) => e.kind)).toEqual(['DECISION', 'SUPPLEMENT']);
  });
});
