/**
 * Issue 9 (item 4): the access log grows with every read, and verify read all of it. Every
 * `ACCESS_CHECKPOINT_EVERY`-th head is also anchored as a checkpoint; verify starts from the last one (one query for
 * the entries after it), and `verify --full` (`?full=true`) still checks the log from its first entry.
 */
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditStore } from '#adapters/auditStore.js';
import { verifyAccess } from '#adapters/caseVerification.js';
import { MemoryAnchor } from '#adapters/chainAnchor.js';
import { caseStore } from '#adapters/store.js';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { PINNED_CLOCK_SETTING } from '#support/time.js';

let stack: LocalStack;
let deps: { caseStore: ReturnType<typeof caseStore>; auditStore: AuditStore };

beforeAll(async () => {
  stack = await startLocalStack({ clock: PINNED_CLOCK_SETTING });
  // A checkpoint every 5 reads (1,000 in the deployed code), on an anchor of its own.
  deps = {
    caseStore: caseStore(),
    auditStore: new AuditStore(caseStore().doc, stack.tableName, new MemoryAnchor(), 5),
  };
});
afterAll(async () => {
  await stack?.stop();
});

const key = (caseId: string, seq: number) => ({ PK: `ACCESS#${caseId}`, SK: `READ#${String(seq).padStart(9, '0')}` });
const editPurpose = (caseId: string, seq: number) =>
  caseStore().doc.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: key(caseId, seq),
      UpdateExpression: 'SET entry.purpose = :p',
      ExpressionAttributeValues: { ':p': 'nothing to see' },
    }),
  );

const readTwelveTimes = async (caseId: string) => {
  const at = new Date('2026-11-23T02:00:00Z');
  for (let i = 0; i < 12; i++) {
    await deps.auditStore.recordAccess(caseId, { id: 'kiemtra', role: 'auditor' }, 'case.read', at);
  }
};

describe('Access log checkpoints', () => {
  it('access.checkpoint: verify reads only the entries after the last anchored checkpoint and still detects an edit or a deleted tail there', async () => {
    // prepare
    const [a, b] = ['CHECKPOINT-EDIT', 'CHECKPOINT-TAIL'];
    await readTwelveTimes(a);
    await readTwelveTimes(b);
    // act
    const clean = await verifyAccess(a, deps);
    await editPurpose(a, 11);
    const edited = await verifyAccess(a, deps);
    await caseStore().doc.send(new DeleteCommand({ TableName: stack.tableName, Key: key(b, 12) }));
    const cut = await verifyAccess(b, deps);
    // assess: two entries read (11 and 12, after the checkpoint at 10), not twelve
    expect(clean).toMatchObject({ verified: true, from: 10, entries: 2 });
    expect(edited.problem).toMatchObject({ kind: 'HASH_MISMATCH', seq: 11 });
    expect(cut.problem).toMatchObject({ kind: 'MISSING_TAIL', seq: 12 });
  });

  it('access.checkpoint: an entry before the checkpoint is checked by the full verify only (verify --full, ?full=true)', async () => {
    // prepare
    const caseId = 'CHECKPOINT-BEFORE';
    await readTwelveTimes(caseId);
    // act
    await editPurpose(caseId, 3);
    const fromCheckpoint = await verifyAccess(caseId, deps);
    const full = await verifyAccess(caseId, deps, { full: true });
    // assess: the early edit is outside what the checkpointed verify reads (documented), the full one names it
    expect(fromCheckpoint).toMatchObject({ verified: true, from: 10 });
    expect(full).toMatchObject({ verified: false, entries: 12 });
    expect(full.problem).toMatchObject({ kind: 'HASH_MISMATCH', seq: 3 });
  });
});
