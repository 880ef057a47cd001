/**
 * Statutory deadlines of the bundle (domain.md §4.1, Decree 63/2024):
 * birth the same working day; residence and card within 2 working days; 3 in total (5 with verification);
 * the applicant's supplement window is 7 working days. A dossier received after 15:00 (or on a day off) counts
 * from the next working day. "N working days" ends at close of business of the N-th working day after the
 * counting day (the counting day itself is day 0, which is the birth step's "same working day").
 */
import { countingDay, endOfWorkingDay, formatVnDay, vnDate, vnMinutes, workingDaysAfter } from './calendar.js';
import {
  type bundleProcedures,
  type DelayReason,
  delayReasons,
  firstProcedure,
  type Procedure,
  parallelProcedures,
  procedureOf,
  type Registry,
  registry,
} from './procedures/index.js';

export type { DelayReason } from './procedures/index.js';

/**
 * The deadlines of a case, fixed at receipt: one per procedure of the registry (by its key: `birth`, `residence`,
 * `healthInsurance`, `idCard`) and the bundle's.
 */
export type Deadlines = {
  /** `YYYY-MM-DD`: the working day processing counts from (after the 15:00 cut-off). */
  countedFrom: string;
  bundle: string;
  /** True when the deadlines include the verification allowance (5 working days in total). */
  withVerification?: boolean;
} & {
  /** ISO instants (close of business of the due working day). */
  [K in (typeof bundleProcedures)[number]['key']]: string;
};

export const deadlineRules = {
  /** Decree 63/2024 Art. 7–8: birth registered the same working day the complete dossier arrives. [H/M] */
  birthWorkingDays: firstProcedure().deadline.workingDays,
  /** Residence and card: ≤ 2 working days each (Thanh Niên 09/2025, single source). [M] */
  downstreamWorkingDays: parallelProcedures()[0]!.deadline.workingDays,
  /** Whole bundle: ≤ 3 working days. [M-H] */
  bundleWorkingDays: 3,
  /** Whole bundle when verification is needed: ≤ 5 working days. [M-H] */
  bundleWithVerificationWorkingDays: 5,
  /** Decree 63 Art. 8 (Lawnet): the applicant has 7 working days to supplement, else the dossier is refused. [M] */
  supplementWorkingDays: 7,
} as const;

const due = (day: string, n: number) => endOfWorkingDay(workingDaysAfter(day, n)).toISOString();

/**
 * Deadlines of a case received at `receivedAt`. With `verification`, the downstream steps and the bundle get the
 * 5-working-day allowance (domain.md §4.1 "≤ 5 WD if verification is needed").
 */
export const bundleDeadlines = (
  receivedAt: Date,
  opts: { verification?: boolean } = {},
  reg: Registry = registry(),
): Deadlines => {
  const from = countingDay(receivedAt);
  const total = opts.verification ? deadlineRules.bundleWithVerificationWorkingDays : deadlineRules.bundleWorkingDays;
  return {
    countedFrom: from,
    ...Object.fromEntries(
      reg.procedures.map((p) => [
        p.key,
        due(from, opts.verification ? p.deadline.withVerificationWorkingDays : p.deadline.workingDays),
      ]),
    ),
    bundle: due(from, total),
    ...(opts.verification ? { withVerification: true } : {}),
  } as Deadlines;
};

/** A procedure's own deadline counted from `at` (a late first procedure, a supplement): its working days later. */
export const procedureDeadline = (procedure: Procedure, at: Date): string =>
  due(countingDay(at), procedureOf(procedure).deadline.workingDays);

/** A downstream step opened at `openedAt` is due 2 working days later (counted like a receipt). */
export const downstreamDeadline = (openedAt: Date): string =>
  due(countingDay(openedAt), deadlineRules.downstreamWorkingDays);

/** Decree 63 Art. 8 (Lawnet): the applicant has 7 working days to complete the dossier, otherwise it is refused. */
export const supplementDeadline = (requestedAt: Date): string =>
  due(countingDay(requestedAt), deadlineRules.supplementWorkingDays);

/** After a supplement the processing time starts again, as for a newly received complete dossier. */
export const deadlineAfterSupplement = (procedure: Procedure, suppliedAt: Date): string =>
  procedureDeadline(procedure, suppliedAt);

