import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { replayHistory } from '../../functions/adapters/workflowReplay.js';
import {
  auditTimeline,
  eventHash,
  GENESIS_HASH,
  type HistoryEventJson,
  parseHistoryFile,
  readHistory,
  verifyChain,
} from '../../functions/domain/audit.js';
import type { CaseEvent, EventData } from '../../functions/domain/events.js';

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
});
