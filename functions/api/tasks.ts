/**
 * POST /cases/{caseId}/decisions: an officer decides their procedure (approve, request a supplement, refuse).
 * POST /cases/{caseId}/supplements: the civil-status officer submits the family's supplement on their behalf.
 * POST /cases/{caseId}/corrections: the civil-status officer of the case's commune corrects the dossier, with a reason.
 * POST /cases/{caseId}/extensions: the deciding officer moves the appointment (verification needed, the population
 * database is late, ...); the family gets the apology and new appointment slip (Phiếu xin lỗi và hẹn lại).
 * The decision is recorded in the case log first, then the waiting workflow step is answered: if the answer cannot
 * be delivered now (the step is being re-opened after a restart or an escalation), the step finds it recorded.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AgencyTask, CaseStore } from '#adapters/caseStore.js';
import { clock } from '#adapters/config.js';
import { logger } from '#adapters/logger.js';
import { notify } from '#adapters/notifier.js';
import { caseStore } from '#adapters/store.js';
import { openToken } from '#adapters/tokenSeal.js';
import { answerTask } from '#adapters/workflow.js';
import { endOfWorkingDay, vnDate, workingDaysAfter } from '#domain/calendar.js';
import { projectCase } from '#domain/caseState.js';
import { apologySlip, deadlineAfterSupplement, deadlineRules, supplementDeadline } from '#domain/deadlines.js';
import type { Dossier } from '#domain/dossier.js';
import { ConflictError, issue, ValidationError } from '#domain/errors.js';
import { deepMerge, dossierVersion, effectiveDossier, eventsOfType } from '#domain/eventLog.js';
import type { Actor } from '#domain/events.js';
import { canonicalJson } from '#domain/hashChain.js';
import {
  Decision,
  DelayReason,
  filingRole,
  firstProcedure,
  officerRoles,
  type Procedure,
  procedureCode,
  REASON_MIN_LENGTH,
  registry,
} from '#domain/procedures/index.js';
import { assessDossier, type DuplicateKey, duplicateKeys } from '#domain/rules.js';
import {
  changedPaths,
  identityIssues,
  isSupplementable,
  outOfScopeIssues,
  supplementScope,
  unitIssues,
} from '#domain/supplements.js';
import { callbackOutput, decisionDueAt, recordedAnswer } from '#domain/tasks.js';
import { loadVisibleCase, requireDecider } from './access.js';
import { apiHandler, parseWith, type Request, requireRole } from './http.js';

// The bodies name a procedure of the registry the system runs (procedures/index.ts), hence built per request.
const DecisionBody = () =>
  z.object({
    procedure: procedureCode(),
    round: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('The round being decided (guards against deciding a stale task)'),
    decision: Decision,
    reason: z.string().trim().max(1000).optional().describe('Required to request a supplement or to refuse'),
    data: z.record(z.string(), z.unknown()).optional().describe('What the step needs on approval (e.g. corrections)'),
    fields: z
      .array(z.string().max(100))
      .min(1)
      .max(30)
      .optional()
      .describe('SUPPLEMENT_REQUESTED only: the dossier parts the family may change (within the procedure’s scope)'),
  });

const ExtensionBody = () =>
  z.object({
    procedure: procedureCode(),
    reason: DelayReason.describe('Why the result is late (domain.md §6.1: verification is the usual reason)'),
    note: z.string().trim().max(500).optional(),
    workingDays: z
      .number()
      .int()
      .min(1)
      .max(deadlineRules.bundleWithVerificationWorkingDays - deadlineRules.bundleWorkingDays)
      .default(deadlineRules.bundleWithVerificationWorkingDays - deadlineRules.bundleWorkingDays)
      .describe('How many working days later (Decree 63/2024: 3 working days, 5 with verification)'),
  });

const CorrectionBody = z.object({
  reason: z
    .string()
    .trim()
    .max(1000)
    .describe(`Why the dossier is corrected (at least ${REASON_MIN_LENGTH} characters)`),
  changes: z.record(z.string(), z.unknown()).describe('The corrections, as a partial dossier'),
});

export const SupplementBody = () =>
  z.object({
    procedure: procedureCode(),
    note: z.string().trim().min(1).max(2000).describe('What the family supplies'),
    changes: z.record(z.string(), z.unknown()).optional().describe('Corrections to the dossier, as a partial dossier'),
    dossierVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('The dossier version the changes were made against (`dossierVersion` of the case or tracking view)'),
  });

/** 409: the changes were made against a dossier version another supplement or a correction has replaced. */
const versionConflict = (current: number, basedOn: number) =>
  new ConflictError(
    'supplement.versionConflict',
    {
      vi: 'Hồ sơ vừa được thay đổi bởi một lần bổ sung hoặc đính chính khác; lần bổ sung này chưa được ghi nhận. Vui lòng xem lại hồ sơ và gửi lại.',
      en: 'The dossier was changed by another supplement or a correction meanwhile; this supplement was not recorded. Review the dossier and send it again.',
    },
    { dossierVersion: current, basedOn },
    'changes',
  );

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

