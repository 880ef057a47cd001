/**
 * The only code that talks to Step Functions: start a case's execution, answer a waiting step.
 * Callback tokens are bearer secrets: they are passed through, never logged.
 */
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from './clients.js';
import { config, readAtColdStart } from './config.js';

readAtColdStart((c) => c.stateMachineArn);

/** Starts the workflow for a case. The execution name is the case id, so a retried start is idempotent. */
export const startCaseExecution = async (caseId: string): Promise<string> => {
  const { stateMachineArn } = config();
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
  try {
    const r = await sfnClient().send(
      new StartExecutionCommand({ stateMachineArn, name: caseId, input: JSON.stringify({ caseId }) }),
    );
    return r.executionArn ?? executionArn;
  } catch (err) {
    // The case's execution already ran (a retried filing after it finished): it is the one we want.
    if ((err as { name?: string }).name === 'ExecutionAlreadyExists') return executionArn;
    throw err;
  }
};

/** True when the step answered; false when the token is no longer valid (the step timed out or was re-opened). */
export const answerTask = async (taskToken: string, output: unknown): Promise<boolean> => {
  try {
    await sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes(name)) return false;
    throw err;
  }
};
