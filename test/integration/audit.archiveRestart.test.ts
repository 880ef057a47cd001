/**
 * Issue 9, finding 8: after a crash the history archive has no gaps. An execution that ended while nothing archived
 * it (the process died between the end of the execution and its archive; locally the archiver is simply off) is
 * archived and pinned with its final status when the stack starts again, and the case then verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { verifyCase } from '#adapters/caseVerification.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { apiClient, deciderOf, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';
import { freePort } from '#support/net.js';

const dataDir = mkdtempSync(join(tmpdir(), 'lienthong-archive-'));
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const finalPins = async (caseId: string) =>
  (await caseStore().loadEvents(caseId)).filter(
    (e) => e.data.type === 'HISTORY_ARCHIVED' && e.data.status !== 'RUNNING',
  );

describe('Finding 8: archive at completion is guaranteed after a crash', () => {
  it('archives and pins, on the next start, an execution that ended while the archiver was down', async () => {
    // prepare: the same data folder and ports for both runs (the process keeps its clients)
    const ports = { dynamoPort: await freePort(), sfnPort: await freePort() };
    const options = { clock: 'from:2026-11-23T02:00:00Z', dataDir, ...ports };
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
});