/**
 * Answers the waiting step of this round and kind: its sealed token is read and opened here, on the decision path
 * only (adapters/tokenSeal.ts). If that token went stale (the step was re-opened after an escalation or a restart),
 * tries the token that replaced it once.
 */
const deliver = async (store: CaseStore, task: AgencyTask, output: unknown) => {
  const context = { caseId: task.caseId, procedure: task.procedure, kind: task.kind, round: task.round };
  const sealed = () => store.getSealedToken(task.caseId, task.procedure, task.round, task.kind);
  // A token that does not open (sealed for another task, or under another key) is not delivered: the answer is
  // recorded, and the step finds it when it is next opened (escalation, re-drive).
  const answer = async (s: string) => {
    let token: string;
    try {
      token = await openToken(s, context);
    } catch (err) {
      logger.error('callback token does not open', { ...context, error: (err as Error).name });
      return false;
    }
    return answerTask(token, output);
  };
  const first = await sealed();
  if (first && (await answer(first))) return true;
  const fresh = await sealed();
  return fresh !== undefined && fresh !== first ? answer(fresh) : false;
};

export const recordDecision = async (caseId: string, body: z.infer<ReturnType<typeof DecisionBody>>, actor: Actor) => {
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
  if (body.decision !== 'APPROVED' && (body.reason ?? '').length < REASON_MIN_LENGTH) {
    throw new ValidationError([
      issue(
        'reason',
        'decision.reasonRequired',
        `Cần ghi rõ lý do (ít nhất ${REASON_MIN_LENGTH} ký tự) khi yêu cầu bổ sung hoặc từ chối.`,
        `Give a reason (at least ${REASON_MIN_LENGTH} characters) to request a supplement or to refuse.`,
      ),
    ]);
  }
  const badFields =
    body.fields?.filter((f) => body.decision !== 'SUPPLEMENT_REQUESTED' || !isSupplementable(body.procedure, f)) ?? [];
  if (badFields.length > 0) {
    throw new ValidationError(
      badFields.map((f) =>
        issue(
          'fields',
          'decision.supplementFields',
          `"${f}": chỉ nêu khi yêu cầu bổ sung, và chỉ các phần hồ sơ được bổ sung của thủ tục này: ${supplementScope(body.procedure).join(', ')} (trừ số giấy chứng sinh, số định danh của mẹ, ngày và thứ tự sinh, xã, tỉnh nơi đăng ký).`,
          `"${f}": only with SUPPLEMENT_REQUESTED, and only parts a supplement of this procedure may change: ${supplementScope(body.procedure).join(', ')} (not the certificate number, the mother’s ID, the date or order of birth, nor the communes and province).`,
        ),
      ),
    );
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
        ...(body.fields ? { fields: body.fields } : {}),
      },
    }),
    now,
  );
  const recorded = r!.event;
  if (recorded.data.type !== 'DECISION_RECORDED' || recorded.data.decision !== body.decision) {
    throw alreadyDecided(body.procedure);
  }
  const answer = recordedAnswer(r!.events, body.procedure, 'DECISION', task.round)!;
  const delivered = await deliver(store, task, callbackOutput(answer, now));
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

