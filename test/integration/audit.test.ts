/**
 * The auditor's record on the local stack: every outcome's case verifies and replays; a direct edit or deletion in
 * DynamoDB is detected and named; archived history holds no personal data and no task token.
 */
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { replayCase, verifyCase } from '#adapters/caseVerification.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { definitionHash } from '#domain/executionHistory.js';
import { demoDossier } from '#support/dossiers.js';
import { type Outcome, startAuditStack } from './auditSupport.js';

let env: Awaited<ReturnType<typeof startAuditStack>>;
const cases = {} as Record<Outcome, string>;
const deps = () => ({ caseStore: caseStore(), auditStore: auditStore() });

beforeAll(async () => {
  env = await startAuditStack();
  for (const o of ['approveAll', 'birthRefused', 'residenceRefused', 'supplementThenApproved'] as Outcome[]) {
    cases[o] = await env.runCase(o);
  }
}, 300_000);

afterAll(async () => {
  await env?.stop();
});

describe('Audit: hash chain, archived history, replay (local stack)', () => {
  it.each(['approveAll', 'birthRefused', 'residenceRefused', 'supplementThenApproved'] as Outcome[])(
    'verifies the chain and the archived history of a case (%s)',
    async (outcome) => {
      const v = await verifyCase(cases[outcome], deps());
      expect(v.chain.problem).toBeUndefined();
      expect(v.histories).toHaveLength(1);
      expect(v.histories[0]).toMatchObject({ verified: true });
      expect(v.verified).toBe(true);
    },
  );

  it.each(['approveAll', 'birthRefused', 'residenceRefused', 'supplementThenApproved'] as Outcome[])(
    'replays the recorded workflow of a case to the same path and output (%s)',
    async (outcome) => {
      const r = await replayCase(cases[outcome], deps());
      expect(r.executions[0]?.divergence).toBeUndefined();
      expect(r.verdict).toBe('verified');
      expect(r.executions[0]?.inProgress).toBe(false);
    },
  );

  it('keeps the definition each case ran on, by content hash, and the case log names it', async () => {
    // prepare
    const events = await caseStore().loadEvents(cases.approveAll);
    // act
    const pinned = events.filter((e) => e.data.type === 'HISTORY_ARCHIVED').at(-1);
    // assess
    expect(pinned?.data).toMatchObject({
      type: 'HISTORY_ARCHIVED',
      status: 'SUCCEEDED',
      workflow: { version: 'unversioned' },
    });
    const hash = pinned?.data.type === 'HISTORY_ARCHIVED' ? pinned.data.workflow.definitionHash : '';
    const wf = await auditStore().getWorkflow(hash);
    expect(wf && definitionHash(wf.definition)).toBe(hash);
    expect(JSON.parse(wf!.definition).StartAt).toBe('ReceiveDossier');
  });

  it('archives history without personal data and without task tokens', async () => {
    // prepare
    const events = await caseStore().loadEvents(cases.supplementThenApproved);
    const filed = events[0]!.data.type === 'DOSSIER_FILED' ? events[0]!.data.dossier : undefined;
    // act
    const text = JSON.stringify(
      await auditStore().loadHistory(cases.supplementThenApproved, cases.supplementThenApproved),
    );
    // assess
    expect(text.length).toBeGreaterThan(1000);
    for (const personal of [
      filed!.child.givenName,
      filed!.mother!.personalId,
      filed!.mother!.fullName,
      filed!.applicant.phone,
    ]) {
      expect(text).not.toContain(personal);
    }
    expect(text).toContain('<redacted task token>');
    expect(text).not.toMatch(/"taskToken\\?":\\?"(?!<redacted)/);
  });

  it('names an event edited directly in DynamoDB (UpdateItem on the raw item)', async () => {
    // prepare
    const caseId = await env.runCase('birthRefused');
    const events = await caseStore().loadEvents(caseId);
    const refusal = events.find((e) => e.data.type === 'DECISION_RECORDED')!;
    // act
    await caseStore().doc.send(
      new UpdateCommand({
        TableName: env.stack.tableName,
        Key: { PK: `CASE#${caseId}`, SK: `EVENT#${String(refusal.seq).padStart(9, '0')}` },
        UpdateExpression: 'SET #e.#d.#x = :approved',
        ExpressionAttributeNames: { '#e': 'event', '#d': 'data', '#x': 'decision' },
        ExpressionAttributeValues: { ':approved': 'APPROVED' },
      }),
    );
    const v = await verifyCase(caseId, deps());
    // assess
    expect(v.verified).toBe(false);
    expect(v.chain.problem).toMatchObject({ kind: 'HASH_MISMATCH', seq: refusal.seq });
  });

  it('names an event deleted from the middle of the log, and a deleted last event', async () => {
    // prepare
    const caseId = await env.runCase('birthRefused');
    const events = await caseStore().loadEvents(caseId);
    const del = (seq: number) =>
      caseStore().doc.send(
        new DeleteCommand({
          TableName: env.stack.tableName,
          Key: { PK: `CASE#${caseId}`, SK: `EVENT#${String(seq).padStart(9, '0')}` },
        }),
      );
    const last = events.at(-1)!.seq;
    // act
    await del(last);
    const tail = await verifyCase(caseId, deps());
    await del(3);
    const middle = await verifyCase(caseId, deps());
    // assess
    expect(tail.chain.problem).toMatchObject({ kind: 'MISSING_TAIL', seq: last });
    expect(middle.chain.problem).toMatchObject({ kind: 'SEQ_GAP', seq: 3 });
  });

  it('detects an edited archived history, and its replay diverges at the state whose result was changed', async () => {
    // prepare
    const caseId = await env.runCase('birthRefused');
    const history = await auditStore().loadHistory(caseId, caseId);
    const answer = history.find(
      (e) =>
        e.type === 'TaskSucceeded' &&
        String((e.taskSucceededEventDetails as { output: string }).output).includes('REFUSED'),
    )!;
    // act
    await caseStore().doc.send(
      new UpdateCommand({
        TableName: env.stack.tableName,
        Key: { PK: `CASE#${caseId}`, SK: `HISTORY#${caseId}#${String(answer.id).padStart(6, '0')}` },
        UpdateExpression: 'SET #e.#d.#o = :o',
        ExpressionAttributeNames: { '#e': 'event', '#d': 'taskSucceededEventDetails', '#o': 'output' },
        ExpressionAttributeValues: { ':o': JSON.stringify({ round: 1, decision: 'APPROVED' }) },
      }),
    );
    const v = await verifyCase(caseId, deps());
    const r = await replayCase(caseId, deps());
    // assess
    expect(v.chain.verified).toBe(true);
    expect(v.histories[0]).toMatchObject({ verified: false });
    expect(r.verdict).toBe('diverged');
    expect(r.executions[0]?.divergence).toMatchObject({ what: 'output', state: 'OpenBirthDecisionTask' });
  });
});

describe('Audit API (role auditor)', () => {
  it('gives the timeline with actors, decisions and deadlines met', async () => {
    // act
    const r = await env.api.call<{
      timeline: { type: string; actor: { id: string }; decision?: string; deadline?: string }[];
    }>('GET', `/audit/cases/${cases.supplementThenApproved}/timeline`, { as: 'kiemtra' });
    // assess
    expect(r.status).toBe(200);
    const decisions = r.body.timeline.filter((e) => e.type === 'DECISION_RECORDED');
    expect(decisions.map((d) => d.decision)).toEqual([
      'SUPPLEMENT_REQUESTED',
      'APPROVED',
      'APPROVED',
      'APPROVED',
      'APPROVED',
    ]);
    expect(decisions.every((d) => d.deadline === 'MET')).toBe(true);
    expect(decisions[0]?.actor.id).toBe('local-hotich.badinh');
  });

  it('verifies, replays and exports with the chain proof (jsonl and csv)', async () => {
    // act
    const v = await env.api.call<{ verified: boolean }>('GET', `/audit/cases/${cases.residenceRefused}/verify`, {
      as: 'kiemtra',
    });
    const r = await env.api.call<{ verdict: string }>('POST', `/audit/cases/${cases.residenceRefused}/replay`, {
      as: 'kiemtra',
    });
    const jsonl = await fetch(`${env.stack.apiUrl}/audit/cases/${cases.residenceRefused}/export?format=jsonl`, {
      headers: { authorization: `Bearer ${await env.api.token('kiemtra')}` },
    });
    const csv = await fetch(`${env.stack.apiUrl}/audit/cases/${cases.residenceRefused}/export?format=csv`, {
      headers: { authorization: `Bearer ${await env.api.token('kiemtra')}` },
    });
    // assess
    expect(v.body.verified).toBe(true);
    expect(r.body.verdict).toBe('verified');
    const lines = (await jsonl.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({
      type: 'CHAIN_PROOF',
      verified: true,
      head: lines.at(-2).hash,
      events: lines.length - 1,
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\n');
    expect(rows[0]).toBe('seq,at,type,actorId,actorRole,actorUnit,key,prevHash,hash,data');
    expect(rows.at(-1)).toContain('CHAIN_PROOF');
  });

  it('records every read, the applicant reads included, and lists who read what and when', async () => {
    // prepare
    const filed = await env.api.file(demoDossier());
    const { caseId, dossierCode, trackingSecret } = filed.body;
    await env.api.call('GET', `/tracking/${dossierCode}`, { headers: { 'x-tracking-secret': trackingSecret } });
    await env.api.call('GET', `/cases/${caseId}`, { as: 'hotich.badinh' });
    await env.api.call('GET', `/audit/cases/${caseId}/timeline`, { as: 'kiemtra' });
    // act
    const r = await env.api.call<{ access: { actor: { id: string; role: string }; purpose: string }[] }>(
      'GET',
      `/audit/cases/${caseId}/access`,
      {
        as: 'kiemtra',
      },
    );
    const across = await env.api.call<{ access: { caseId: string; purpose: string }[] }>(
      'GET',
      `/audit/access?from=2026-11-01&to=2026-12-01`,
      {
        as: 'kiemtra',
      },
    );
    // assess
    expect(r.body.access.map((a) => [a.actor.role, a.purpose])).toEqual([
      ['applicant', 'tracking.read'],
      ['civil-status-officer', 'case.read'],
      ['auditor', 'audit.timeline'],
      ['auditor', 'audit.access'],
    ]);
    expect(across.body.access.filter((a) => a.caseId === caseId).map((a) => a.purpose)).toContain('tracking.read');
  });

  it.each(['hotich.badinh', 'congan.badinh', 'bhxh.hanoi'])('refuses the audit endpoints to %s (403)', async (user) => {
    // act
    const r = await env.api.call('GET', `/audit/cases/${cases.approveAll}/verify`, { as: user });
    // assess
    expect(r.status).toBe(403);
  });
});