/**
 * Whether a task or procedure is overdue: an escalation marked it so, or it is still waiting and `now` is strictly
 * after its due instant (the due instant itself is still in time). The one rule behind the queue, the case status and
 * the officer's and parent's views.
 */
export const isOverdue = (x: { overdue: boolean; waiting: boolean; dueAt?: string | undefined }, now: Date): boolean =>
  x.overdue || (x.waiting && x.dueAt !== undefined && now.getTime() > new Date(x.dueAt).getTime());

/**
 * Seconds from now until a deadline, for a callback's TimeoutSecondsPath: at least 1, at most 20 days, because the
 * local engine's timers overflow above ~24.8 days; the workflow re-arms the wait after an escalation.
 */
export const MAX_WAIT_SECONDS = 20 * 24 * 3600;
export const secondsUntil = (deadline: string, now: Date): number =>
  Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((new Date(deadline).getTime() - now.getTime()) / 1000)));

/** The delay reasons in a sentence of the apology slip (labels and texts: procedures/index.ts `delayReasons`). */
export const delayReasonText = Object.fromEntries(Object.entries(delayReasons).map(([k, v]) => [k, v.text])) as Record<
  DelayReason,
  { vi: string; en: string }
>;

export interface ApologySlip {
  /** Phiếu xin lỗi và hẹn lại ngày trả kết quả (domain.md §6.1). */
  title: { vi: string; en: string };
  procedure: Procedure;
  procedureName: { vi: string; en: string };
  oldDueAt: string;
  newDueAt: string;
  /** A known reason code, or the officer's own words. */
  reason: DelayReason | string;
  /** Free text from the officer, if any (shown after the standard reason). */
  note?: string;
  /** Full text of the slip, ready for e-mail / SMS / print. */
  text: { vi: string; en: string };
  /** Short form for SMS. */
  sms: { vi: string; en: string };
}

const hhmm = (at: Date) => {
  const m = vnMinutes(at);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};
const when = (iso: string) => {
  const at = new Date(iso);
  return `${hhmm(at)} ${formatVnDay(vnDate(at))}`;
};

/**
 * The "apology and new appointment" slip (Phiếu xin lỗi và hẹn lại) the agency sends when it cannot return a result
 * by the appointment (domain.md §6.1; sent by e-mail or SMS for online dossiers). Pure data: the notifier renders it.
 */
export const apologySlip = (args: {
  procedure: Procedure;
  oldDueAt: string;
  newDueAt: string;
  reason: DelayReason | string;
  note?: string;
  dossierCode?: string;
}): ApologySlip => {
  const { procedure, oldDueAt, newDueAt, reason, note, dossierCode } = args;
  if (new Date(newDueAt).getTime() <= new Date(oldDueAt).getTime()) {
    throw new RangeError('apologySlip: the new appointment must be later than the old one');
  }
  const name = procedureOf(procedure).name;
  const r = reason in delayReasonText ? delayReasonText[reason as DelayReason] : { vi: reason, en: reason };
  const code = dossierCode ? ` số ${dossierCode}` : '';
  const codeEn = dossierCode ? ` ${dossierCode}` : '';
  const extraVi = note ? ` (${note})` : '';
  const extraEn = note ? ` (${note})` : '';
  return {
    title: { vi: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', en: 'Apology and new appointment for the result' },
    procedure,
    procedureName: name,
    oldDueAt,
    newDueAt,
    reason,
    ...(note ? { note } : {}),
    text: {
      vi:
        `Hồ sơ${code} – thủ tục ${name.vi}: theo phiếu hẹn, kết quả được trả lúc ${when(oldDueAt)}. ` +
        `Do ${r.vi}${extraVi}, cơ quan giải quyết chưa trả được kết quả đúng hẹn. ` +
        `Chúng tôi xin lỗi ông/bà và hẹn lại thời gian trả kết quả: ${when(newDueAt)}.`,
      en:
        `Dossier${codeEn} – ${name.en}: the appointment slip promised the result by ${when(oldDueAt)}. ` +
        `Because ${r.en}${extraEn}, the agency could not return the result on time. ` +
        `We apologise; the new appointment for the result is ${when(newDueAt)}.`,
    },
    sms: {
      vi: `Xin lỗi: ${name.vi}${code} chậm do ${r.vi}. Hẹn lại: ${when(newDueAt)}.`,
      en: `Sorry: ${name.en}${codeEn} is delayed because ${r.en}. New date: ${when(newDueAt)}.`,
    },
  };
};
