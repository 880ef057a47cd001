/**
 * The local endpoint validates requests as AWS does: page sizes (default 100, at most 1000), the status filter's enum,
 * the 256 KB payload limit on an execution's input and a task's output; each refusal in AWS's error shape, checked
 * through the AWS CLI (v2 where it has the operation) as a developer or an operator would meet it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackMachine, fn, Harness, passMachine, tokenRecorder } from '../conformance/harness.js';
import { awsCli } from '../support/awsCli.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h.stop();
});

const LIMIT = 256 * 1024;

describe('request validation on the local endpoint, as AWS', () => {
  it('list-executions-page-size: 100 by default, 1000 at most; ValidationException beyond, and for an unknown status filter', async () => {
    const stateMachineArn = h.engine.registerStateMachine({
      name: 'paged',
      definition: passMachine({}),
      substitutions: {},
      handlers: {},
    });
    for (let i = 0; i < 101; i++) await h.engine.startExecution({ stateMachineArn, name: `run-${i}` });

    const firstPage = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(firstPage.executions).toHaveLength(100);
    expect(firstPage.nextToken).toBeDefined();
    const rest = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken: firstPage.nextToken }));
    expect(rest.executions).toHaveLength(1);

    const cli = await awsCli(['stepfunctions', 'list-executions']);
    const tooBig = await cli.fail(
      ['stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn, '--page-size', '1001'],
      h.url,
    );
    expect(tooBig).toContain(
      "An error occurred (ValidationException) when calling the ListExecutions operation: 1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    const badFilter = await cli.fail(
      ['stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn, '--status-filter', 'DONE'],
      h.url,
    );
    expect(badFilter).toContain(
      "An error occurred (ValidationException) when calling the ListExecutions operation: 1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]",
    );
    const listed = JSON.parse(
      await cli.run(
        ['stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn, '--status-filter', 'SUCCEEDED'],
        h.url,
      ),
    ) as { executions: unknown[] };
    expect(listed.executions.length).toBeGreaterThan(0);

    const { executionArn } = await h.engine.startExecution({ stateMachineArn, name: 'history' });
    await h.outcome(executionArn);
    const historyTooBig = await cli.fail(
      ['stepfunctions', 'get-execution-history', '--execution-arn', executionArn, '--page-size', '1001'],
      h.url,
    );
    expect(historyTooBig).toContain(
      "An error occurred (ValidationException) when calling the GetExecutionHistory operation: 1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  it('payload-limit: an input or a task output above 256 KB is InvalidExecutionInput / InvalidOutput', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-limits-'));
    const big = join(dir, 'big.json');
    const justUnder = join(dir, 'under.json');
    writeFileSync(big, JSON.stringify({ blob: 'x'.repeat(LIMIT) }));
    writeFileSync(justUnder, JSON.stringify({ blob: 'x'.repeat(LIMIT - 20) }));
    const open = tokenRecorder();
    const stateMachineArn = h.engine.registerStateMachine({
      name: 'limits',
      definition: callbackMachine({ TimeoutSeconds: 3600 }),
      substitutions: {},
      handlers: { [fn('open')]: open.handler },
    });
    const cli = await awsCli(['stepfunctions', 'start-execution']);

    const refused = await cli.fail(
      ['stepfunctions', 'start-execution', '--state-machine-arn', stateMachineArn, '--input', `file://${big}`],
      h.url,
    );
    expect(refused).toContain('An error occurred (InvalidExecutionInput) when calling the StartExecution operation');
    const started = JSON.parse(
      await cli.run(
        ['stepfunctions', 'start-execution', '--state-machine-arn', stateMachineArn, '--input', `file://${justUnder}`],
        h.url,
      ),
    ) as { executionArn: string };
    const token = await open.next(1);
    const outputRefused = await cli.fail(
      ['stepfunctions', 'send-task-success', '--task-token', token, '--task-output', `file://${big}`],
      h.url,
    );
    expect(outputRefused).toContain('An error occurred (InvalidOutput) when calling the SendTaskSuccess operation');
    await cli.run(['stepfunctions', 'send-task-success', '--task-token', token, '--task-output', '{"ok":true}'], h.url);

    expect((await h.outcome(started.executionArn)).output).toEqual({ ok: true });
  });
});
