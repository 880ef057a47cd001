/**
 * The auditor's endpoints (role `auditor` only, read-only; each read of a case is recorded in its access log):
 * GET  /audit/cases/{caseId}/timeline  who did what, when, against which deadline
 * GET  /audit/cases/{caseId}/verify    the chain against its anchored heads, the projection against the events, every
 *                                      archived history against the digest the chain pins, the access log's chain
 * POST /audit/cases/{caseId}/replay    re-runs the recorded workflow version with the recorded results (writes nothing
 *                                      but the access record; POST because it is a computation, not a resource)
 * GET  /audit/cases/{caseId}/export    ?format=jsonl|csv: the record with its chain proof
 * GET  /audit/cases/{caseId}/access    who read the case's personal data, when and why (its access log)
 * GET  /audit/access?from=&to=         the same across cases, at most 31 days
 */
import { z } from 'zod';
import { exportCase, replayCase, verifyCase } from '#adapters/caseVerification.js';
import { clock } from '#adapters/config.js';
import { auditStore, caseStore } from '#adapters/store.js';
import { auditTimeline } from '#domain/auditTimeline.js';
import { issue, ValidationError } from '#domain/errors.js';
import { loadVisibleCase } from './access.js';
import { recordView } from './cases.js';
import { apiHandler, parseWith, type Request, requireRole } from './http.js';

const deps = () => ({ caseStore: caseStore(), auditStore: auditStore() });

/** The auditor, the case (404 when there is none), and the access record of this read. */
const auditedCase = async (req: Request, purpose: string) => {
  const p = requireRole(req, 'auditor');
  const state = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
  await recordView(state.caseId, p, purpose, clock().now());
  return state;
};

const Range = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).describe('Start, inclusive (ISO date or date-time)'),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).describe('End, exclusive (ISO date or date-time)'),
});
const MAX_RANGE_DAYS = 31;

export const handler = apiHandler({
  'GET /audit/cases/{caseId}/timeline': async (req) => {
    const state = await auditedCase(req, 'audit.timeline');
    const events = await caseStore().loadEvents(state.caseId);
    const executions = await auditStore().listExecutions(state.caseId);
    return {
      status: 200,
      body: {
        caseId: state.caseId,
        dossierCode: state.dossierCode,
        status: state.status,
        deadlines: state.deadlines,
        timeline: auditTimeline(events),
        executions: executions.map((x) => ({
          name: x.executionName,
          status: x.status,
          startDate: x.startDate,
          stopDate: x.stopDate,
          workflow: x.workflow,
        })),
      },
    };
  },
  'GET /audit/cases/{caseId}/verify': async (req) => {
    // `?full=true`: the access log from its first entry, not from its last checkpoint.
    const full = parseWith(z.enum(['true', 'false']).default('false'), req.query.full, 'full') === 'true';
    const state = await auditedCase(req, 'audit.verify');
    return { status: 200, body: await verifyCase(state.caseId, deps(), { full }) };
  },
  'POST /audit/cases/{caseId}/replay': async (req) => {
    const state = await auditedCase(req, 'audit.replay');
    return { status: 200, body: await replayCase(state.caseId, deps()) };
  },
  'GET /audit/cases/{caseId}/export': async (req) => {
    const format = parseWith(z.enum(['jsonl', 'csv']).default('jsonl'), req.query.format, 'format');
    const state = await auditedCase(req, `audit.export.${format}`);
    const { text } = await exportCase(state.caseId, format, deps(), clock().now());
    return {
      status: 200,
      body: text,
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${state.caseId}.${format}"`,
      },
      raw: true,
    };
  },
  'GET /audit/cases/{caseId}/access': async (req) => {
    const state = await auditedCase(req, 'audit.access');
    const entries = await auditStore().loadAccess(state.caseId);
    return {
      status: 200,
      body: {
        caseId: state.caseId,
        access: entries.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, purpose: e.purpose })),
      },
    };
  },
  'GET /audit/access': async (req) => {
    requireRole(req, 'auditor');
    const { from, to } = parseWith(Range, req.query);
    const fromIso = new Date(from).toISOString();
    const toIso = new Date(to).toISOString();
    const days = (Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000;
    if (!(days > 0 && days <= MAX_RANGE_DAYS)) {
      throw new ValidationError([
        issue(
          'to',
          'audit.range',
          `Khoảng thời gian phải từ 1 đến ${MAX_RANGE_DAYS} ngày.`,
          `The range must be 1 to ${MAX_RANGE_DAYS} days.`,
        ),
      ]);
    }
    return { status: 200, body: { from: fromIso, to: toIso, access: await auditStore().listAccess(fromIso, toIso) } };
  },
});
