/**
 * Conformance of the real workflow: each path of workflows/birth-bundle.asl.json, run on the local stack with the
 * real step handlers and driven through the HTTP API as officers and families drive it, must leave exactly the
 * history event types AWS writes for those constructs, in order (read through the engine's Step Functions endpoint
 * with @aws-sdk/client-sfn).
 *
 * What AWS writes, per construct (AWS docs "Execution history events"; recorded on AWS in LocalStack's
 * test_task_lambda, test_callback, test_timeouts, test_parallel_state snapshots; and constructs.test.ts here):
 * - a Task on a function ARN: TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted,
 *   LambdaFunctionSucceeded, TaskStateExited;
 * - a `lambda:invoke.waitForTaskToken` Task: TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted, then
 *   TaskSucceeded (answered) or TaskTimedOut (timed out; caught: TaskStateExited follows), TaskStateExited;
 * - Choice and Pass: <Type>StateEntered, <Type>StateExited;
 * - Parallel: ParallelStateEntered, ParallelStateStarted, the branches' events (interleaved in any order across
 *   branches, in order within each), ParallelStateSucceeded, ParallelStateExited.
 * The path itself (which states) is each test's; the events of each state come from its type in the definition.
 */
import { readFileSync } from 'node:fs';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { workflowFile } from '../../infra/handlers.js';
import type { VirtualTime } from '../../infra/local/sfn/time.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { apiClient, deciderOf, eventually, waitForStatus, waitForTask } from '../support/api.js';
import { demoDossier } from '../support/dossiers.js';
import { MONDAY_0900_VIETNAM, pinnedTime } from '../support/time.js';
import { typeOf } from './harness.js';

type State = { Type: string; Resource?: string; Branches?: { States: Record<string, State> }[] };
const definition = JSON.parse(readFileSync(workflowFile, 'utf8')) as { States: Record<string, State> };

/** Every state of the definition by name (branches included). */
const states = new Map<string, State>();
const index = (machine: { States: Record<string, State> }) => {
  for (const [name, s] of Object.entries(machine.States)) {
    states.set(name, s);
    for (const b of s.Branches ?? []) index(b);
  }
};
index(definition);

/** A step of a path: a state name, or `[name, 'timeout']` for a callback that timed out (and was caught). */
type Step = string | [string, 'timeout'];

