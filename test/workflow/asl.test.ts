/**
 * The workflow file itself: valid Amazon States Language (asl-validator), and our own rules for a file both
 * runtimes run the same way (architecture.md "Rules for the ASL file").
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MAX_WAIT_SECONDS } from '#domain/deadlines.js';
import { stepHandlers, workflowFile } from '#infra/handlers.js';
import { repoRoot } from '#infra/local/stack.js';

/** asl-validator ships no type declarations. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type State = Record<string, unknown> & { Type: string; Branches?: { States: Record<string, State> }[] };
const text = readFileSync(join(repoRoot, workflowFile), 'utf8');
const definition = JSON.parse(text) as { States: Record<string, State> };

const allStates = (states: Record<string, State>): [string, State][] =>
  Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.Branches ?? []).flatMap((b) => allStates(b.States)),
  ]);
const states = allStates(definition.States);

/** The local engine's timers overflow above 2^31 - 1 ms (~24.8 days); AWS allows up to a year. */
const LOCAL_TIMER_LIMIT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

describe('ASL: workflows/birth-bundle.asl.json', () => {
  it('is valid Amazon States Language (asl-validator)', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it.each(['QueryLanguage', 'Assign', 'Output', 'Arguments', 'Condition'])(
    'uses JSONPath only: no "%s" anywhere (the local engine ignores it silently)',
    (field) => {
      expect(text).not.toContain(`"${field}"`);
    },
  );

  it('gives every callback task a bounded timeout both runtimes honour', () => {
    const callbacks = states.filter(([, s]) => String(s.Resource ?? '').endsWith('.waitForTaskToken'));
    expect(callbacks.length).toBeGreaterThanOrEqual(12);
    for (const [name, s] of callbacks) {
      const seconds = s.TimeoutSeconds as number | undefined;
      const path = s.TimeoutSecondsPath as string | undefined;
      expect({ name, bounded: seconds !== undefined || path !== undefined }).toEqual({ name, bounded: true });
      if (seconds !== undefined) expect(seconds).toBeLessThanOrEqual(LOCAL_TIMER_LIMIT_SECONDS);
    }
    // The paths are filled by the steps with secondsUntil(), capped at MAX_WAIT_SECONDS.
    expect(MAX_WAIT_SECONDS).toBeLessThan(LOCAL_TIMER_LIMIT_SECONDS);
  });

  it('catches States.Timeout on every callback (escalation or a missed supplement window)', () => {
    for (const [name, s] of states.filter(([, x]) => String(x.Resource ?? '').endsWith('.waitForTaskToken'))) {
      const catchers = (s.Catch ?? []) as { ErrorEquals: string[] }[];
      expect({ name, catches: catchers.some((c) => c.ErrorEquals.includes('States.Timeout')) }).toEqual({
        name,
        catches: true,
      });
    }
  });

  it('names every Lambda by a ${Placeholder} that the handler manifest fills, and nothing else', () => {
    const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(stepHandlers.map((h) => h.placeholder).sort());
  });

  it('retries transient step errors by their stable names on every Task, a timed-out or crashed step included', () => {
    for (const [name, s] of states.filter(([, x]) => x.Type === 'Task')) {
      const retried = ((s.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
      expect({
        name,
        retried: [
          'Agency.Unavailable',
          'Case.WriteConflict',
          'Lambda.ServiceException',
          'Lambda.ClientExecutionTimeoutException',
          'Lambda.Unknown',
          'Sandbox.Timedout',
        ].every((e) => retried.includes(e)),
      }).toEqual({ name, retried: true });
    }
  });

  it('never lets a downstream refusal fail the case: branch refusals end the branch with a result', () => {
    const parallel = definition.States.SplitToAgencies!;
    for (const branch of parallel.Branches!) {
      for (const [name, s] of Object.entries(branch.States)) {
        if (/Refusal$|SupplementMissed$/.test(name)) expect({ name, end: s.End }).toEqual({ name, end: true });
        expect(s.Type).not.toBe('Fail');
      }
    }
  });
});
