/**
 * The workflow, generated from the procedure registry (functions/domain/procedures): ReceiveDossier, the first
 * procedure's decision, then one Parallel branch per other procedure, FinalizeCase and NotifyApplicant. Every
 * procedure is the same `humanDecision` block: a callback task in the agency's queue with its deadline, escalation and
 * a re-armed wait when the deadline passes, a supplement loop with the applicant's window, refusal, completion.
 * `npm run generate:workflow` writes workflows/birth-bundle.asl.json (committed: operators read and deploy it);
 * test/workflow/generate.test.ts fails when the file is not what this builds.
 *
 * Names: a Task state is named after the step it runs, with the procedure's stem in it (`Open<Stem>DecisionTask`,
 * `Reopen<Stem>DecisionTask` and `Open<Stem>SupplementTask` run openAgencyTask, `Escalate<Stem>Overdue` runs
 * escalateOverdue, `Record<Stem>Refusal` and `Record<Stem>SupplementMissed` run recordRefusal, `Complete<Stem>` runs
 * completeProcedure).
 */
import { deadlineRules } from '#domain/deadlines.js';
import {
  firstProcedure,
  type ProcedureDefinition,
  parallelProcedures,
  type Registry,
} from '#domain/procedures/index.js';

type State = Record<string, unknown>;
type States = Record<string, State>;

/**
 * Every Lambda step retries these by their stable names. Steps are idempotent, so a step that timed out
 * (`Sandbox.Timedout`; `Lambda.ClientExecutionTimeoutException` from the invoke) or died (`Lambda.Unknown`: out of
 * memory) is run again rather than failing the case.
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'Agency.Unavailable',
  'Case.WriteConflict',
];
const retry = [{ ErrorEquals: TRANSIENT_ERRORS, IntervalSeconds: 1, MaxAttempts: 6, BackoffRate: 2 }];
/** After an escalation the wait is re-armed for a day: the supervisor is told again each day it stays overdue. */
export const REARM_SECONDS = 24 * 3600;

const arn = (step: string) => `\${${step}FunctionArn}`;
/** The state-name stem of a procedure: its key, capitalised (`healthInsurance` → `HealthInsurance`). */
export const stemOf = (p: Pick<ProcedureDefinition, 'key'>) => p.key.charAt(0).toUpperCase() + p.key.slice(1);

/** The names of the states of one procedure's decision (tests and docs use them too). */
export const stateNames = (p: Pick<ProcedureDefinition, 'key'>) => {
  const s = stemOf(p);
  return {
    requested: `${s}Requested`,
    notRequested: `${s}NotRequested`,
    open: `Open${s}DecisionTask`,
    escalate: `Escalate${s}Overdue`,
    reopen: `Reopen${s}DecisionTask`,
    decision: `${s}Decision`,
    supplement: `Open${s}SupplementTask`,
    supplementMissed: `Record${s}SupplementMissed`,
    refusal: `Record${s}Refusal`,
    complete: `Complete${s}`,
  };
};

/** Where a decision block goes when its procedure ends: on in the main flow, or out of its Parallel branch. */
type Exit = { next: string; resultPath: string } | { end: true };
const ending = (exit: Exit): State =>
  'end' in exit ? { ResultPath: '$.result', OutputPath: '$.result' } : { ResultPath: exit.resultPath };
const after = (exit: Exit): State => ('end' in exit ? { End: true } : { Next: exit.next });

/**
 * A human decision with supplement loop, refusal, escalation and deadline, for one procedure: the one block every
 * procedure's states come from. `done` is where approval leads (its result path and next state); `closed` where a
 * refusal or a missed supplement window leads.
 */