/** Where a uniqueness key shows in a dossier (the filing's `dossier.duplicate` names the same places). */
const keyField = (k: DuplicateKey, prefix: string) =>
  prefix +
  {
    BIRTH_CERT: 'birthCertificate.number',
    MOTHER_BIRTH: 'mother.personalId',
    FATHER_BIRTH: 'father.personalId',
    FOUNDLING: 'foundling',
  }[k.kind];

/** The filing's 409 rule, without naming the other case (the caller may be a family, or an officer elsewhere). */
const heldElsewhere = (k: DuplicateKey, prefix: string) =>
  new ConflictError(
    'dossier.duplicate',
    {
      vi: 'Trẻ này đã có hồ sơ khác (số giấy chứng sinh hoặc mẹ, ngày sinh và thứ tự sinh trùng); không ghi nhận.',
      en: 'Another dossier already holds this child (same birth-certificate number, or mother, date and order of birth); nothing recorded.',
    },
    undefined,
    keyField(k, prefix),
  );

const keyString = (k: DuplicateKey) => `${k.kind}#${k.value}`;
const newKeys = (before: DuplicateKey[], after: DuplicateKey[]) => {
  const had = new Set(before.map(keyString));
  return after.filter((k) => !had.has(keyString(k)));
};

/**
 * A new version of the dossier (a supplement's or a correction's `changes` applied to the current one), checked as
 * a filing is: schema and rules (400, on `changes.<field>`). Returns the current and the new dossier, both parsed.
 */
const assessNewVersion = (current: Dossier, changes: Record<string, unknown>, now: Date) => {
  const next = assessDossier(deepMerge(current, changes), { receivedAt: now });
  if (next.issues.length > 0 || !next.dossier) {
    throw new ValidationError(next.issues.map((i) => ({ ...i, field: `changes.${i.field}` })));
  }
  // The current version parsed the same way, so that a value written differently but meaning the same is no change.
  const before = assessDossier(current, { receivedAt: now });
  return { before: before.dossier ?? current, after: next.dossier, afterKeys: next.duplicateKeys };
};

/**
 * POST .../supplements: the family's answer to a supplement request, a new version of the dossier. In order:
 * only what was asked may change (400 `supplement.fieldNotRequested`); the new version passes the filing's schema
 * and rules (400); its uniqueness keys are not held by another case (409 `dossier.duplicate`, the claims filing
 * writes); the units that handle the case and the identity keys do not change (400 `dossier.unitFixed`,
 * `supplement.identityKey`). A refused supplement writes nothing.
 */
