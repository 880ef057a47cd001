/**
 * The Step Functions adapter, isolated with aws-sdk-client-mock: which answers from Step Functions mean "the step is
 * gone, the decision stays recorded" (false) and which are real failures (rethrown for the caller to retry).
 */
import {
  ExecutionAlreadyExists,
  InvalidArn,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { answerTask, startCaseExecution } from '#adapters/workflow.js';

const ARN = 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:lienthong-birth-bundle';
const sfn = mockClient(SFNClient);
const meta = { $metadata: {}, message: 'from Step Functions' };

beforeAll(() => {
  process.env.TABLE_NAME ??= 'lienthong-cases';
  process.env.STATE_MACHINE_ARN ??= ARN;
});
afterEach(() => {
  sfn.reset();
});

const notDelivered = [
  ['TaskTimedOut', new TaskTimedOut(meta)],
  ['TaskDoesNotExist', new TaskDoesNotExist(meta)],
  ['InvalidToken', new InvalidToken(meta)],
] as const;

const realFailures = [
  [
    'a throttled call',
    Object.assign(new SFNServiceException({ ...meta, name: 'ThrottlingException', $fault: 'client' })),
  ],
  ['an unreachable endpoint', Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' })],
  ['a malformed ARN', new InvalidArn(meta)],
] as const;

describe('Function: answerTask', () => {
  it('sends the output as JSON with the token and reports it delivered', async () => {
    // prepare
    sfn.on(SendTaskSuccessCommand).resolves({});
    // act
    const delivered = await answerTask('token-1', { round: 1, decision: 'APPROVED' });
    // assess
    expect(delivered).toBe(true);
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([
      { taskToken: 'token-1', output: '{"round":1,"decision":"APPROVED"}' },
    ]);
  });

  it.each(notDelivered)('treats %s as "not delivered" (false), not as an error', async (_name, error) => {
    // prepare
    sfn.on(SendTaskSuccessCommand).rejects(error);
    // act
    const delivered = await answerTask('stale-token', { round: 1 });
    // assess
    expect(delivered).toBe(false);
  });

  it.each(realFailures)('rethrows %s', async (_what, error) => {
    // prepare
    sfn.on(SendTaskSuccessCommand).rejects(error);
    // act
    const answering = answerTask('token-1', { round: 1 });
    // assess
    await expect(answering).rejects.toBe(error);
  });
});

describe('Function: startCaseExecution', () => {
  it('starts an execution named after the case, with the case id as input', async () => {
    // prepare
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:case-1`, startDate: new Date() });
    // act
    const arn = await startCaseExecution('case-1');
    // assess
    expect(arn).toBe('arn:aws:states:ap-southeast-1:000000000000:execution:lienthong-birth-bundle:case-1');
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'case-1',
      input: '{"caseId":"case-1"}',
    });
  });

  it('tolerates ExecutionAlreadyExists (a retried filing) and returns that execution', async () => {
    // prepare
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists(meta));
    // act
    const arn = await startCaseExecution('case-2');
    // assess
    expect(arn).toBe('arn:aws:states:ap-southeast-1:000000000000:execution:lienthong-birth-bundle:case-2');
  });

  it.each(realFailures)('rethrows %s', async (_what, error) => {
    // prepare
    sfn.on(StartExecutionCommand).rejects(error);
    // act / assess
    await expect(startCaseExecution('case-3')).rejects.toBe(error);
  });
});