export const humanDecision = (p: ProcedureDefinition, done: Exit, closed: Exit): States => {
  const n = stateNames(p);
  const k = `$.${p.key}`;
  const callback = (kind: 'DECISION' | 'SUPPLEMENT') => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Parameters: {
      FunctionName: arn('OpenAgencyTask'),
      Payload: {
        'caseId.$': '$.caseId',
        procedure: p.code,
        kind,
        'round.$': `${k}.round`,
        'taskToken.$': '$$.Task.Token',
      },
    },
  });
  const timeout = (next: string) => [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: next }];
  return {
    [n.open]: {
      Comment: `Opens the ${p.code} decision in its agency queue and waits for the officer (callback).`,
      ...callback('DECISION'),
      TimeoutSecondsPath: `${k}.timeoutSeconds`,
      ResultPath: k,
      Retry: retry,
      Catch: timeout(n.escalate),
      Next: n.decision,
    },
    [n.escalate]: {
      Comment: 'Deadline passed: mark overdue, notify the supervisor, keep waiting on the same task.',
      Type: 'Task',
      Resource: arn('EscalateOverdue'),
      Parameters: { 'caseId.$': '$.caseId', procedure: p.code, 'round.$': `${k}.round` },
      ResultPath: null,
      Retry: retry,
      Next: n.reopen,
    },
    [n.reopen]: {
      ...callback('DECISION'),
      TimeoutSeconds: REARM_SECONDS,
      ResultPath: k,
      Retry: retry,
      Catch: timeout(n.escalate),
      Next: n.decision,
    },
    [n.decision]: {
      Type: 'Choice',
      Choices: [
        { Variable: `${k}.decision`, StringEquals: 'APPROVED', Next: n.complete },
        { Variable: `${k}.decision`, StringEquals: 'SUPPLEMENT_REQUESTED', Next: n.supplement },
      ],
      Default: n.refusal,
    },
    [n.supplement]: {
      Comment: `Waits for the applicant to complete the dossier (${deadlineRules.supplementWorkingDays} working days).`,
      ...callback('SUPPLEMENT'),
      TimeoutSecondsPath: `${k}.supplementTimeoutSeconds`,
      ResultPath: k,
      Retry: retry,
      Catch: timeout(n.supplementMissed),
      Next: n.open,
    },
    [n.supplementMissed]: {
      Type: 'Task',
      Resource: arn('RecordRefusal'),
      Parameters: { 'caseId.$': '$.caseId', procedure: p.code, 'round.$': `${k}.round`, reason: 'SUPPLEMENT_MISSED' },
      ...ending(closed),
      Retry: retry,
      ...after(closed),
    },
    [n.refusal]: {
      Type: 'Task',
      Resource: arn('RecordRefusal'),
      Parameters: {
        'caseId.$': '$.caseId',
        procedure: p.code,
        'round.$': `${k}.round`,
        'answer.$': k,
        reason: 'REFUSED',
      },
      ...ending(closed),
      Retry: retry,
      ...after(closed),
    },
    [n.complete]: {
      Type: 'Task',
      Resource: arn('CompleteProcedure'),
      Parameters: { 'caseId.$': '$.caseId', procedure: p.code, 'round.$': `${k}.round`, 'answer.$': k },
      ...ending(done),
      Retry: retry,
      ...after(done),
    },
  };
};

/** One Parallel branch: the decision, behind a Choice on `requested` unless every case has the procedure. */
const branch = (p: ProcedureDefinition) => {
  const n = stateNames(p);
  const decision = humanDecision(p, { end: true }, { end: true });
  if (p.request.kind === 'always') return { StartAt: n.open, States: decision };
  return {
    StartAt: n.requested,
    States: {
      [n.requested]: {
        Type: 'Choice',
        Choices: [{ Variable: `$.${p.key}.requested`, BooleanEquals: true, Next: n.open }],
        Default: n.notRequested,
      },
      [n.notRequested]: { Type: 'Pass', Result: { procedure: p.code, status: 'NOT_REQUESTED' }, End: true },
      ...decision,
    },
  };
};

const list = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/** The whole state machine of a registry (JSONPath only). */
export const buildWorkflow = (reg: Registry) => {
  const first = firstProcedure(reg);
  const others = parallelProcedures(reg);
  const task = (step: string, parameters: State, rest: State): State => ({
    Type: 'Task',
    Resource: arn(step),
    Parameters: parameters,
    ...rest,
  });
  return {
    Comment:
      `Lienthong birth bundle: one dossier, ${first.name.en.toLowerCase()} then ` +
      `${list(others.map((p) => p.name.en.replace(/ \(child under 6\)$/, '').toLowerCase()))} in parallel. ` +
      'JSONPath only. Generated from functions/domain/procedures by `npm run generate:workflow`: do not edit.',
    StartAt: 'ReceiveDossier',
    States: {
      ReceiveDossier: task(
        'ReceiveDossier',
        { 'caseId.$': '$.caseId' },
        { ResultPath: '$', Retry: retry, Next: stateNames(first).open },
      ),
      ...humanDecision(
        first,
        { next: 'SplitToAgencies', resultPath: '$.downstream' },
        { next: 'FinalizeCase', resultPath: `$.${first.key}` },
      ),
      SplitToAgencies: {
        Type: 'Parallel',
        Parameters: {
          'caseId.$': '$.caseId',
          ...Object.fromEntries(others.map((p) => [`${p.key}.$`, `$.downstream.${p.key}`])),
        },
        Branches: others.map(branch),
        ResultPath: '$.procedures',
        Next: 'FinalizeCase',
      },
      FinalizeCase: task(
        'FinalizeCase',
        { 'caseId.$': '$.caseId' },
        { ResultPath: '$.outcome', Retry: retry, Next: 'NotifyApplicant' },
      ),
      NotifyApplicant: task(
        'NotifyApplicant',
        { 'caseId.$': '$.caseId', event: 'CASE_CLOSED' },
        { ResultPath: null, Retry: retry, End: true, OutputPath: '$.outcome' },
      ),
    },
  };
};

/** The file's text: what `npm run generate:workflow` writes and the test compares. */
export const renderWorkflow = (reg: Registry): string => `${JSON.stringify(buildWorkflow(reg), null, 2)}\n`;