export const submitSupplement = async (
  caseId: string,
  body: z.infer<ReturnType<typeof SupplementBody>>,
  actor: Actor,
) => {
  const store = caseStore();
  const now = clock().now();
  const task = await store.getTask(caseId, body.procedure);
  if (!task || task.kind !== 'SUPPLEMENT') throw notOpen(body.procedure);
  // The version the changes are checked against: the caller's (when sent) must still be current, and nothing may
  // replace it between the checks and the write (two supplements of parallel procedures answered at once).
  const key = `supplement:${body.procedure}:${task.round}`;
  let basedOn: number | undefined;
  // This round's supplement already recorded (a retry after a lost answer) is compared with it below, not re-checked.
  const events = body.changes ? await store.loadEvents(caseId) : [];
  if (body.changes && !events.some((e) => e.key === key)) {
    basedOn = dossierVersion(events);
    if (body.dossierVersion !== undefined && body.dossierVersion !== basedOn) {
      throw versionConflict(basedOn, body.dossierVersion);
    }
    const current = effectiveDossier(events);
    const asked = recordedAnswer(events, body.procedure, 'DECISION', task.round);
    const fields = asked?.data.type === 'DECISION_RECORDED' ? asked.data.fields : undefined;
    const outOfScope = outOfScopeIssues(body.procedure, current, body.changes, fields);
    if (outOfScope.length > 0) throw new ValidationError(outOfScope);
    const { before, after, afterKeys } = assessNewVersion(current, body.changes, now);
    // Uniqueness as at filing: the claims (UNIQUE#<kind>#<value>) another case holds. Nothing is claimed here: a
    // supplement cannot change the keys (below), so a key this case does not hold yet is refused either way.
    for (const k of newKeys(duplicateKeys(before), afterKeys)) {
      const holder = await store.holderOf(k.kind, k.value);
      if (holder && holder !== caseId) throw heldElsewhere(k, 'changes.');
    }
    const fixed = [...unitIssues(before, after), ...identityIssues(before, after)];
    if (fixed.length > 0) throw new ValidationError(fixed);
  }
  const data = {
    type: 'SUPPLEMENT_SUBMITTED' as const,
    procedure: body.procedure,
    round: task.round,
    note: body.note,
    ...(body.changes ? { changes: body.changes } : {}),
    dueAt: deadlineAfterSupplement(body.procedure, now),
  };
  const r = await store.appendOnce(
    caseId,
    key,
    (events) => {
      const current = dossierVersion(events);
      if (basedOn !== undefined && current !== basedOn) throw versionConflict(current, basedOn);
      return { actor, key, data };
    },
    now,
  );
  const recorded = r!.event.data;
  // This round's supplement was recorded by another request: a retry of it is answered as recorded; other changes
  // were not applied and are not silently dropped.
  if (
    !r!.written &&
    (recorded.type !== 'SUPPLEMENT_SUBMITTED' ||
      recorded.note !== data.note ||
      canonicalJson(recorded.changes ?? null) !== canonicalJson(data.changes ?? null))
  ) {
    throw versionConflict(dossierVersion(r!.events), basedOn ?? dossierVersion(r!.events));
  }
  const answer = recordedAnswer(r!.events, body.procedure, 'SUPPLEMENT', task.round)!;
  const delivered = await deliver(store, task, callbackOutput(answer, now));
  await store.closeTask(caseId, body.procedure, task.round, 'SUPPLEMENT');
  return { caseId, procedure: body.procedure, round: task.round, submittedAt: r!.event.at, delivered };
};

/**
 * POST /cases/{caseId}/corrections: the civil-status officer of the case's commune corrects the dossier (identity
 * keys included: a mistyped certificate number, the mother's ID, the date of birth) while the birth is not yet
 * registered or refused (409 `correction.birthClosed`), with a reason (400 `correction.reasonRequired`). Recorded as
 * its own event, DOSSIER_CORRECTED. The new version passes the filing's schema and rules (400); the units that
 * handle the case never change (400 `dossier.unitFixed`), nor what was requested at filing (400
 * `correction.requestFixed`); new uniqueness keys are claimed for this case as filing claims them (409
 * `dossier.duplicate` when another case holds one, and nothing kept), and the keys it no longer has are released.
 */
