/**
 * POST /cases/{caseId}/decisions: an officer decides their procedure (approve, request a supplement, refuse).
 * POST /cases/{caseId}/supplements: the civil-status officer submits the family's supplement on their behalf.
 * POST /cases/{caseId}/extensions: the deciding officer moves the appointment (verification needed, the population
 * database is late, ...); the family gets the apology and new appointment slip (Phiếu xin lỗi và hẹn lại).
 * The decision is recorded in the case log first, then the waiting workflow step is answered: if the answer cannot
 * be delivered now (the step is being re-opened after a restart or an escalation), the step finds it recorded.
 */
import { z } from 'zod';
import type { CaseStore } from '../adapters/caseStore.js';
import { notify } from '../adapters/notifier.js';
import { caseStore, clock } from '../adapters/store.js';
import { answerTask } from '../adapters/workflow.js';
import { endOfWorkingDay, vnDate, workingDaysAfter } from '../domain/calendar.js';
import { apologySlip, deadlineAfterSupplement, deadlineRules, supplementDeadline } from '../domain/deadlines.js';
import { ConflictError, issue, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/events.js';
import { Decision, Procedure } from '../domain/procedures.js';
import { assessDossier } from '../domain/rules.js';
import {
  callbackOutput,
  decisionDueAt,
  deepMerge,
  effectiveDossier,
  eventsOfType,
  recordedAnswer,
} from '../domain/tasks.js';
import { loadVisibleCase, requireDecider } from './access.js';
import { apiHandler, parseWith, type Request, requireRole } from './http.js';

const DecisionBody = z.object({
  procedure: Procedure,
  round: z.number().int().min(1).optional().describe('The round being decided (guards against deciding a stale task)'),
  decision: Decision,
  reason: z.string().trim().max(1000).optional().describe('Required to request a supplement or to refuse'),
  data: z.record(z.string(), z.unknown()).optional().describe('What the step needs on approval (e.g. corrections)'),
});

const ExtensionBody = z.object({
  procedure: Procedure,
  reason: z
    .enum(['VERIFICATION', 'MARRIAGE_VERIFICATION', 'POPULATION_DATABASE', 'SYSTEM_OUTAGE', 'OTHER'])
    .describe('Why the result is late (domain.md §6.1: verification is the usual reason)'),
  note: z.string().trim().max(500).optional(),
  workingDays: z
    .number()
    .int()
    .min(1)
    .max(deadlineRules.bundleWithVerificationWorkingDays - deadlineRules.bundleWorkingDays)
    .default(deadlineRules.bundleWithVerificationWorkingDays - deadlineRules.bundleWorkingDays)
    .describe('How many working days later (Decree 63/2024: 3 working days, 5 with verification)'),
});

export const SupplementBody = z.object({
  procedure: Procedure,
  note: z.string().trim().min(1).max(2000).describe('What the family supplies'),
  changes: z.record(z.string(), z.unknown()).optional().describe('Corrections to the dossier, as a partial dossier'),
});

const notOpen = (procedure: string) =>
  new ConflictError(
    'task.notOpen',
    { vi: 'Thủ tục này hiện không chờ xử lý.', en: 'This procedure is not waiting for this action now.' },
    { procedure },
    'procedure',
  );

const alreadyDecided = (procedure: string) =>
  new ConflictError(
    'task.alreadyDecided',
    {
      vi: 'Thủ tục này đã được quyết định khác; không thể đổi quyết định.',
      en: 'This procedure was already decided otherwise; a decision cannot be changed.',
    },
    { procedure },
    'decision',
  );

/** Answers the waiting step; if its token went stale, tries the token that replaced it once. */
const deliver = async (store: CaseStore, caseId: string, procedure: Procedure, token: string, output: unknown) => {
  if (await answerTask(token, output)) return true;
  const fresh = await store.getTask(caseId, procedure);
  return fresh && fresh.taskToken !== token ? answerTask(fresh.taskToken, output) : false;
};

export const recordDecision = async (caseId: string, body: z.infer<typeof DecisionBody>, actor: Actor) => {
  const store = caseStore();
  const now = clock().now();
  const task = await store.getTask(caseId, body.procedure);
  if (!task || task.kind !== 'DECISION' || (body.round !== undefined && body.round !== task.round)) {
    // Nothing waits for a decision: a retry of the recorded one is answered as recorded; another one is a conflict.
    const decided = eventsOfType(await store.loadEvents(caseId), 'DECISION_RECORDED')
      .filter((e) => e.data.procedure === body.procedure && (body.round === undefined || e.data.round === body.round))
      .at(-1);
    if (!decided) throw notOpen(body.procedure);
    if (decided.data.decision !== body.decision) throw alreadyDecided(body.procedure);
    return {
      caseId,
      procedure: body.procedure,
      round: decided.data.round,
      decision: decided.data.decision,
      recordedAt: decided.at,
      replayed: true,
    };
  }
  if (body.decision !== 'APPROVED' && (body.reason ?? '').length < 5) {
    throw new ValidationError([
      issue(
        'reason',
        'decision.reasonRequired',
        'Cần ghi rõ lý do (ít nhất 5 ký tự) khi yêu cầu bổ sung hoặc từ chối.',
        'Give a reason (at least 5 characters) to request a supplement or to refuse.',
      ),
    ]);
  }
  const key = `decision:${body.procedure}:${task.round}`;
  const r = await store.appendOnce(
    caseId,
    key,
    () => ({
      actor,
      key,
      data: {
        type: 'DECISION_RECORDED',
        procedure: body.procedure,
        round: task.round,
        decision: body.decision,
        ...(body.reason ? { reason: body.reason } : {}),
        ...(body.data ? { data: body.data } : {}),
        ...(body.decision === 'SUPPLEMENT_REQUESTED' ? { dueAt: supplementDeadline(now) } : {}),
      },
    }),
    now,
  );
  const recorded = r!.event;
  if (recorded.data.type !== 'DECISION_RECORDED' || recorded.data.decision !== body.decision) {
    throw alreadyDecided(body.procedure);
  }
  const answer = recordedAnswer(r!.events, body.procedure, 'DECISION', task.round)!;
  const delivered = await deliver(store, caseId, body.procedure, task.taskToken, callbackOutput(answer, now));
  await store.closeTask(caseId, body.procedure, task.round, 'DECISION');
  return {
    caseId,
    procedure: body.procedure,
    round: task.round,
    decision: body.decision,
    recordedAt: recorded.at,
    delivered,
  };
};

export const submitSupplement = async (caseId: string, body: z.infer<typeof SupplementBody>, actor: Actor) => {
  const store = caseStore();
  const now = clock().now();
  const task = await store.getTask(caseId, body.procedure);
  if (!task || task.kind !== 'SUPPLEMENT') throw notOpen(body.procedure);
  if (body.changes) {
    // The corrected dossier passes the same schema and rules as a filing, with the same bilingual, field-named issues.
    const merged = assessDossier(deepMerge(effectiveDossier(await store.loadEvents(caseId)), body.changes), {
      receivedAt: now,
    });
    if (merged.issues.length > 0) {
      throw new ValidationError(merged.issues.map((i) => ({ ...i, field: `changes.${i.field}` })));
    }
  }
  const key = `supplement:${body.procedure}:${task.round}`;
  const r = await store.appendOnce(
    caseId,
    key,
    () => ({
      actor,
      key,
      data: {
        type: 'SUPPLEMENT_SUBMITTED',
        procedure: body.procedure,
        round: task.round,
        note: body.note,
        ...(body.changes ? { changes: body.changes } : {}),
        dueAt: deadlineAfterSupplement(body.procedure, now),
      },
    }),
    now,
  );
  const answer = recordedAnswer(r!.events, body.procedure, 'SUPPLEMENT', task.round)!;
  const delivered = await deliver(store, caseId, body.procedure, task.taskToken, callbackOutput(answer, now));
  await store.closeTask(caseId, body.procedure, task.round, 'SUPPLEMENT');
  return { caseId, procedure: body.procedure, round: task.round, submittedAt: r!.event.at, delivered };
};

export const extendDeadline = async (caseId: string, body: z.infer<typeof ExtensionBody>, actor: Actor) => {
  const store = caseStore();
  const now = clock().now();
  const task = await store.getTask(caseId, body.procedure);
  if (!task || task.kind !== 'DECISION') throw notOpen(body.procedure);
  if (body.reason === 'OTHER' && !body.note) {
    throw new ValidationError([
      issue('note', 'extension.reasonRequired', 'Ghi rõ lý do chậm trả kết quả.', 'Say why the result is late.'),
    ]);
  }
  const key = `extend:${body.procedure}:${task.round}`;
  const r = await store.appendOnce(
    caseId,
    key,
    (events) => {
      const oldDueAt = decisionDueAt(events, body.procedure, task.round);
      // The new appointment: that many working days after the old one, at close of business.
      const newDueAt = endOfWorkingDay(workingDaysAfter(vnDate(new Date(oldDueAt)), body.workingDays)).toISOString();
      const slip = apologySlip({
        procedure: body.procedure,
        oldDueAt,
        newDueAt,
        reason: body.reason,
        ...(body.note ? { note: body.note } : {}),
        dossierCode: task.dossierCode,
      });
      return {
        actor,
        key,
        data: {
          type: 'DEADLINE_EXTENDED',
          procedure: body.procedure,
          round: task.round,
          oldDueAt,
          newDueAt,
          reason: body.reason,
          ...(body.note ? { note: body.note } : {}),
          slip,
        },
      };
    },
    now,
  );
  const e = r!.event;
  if (!r!.written) {
    throw new ConflictError(
      'deadline.alreadyExtended',
      { vi: 'Hạn của lượt xử lý này đã được gia hạn một lần.', en: 'This round’s deadline was already extended once.' },
      { procedure: body.procedure },
      'procedure',
    );
  }
  const extended = e.data as Extract<typeof e.data, { type: 'DEADLINE_EXTENDED' }>;
  await store.putTask({ ...task, dueAt: extended.newDueAt, overdue: false });
  await notify(store, caseId, key, { channel: 'SMS', template: 'APOLOGY_SLIP', procedure: body.procedure }, now);
  return {
    caseId,
    procedure: body.procedure,
    round: task.round,
    oldDueAt: extended.oldDueAt,
    newDueAt: extended.newDueAt,
    slip: extended.slip,
  };
};

/** The officer who decides `body.procedure` of the case in the path, with the request body parsed. */
const asDecider = async <T extends z.ZodType<{ procedure: Procedure }>>(req: Request, schema: T) => {
  const p = requireRole(req, 'civil-status-officer', 'police-officer', 'insurance-officer');
  const body = parseWith(schema, req.body ?? {});
  const state = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
  requireDecider(p, state, body.procedure);
  const role = p.roles.find((r) => r !== 'auditor' && r !== 'applicant')!;
  const actor: Actor = { id: p.id, role, unit: p.unit };
  return { caseId: state.caseId, body, actor };
};

export const handler = apiHandler({
  'POST /cases/{caseId}/extensions': async (req) => {
    const { caseId, body, actor } = await asDecider(req, ExtensionBody);
    return { status: 201, body: await extendDeadline(caseId, body, actor) };
  },
  'POST /cases/{caseId}/decisions': async (req) => {
    const { caseId, body, actor } = await asDecider(req, DecisionBody);
    const answer = await recordDecision(caseId, body, actor);
    // 200 for a retry of a decision already recorded (nothing new happened), 202 for a decision taken now.
    return { status: 'replayed' in answer ? 200 : 202, body: answer };
  },
  'POST /cases/{caseId}/supplements': async (req) => {
    const p = requireRole(req, 'civil-status-officer');
    const body = parseWith(SupplementBody, req.body ?? {});
    const state = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
    return {
      status: 202,
      body: await submitSupplement(state.caseId, body, { id: p.id, role: 'civil-status-officer', unit: p.unit }),
    };
  },
});