/** The event types AWS writes for one state of the workflow, as `constructs.test.ts` shows them for each construct. */
function eventsOf(step: Step): string[] {
  const [name, outcome] = typeof step === 'string' ? [step, 'ok'] : step;
  const s = states.get(name);
  if (!s) throw new Error(`No state ${name} in ${workflowFile}`);
  const entered = `${s.Type}StateEntered:${name}`;
  const exited = `${s.Type}StateExited:${name}`;
  if (s.Type !== 'Task') return [entered, exited];
  if (s.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
    const end = outcome === 'timeout' ? 'TaskTimedOut' : 'TaskSucceeded';
    return [entered, 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', end, exited];
  }
  return [entered, 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', exited];
}

/** Whether `actual` is an interleaving of `lanes` (each lane's order kept), as a Parallel's branches are. */
function isInterleaving(actual: string[], lanes: string[][]): boolean {
  const seen = new Set<string>();
  const walk = (pos: number[]): boolean => {
    const done = pos.reduce((a, b) => a + b, 0);
    if (done === actual.length) return pos.every((p, i) => p === lanes[i]!.length);
    const key = pos.join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return lanes.some((lane, i) => lane[pos[i]!] === actual[done] && walk(pos.map((p, j) => (j === i ? p + 1 : p))));
  };
  return walk(lanes.map(() => 0));
}

interface Path {
  before: Step[];
  /** The branches of SplitToAgencies, or undefined when the case never gets there. */
  branches?: Step[][];
  after: Step[];
}

/** Checks the execution's history against AWS's event types for the path; returns the types (for messages). */
function expectAwsHistory(types: string[], path: Path) {
  const head = ['ExecutionStarted', ...path.before.flatMap(eventsOf)];
  const tail = [...path.after.flatMap(eventsOf), 'ExecutionSucceeded'];
  if (!path.branches) {
    expect(types).toEqual([...head, ...tail]);
    return;
  }
  const start = types.indexOf('ParallelStateStarted');
  const end = types.indexOf('ParallelStateSucceeded');
  expect(types.slice(0, start + 1)).toEqual([...head, 'ParallelStateEntered:SplitToAgencies', 'ParallelStateStarted']);
  expect(types.slice(end)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited:SplitToAgencies', ...tail]);
  const lanes = path.branches.map((b) => b.flatMap(eventsOf));
  const middle = types.slice(start + 1, end);
  // On failure, show the branch events next to the expected lanes.
  expect({ interleavingOfBranches: isInterleaving(middle, lanes), middle, lanes }).toMatchObject({
    interleavingOfBranches: true,
  });
}

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let time: VirtualTime;
let sfn: SFNClient;

beforeAll(async () => {
  time = pinnedTime();
  stack = await startLocalStack({ clock: time });
  api = apiClient(stack.apiUrl);
  sfn = new SFNClient({
    endpoint: stack.sfnUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterEach(() => time.reset(MONDAY_0900_VIETNAM));
afterAll(async () => {
  sfn?.destroy();
  await stack?.stop();
});

const executionArn = (caseId: string) => `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
const file = async (patch: Record<string, unknown> = {}) => {
  const r = await api.file(demoDossier(patch));
  expect(r.status).toBe(201);
  return r.body;
};
const decide = async (caseId: string, procedure: string, decision: string, reason?: string) => {
  await waitForTask(api, caseId, procedure);
  expect((await api.decide(caseId, procedure, decision, deciderOf[procedure]!, reason)).status).toBe(202);
};
/** The history once the execution has closed (the case closing is written by FinalizeCase, before the end). */
const historyEvents = async (caseId: string): Promise<HistoryEvent[]> => {
  await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
  const events = await eventually(
    async () => {
      const all: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: executionArn(caseId), nextToken, maxResults: 1000 }),
        );
        all.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return all.at(-1)?.type === 'ExecutionSucceeded' ? all : undefined;
    },
    120_000,
    `${caseId} to end`,
  );
  return events;
};
const historyTypes = async (caseId: string) => (await historyEvents(caseId)).map(typeOf);

const residenceApproved: Step[] = [
  'ResidenceRequested',
  'OpenResidenceDecisionTask',
  'ResidenceDecision',
  'CompleteResidence',
];
const cardApproved: Step[] = ['OpenHealthInsuranceDecisionTask', 'HealthInsuranceDecision', 'CompleteHealthInsurance'];
const noIdCard: Step[] = ['IdCardRequested', 'IdCardNotRequested'];
const birthApproved: Step[] = ['ReceiveDossier', 'OpenBirthDecisionTask', 'BirthDecision', 'CompleteBirth'];
const closing: Step[] = ['FinalizeCase', 'NotifyApplicant'];

describe('The workflow writes the history AWS writes, on each of its paths', () => {
  it('workflow-straight-through: every procedure approved', async () => {
    const { caseId } = await file({ idCard: { requested: false } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    expectAwsHistory(await historyTypes(caseId), {
      before: birthApproved,
      branches: [residenceApproved, cardApproved, noIdCard],
      after: closing,
    });
  });

  it('workflow-refusal: the birth refused, nothing downstream', async () => {
    const { caseId } = await file();
    await decide(caseId, 'BIRTH', 'REFUSED', 'Giấy chứng sinh không hợp lệ');
    expectAwsHistory(await historyTypes(caseId), {
      before: ['ReceiveDossier', 'OpenBirthDecisionTask', 'BirthDecision', 'RecordBirthRefusal'],
      after: closing,
    });
  });

  it('workflow-supplement: the birth officer asks for a supplement, the family answers, then approval', async () => {
    const filed = await file({ idCard: { requested: false } });
    await decide(filed.caseId, 'BIRTH', 'SUPPLEMENT_REQUESTED', 'Thiếu bản chụp giấy chứng nhận kết hôn');
    await waitForTask(api, filed.caseId, 'BIRTH', 'SUPPLEMENT');
    const s = await api.call('POST', `/tracking/${filed.dossierCode}/supplements`, {
      headers: { 'x-tracking-secret': filed.trackingSecret },
      body: { procedure: 'BIRTH', note: 'Đã bổ sung bản chụp giấy chứng nhận kết hôn' },
    });
    expect(s.status).toBe(202);
    await decide(filed.caseId, 'BIRTH', 'APPROVED');
    await decide(filed.caseId, 'RESIDENCE', 'APPROVED');
    await decide(filed.caseId, 'HEALTH_INSURANCE', 'APPROVED');
    expectAwsHistory(await historyTypes(filed.caseId), {
      before: [
        'ReceiveDossier',
        'OpenBirthDecisionTask',
        'BirthDecision',
        'OpenBirthSupplementTask',
        'OpenBirthDecisionTask',
        'BirthDecision',
        'CompleteBirth',
      ],
      branches: [residenceApproved, cardApproved, noIdCard],
      after: closing,
    });
  });

  it('workflow-escalation: the card decision is overdue, escalated (caught States.Timeout), then approved', async () => {
    const { caseId } = await file({ idCard: { requested: false } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    await waitForTask(api, caseId, 'HEALTH_INSURANCE');
    const q = await api.call<{ tasks: { caseId: string; dueAt: string }[] }>('GET', '/queue?agency=SOCIAL_SECURITY', {
      as: 'bhxh.hanoi',
    });
    const due = q.body.tasks.find((t) => t.caseId === caseId)!.dueAt;
    // The steps in flight finish first: days passing while a step runs would time that step out (Sandbox.Timedout).
    await stack.engine.idle();
    time.advanceTo(new Date(new Date(due).getTime() + 60_000));
    await eventually(
      async () => {
        const c = (await api.getCase(caseId)).body;
        return c.procedures.HEALTH_INSURANCE?.escalations === 1 ? true : undefined;
      },
      120_000,
      'the escalation',
    );
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    const events = await historyEvents(caseId);
    // The caught States.Timeout as AWS records it: Cause "" (LocalStack test_task_service_lambda, timeout caught).
    const exited = events.find((e) => e.stateExitedEventDetails?.name === 'OpenHealthInsuranceDecisionTask');
    expect(JSON.parse(exited?.stateExitedEventDetails?.output ?? '{}').timedOut).toEqual({
      Error: 'States.Timeout',
      Cause: '',
    });
    expectAwsHistory(events.map(typeOf), {
      before: birthApproved,
      branches: [
        residenceApproved,
        [
          ['OpenHealthInsuranceDecisionTask', 'timeout'],
          'EscalateHealthInsuranceOverdue',
          'ReopenHealthInsuranceDecisionTask',
          'HealthInsuranceDecision',
          'CompleteHealthInsurance',
        ],
        noIdCard,
      ],
      after: closing,
    });
  });

  it('workflow-partial-completion: residence refused while the card is issued', async () => {
    const { caseId } = await file({ idCard: { requested: false } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'REFUSED', 'Chỗ ở không đủ điều kiện đăng ký thường trú');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    expectAwsHistory(await historyTypes(caseId), {
      before: birthApproved,
      branches: [
        ['ResidenceRequested', 'OpenResidenceDecisionTask', 'ResidenceDecision', 'RecordResidenceRefusal'],
        cardApproved,
        noIdCard,
      ],
      after: closing,
    });
  });

  it('workflow-id-card: the ID card branch (Decree 301/2026) opened and approved', async () => {
    const { caseId } = await file({ idCard: { requested: true } });
    await decide(caseId, 'BIRTH', 'APPROVED');
    await decide(caseId, 'RESIDENCE', 'APPROVED');
    await decide(caseId, 'HEALTH_INSURANCE', 'APPROVED');
    await decide(caseId, 'ID_CARD', 'APPROVED');
    expectAwsHistory(await historyTypes(caseId), {
      before: birthApproved,
      branches: [
        residenceApproved,
        cardApproved,
        ['IdCardRequested', 'OpenIdCardDecisionTask', 'IdCardDecision', 'CompleteIdCard'],
      ],
      after: closing,
    });
  });

  it('interleaving check: rejects a branch event out of its branch order', () => {
    expect(isInterleaving(['a1', 'b1', 'a2'], [['a1', 'a2'], ['b1']])).toBe(true);
    expect(isInterleaving(['a2', 'b1', 'a1'], [['a1', 'a2'], ['b1']])).toBe(false);
  });
});
