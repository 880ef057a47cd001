/** One local stack with the history archive attached, and a batch of cases with every outcome, for the audit tests. */
import { attachHistoryArchive } from '#infra/local/historyArchive.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#infra/local/stack.js';
import { handler as archiveHandler } from '#steps/archiveExecutionHistory.js';
import { apiClient, deciderOf, waitForStatus, waitForTask } from '#support/api.js';
import { demoDossier } from '#support/dossiers.js';

export type Outcome = 'approveAll' | 'birthRefused' | 'residenceRefused' | 'supplementThenApproved';

export const startAuditStack = async (opts: LocalStackOptions = {}) => {
  const stack: LocalStack = await startLocalStack({ clock: 'from:2026-11-23T02:00:00Z', ...opts });
  const archive = attachHistoryArchive(stack.engine, archiveHandler);
  const api = apiClient(stack.apiUrl);
  const executionArn = (caseId: string) =>
    `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

  const decideWhenOpen = async (caseId: string, procedure: string, decision: string, reason?: string) => {
    await waitForTask(api, caseId, procedure);
    const r = await api.decide(caseId, procedure, decision, deciderOf[procedure]!, reason);
    if (r.status !== 202) throw new Error(`decision ${procedure} ${decision}: ${r.status} ${JSON.stringify(r.body)}`);
  };

  /** Files a case and takes it to the end by the given path; resolves once its history is archived. */
  const runCase = async (outcome: Outcome): Promise<string> => {
    const filed = await api.file(demoDossier());
    if (filed.status !== 201) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
    const { caseId } = filed.body;
    const downstream = ['RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD'];
    if (outcome === 'birthRefused') {
      await decideWhenOpen(caseId, 'BIRTH', 'REFUSED', 'Giấy chứng sinh không hợp lệ');
    } else {
      if (outcome === 'supplementThenApproved') {
        await decideWhenOpen(caseId, 'BIRTH', 'SUPPLEMENT_REQUESTED', 'Bổ sung bản sao giấy đăng ký kết hôn');
        await waitForTask(api, caseId, 'BIRTH', 'SUPPLEMENT');
        const s = await api.call('POST', `/cases/${caseId}/supplements`, {
          as: 'hotich.badinh',
          body: { procedure: 'BIRTH', note: 'Đã nộp bản sao giấy đăng ký kết hôn' },
        });
        if (s.status !== 202) throw new Error(`supplement: ${s.status} ${JSON.stringify(s.body)}`);
      }
      await decideWhenOpen(caseId, 'BIRTH', 'APPROVED');
      for (const p of downstream) {
        if (outcome === 'residenceRefused' && p === 'RESIDENCE')
          await decideWhenOpen(caseId, p, 'REFUSED', 'Không đủ điều kiện cư trú');
        else await decideWhenOpen(caseId, p, 'APPROVED');
      }
    }
    await waitForStatus(api, caseId, ['COMPLETED', 'PARTIALLY_COMPLETED', 'REFUSED']);
    await stack.engine.waitForExecution(executionArn(caseId), { timeoutMs: 10_000 });
    await archive.archived(executionArn(caseId));
    return caseId;
  };

  return {
    stack,
    api,
    archive,
    runCase,
    executionArn,
    async stop() {
      archive.close();
      await archive.idle();
      await stack.stop();
    },
  };
};
