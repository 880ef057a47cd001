/**
 * Issue 9, finding 8: after a crash the history archive has no gaps. An execution that ended while nothing archived
 * it (the process died between the end of the execution and its archive; locally the archiver is simply off) is
 * archived and pinned with its final status when the stack starts again, and the case then verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from '@jest/globals';
import { verifyCase } from '#adapters/caseVerification.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { projectCase } from '#domain/caseState.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, deciderOf, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { freePort } from '#support/net.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lienthong-archive-'));
const dataDir2 = mkdtempSync(join(tmpdir(), 'lienthong-archive-'));
let stack: LocalStack | undefined;
/** One pair of ports for every stack of this file: the process's clients are built once, on the first stack's ports. */
let ports: { dynamoPort: number; sfnPort: number } | undefined;
const samePorts = async () => (ports ??= { dynamoPort: await freePort(), sfnPort: await freePort() });

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dataDir2, { recursive: true, force: true });
});

const finalPins = async (caseId: string) =>
  (await caseStore().loadEvents(caseId)).filter(
    (e) => e.data.type === 'HISTORY_ARCHIVED' && e.data.status !== 'RUNNING',
  );

describe('Finding 8: archive at completion is guaranteed after a crash', () => {
  it('archives and pins, on the next start, an execution that ended while the archiver was down', async () => {
    // prepare: the same data folder and ports for both runs (the process keeps its clients)
    const options = { clock: 'from:2026-11-23T02:00:00Z', dataDir, ...(await samePorts()) };
    stack = await startLocalStack({ ...options, historyArchive: false });
    const api = apiClient(stack.apiUrl);
    const filed = await api.file(demoDossier());
    const { caseId } = filed.body;
    await waitForTask(api, caseId, 'BIRTH');
    expect(
      (await api.decide(caseId, 'BIRTH', 'REFUSED', deciderOf.BIRTH!, 'Giấy chứng sinh không hợp lệ')).status,
    ).toBe(202);
    await waitForStatus(api, caseId, ['REFUSED']);
    const executionArn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
    const ended = await stack.engine.waitForExecution(executionArn, { timeoutMs: 10_000 });
    const before = await verifyCase(caseId, { caseStore: caseStore(), auditStore: auditStore() });
    await stack.stop();
    stack = undefined;
    // act
    stack = await startLocalStack(options);
    await stack.archiveIdle();
    const after = await verifyCase(caseId, { caseStore: caseStore(), auditStore: auditStore() });
    // assess
    expect(ended.status).toBe('SUCCEEDED');
    expect(before.verified).toBe(false);
    expect(before.problem).toContain('not archived at completion');
    expect((await finalPins(caseId)).map((e) => e.data)).toMatchObject([
      { type: 'HISTORY_ARCHIVED', executionName: caseId, status: 'SUCCEEDED' },
    ]);
    expect(after.histories).toMatchObject([{ executionName: caseId, verified: true }]);
    expect(after.verified).toBe(true);
  }, 60_000);

  it('pinned at completion, then a crash before its projection: the next start brings the state up to the pin (verify passes)', async () => {
    // prepare: a case closed and pinned; then the state item as a crash right after the pin's write leaves it
    await stack?.stop();
    const options = { clock: 'from:2026-11-23T02:00:00Z', dataDir: dataDir2, ...(await samePorts()) };
    stack = await startLocalStack(options);
    const api = apiClient(stack.apiUrl);
    const { caseId } = (await api.file(demoDossier())).body;
    await waitForTask(api, caseId, 'BIRTH');
    await api.decide(caseId, 'BIRTH', 'REFUSED', deciderOf.BIRTH!, 'Giấy chứng sinh không hợp lệ');
    await waitForStatus(api, caseId, ['REFUSED']);
    const executionArn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
    await stack.engine.waitForExecution(executionArn, { timeoutMs: 10_000 });
    await stack.archiveIdle();
    const events = await caseStore().loadEvents(caseId);
    expect(events.at(-1)?.data).toMatchObject({ type: 'HISTORY_ARCHIVED', status: 'SUCCEEDED' });
    const behind = projectCase(events.slice(0, -1));
    await caseStore().doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { PK: `CASE#${caseId}`, SK: 'STATE' },
        UpdateExpression: 'SET #s = :s, version = :v',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':s': behind, ':v': behind.version },
      }),
    );
    const before = await verifyCase(caseId, { caseStore: caseStore(), auditStore: auditStore() });
    await stack.stop();
    stack = undefined;
    // act
    stack = await startLocalStack(options);
    await stack.archiveIdle();
    const after = await verifyCase(caseId, { caseStore: caseStore(), auditStore: auditStore() });
    // assess
    expect(before.verified).toBe(false);
    expect(before.projection.differences).toContain('version');
    expect((await caseStore().getState(caseId))?.version).toBe(events.at(-1)!.seq);
    expect(after.verified).toBe(true);
  }, 120_000);
});