export const correctDossier = async (caseId: string, body: z.infer<typeof CorrectionBody>, actor: Actor) => {
  const store = caseStore();
  const now = clock().now();
  const events = await store.loadEvents(caseId);
  const birth = projectCase(events).procedures[firstProcedure().code as Procedure].status;
  if (birth === 'COMPLETED' || birth === 'REFUSED') {
    throw new ConflictError(
      'correction.birthClosed',
      {
        vi: 'Khai sinh đã được đăng ký hoặc từ chối; hồ sơ không còn đính chính tại đây (cải chính hộ tịch là thủ tục riêng).',
        en: 'The birth is already registered or refused; the dossier can no longer be corrected here (amending a civil-status record is its own procedure).',
      },
      undefined,
      'changes',
    );
  }
  // The request flags of the registry's procedures (residence, ID card): fixed when the dossier is filed.
  const flags = registry().procedures.flatMap((q) =>
    q.request.kind === 'always' ? [] : [`${q.request.flag}.requested`],
  );
  const fixedAtFiling = changedPaths(effectiveDossier(events), body.changes).filter((p) =>
    flags.some((f) => p === f || p.startsWith(`${f}.`) || f.startsWith(`${p}.`)),
  );
  if (fixedAtFiling.length > 0) {
    throw new ValidationError(
      fixedAtFiling.map((p) =>
        issue(
          `changes.${p}`,
          'correction.requestFixed',
          'Các thủ tục được yêu cầu (thường trú, thẻ căn cước) cố định khi tiếp nhận hồ sơ.',
          'Which procedures were requested (residence, ID card) is fixed when the dossier is filed.',
        ),
      ),
    );
  }
  const { before, after, afterKeys } = assessNewVersion(effectiveDossier(events), body.changes, now);
  const units = unitIssues(before, after);
  if (units.length > 0) throw new ValidationError(units);
  // The filing's claims, taken for this case; on a conflict, the ones taken here are given back.
  const claimed: DuplicateKey[] = [];
  for (const k of newKeys(duplicateKeys(before), afterKeys)) {
    const holder = await store.claimUnique(k.kind, k.value, caseId);
    if (holder && holder !== caseId) {
      for (const c of claimed) await store.releaseClaim(c.kind, c.value, caseId);
      throw heldElsewhere(k, 'changes.');
    }
    claimed.push(k);
  }
  const key = `correction:${randomUUID()}`;
  let r: Awaited<ReturnType<CaseStore['appendOnce']>>;
  try {
    r = await store.appendOnce(
      caseId,
      key,
      () => ({ actor, key, data: { type: 'DOSSIER_CORRECTED', changes: body.changes, reason: body.reason } }),
      now,
    );
  } catch (err) {
    for (const c of claimed) await store.releaseClaim(c.kind, c.value, caseId);
    throw err;
  }
  // The keys of the old version are this case's no longer: another dossier may use them.
  for (const k of newKeys(afterKeys, duplicateKeys(before))) await store.releaseClaim(k.kind, k.value, caseId);
  return { caseId, seq: r!.event.seq, correctedAt: r!.event.at, changed: changedPaths(before, body.changes) };
};

export const extendDeadline = async (caseId: string, body: z.infer<ReturnType<typeof ExtensionBody>>, actor: Actor) => {
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
  const p = requireRole(req, ...officerRoles());
  const body = parseWith(schema, req.body ?? {});
  const state = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
  requireDecider(p, state, body.procedure);
  const role = p.roles.find((r) => r !== 'auditor' && r !== 'applicant')!;
  const actor: Actor = { id: p.id, role, unit: p.unit };
  return { caseId: state.caseId, body, actor };
};

export const handler = apiHandler({
  'POST /cases/{caseId}/extensions': async (req) => {
    const { caseId, body, actor } = await asDecider(req, ExtensionBody());
    return { status: 201, body: await extendDeadline(caseId, body, actor) };
  },
  'POST /cases/{caseId}/decisions': async (req) => {
    const { caseId, body, actor } = await asDecider(req, DecisionBody());
    const answer = await recordDecision(caseId, body, actor);
    // 200 for a retry of a decision already recorded (nothing new happened), 202 for a decision taken now.
    return { status: 'replayed' in answer ? 200 : 202, body: answer };
  },
  'POST /cases/{caseId}/corrections': async (req) => {
    const p = requireRole(req, filingRole());
    const body = parseWith(CorrectionBody, req.body ?? {});
    const state = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
    // The civil-status officer of the case's own commune: the one who decides its birth.
    requireDecider(p, state, firstProcedure().code as Procedure);
    if (body.reason.length < REASON_MIN_LENGTH) {
      throw new ValidationError([
        issue(
          'reason',
          'correction.reasonRequired',
          `Cần ghi rõ lý do đính chính (ít nhất ${REASON_MIN_LENGTH} ký tự).`,
          `Give the reason for the correction (at least ${REASON_MIN_LENGTH} characters).`,
        ),
      ]);
    }
    return {
      status: 201,
      body: await correctDossier(state.caseId, body, { id: p.id, role: filingRole(), unit: p.unit }),
    };
  },
  'POST /cases/{caseId}/supplements': async (req) => {
    const p = requireRole(req, filingRole());
    const body = parseWith(SupplementBody(), req.body ?? {});
    const state = await loadVisibleCase(caseStore(), p, req.path.caseId ?? '');
    return {
      status: 202,
      body: await submitSupplement(state.caseId, body, { id: p.id, role: filingRole(), unit: p.unit }),
    };
  },
});
