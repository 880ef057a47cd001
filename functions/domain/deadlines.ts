/**
 * Statutory deadlines of the bundle (domain.md §4.1, Decree 63/2024):
 * birth the same working day; residence and card within 2 working days; 3 in total (5 with verification);
 * the applicant's supplement window is 7 working days.
 */
import { countingDay, endOfWorkingDay, workingDaysAfter } from './calendar.js';
import type { Procedure } from './procedures.js';

export interface Deadlines {
  /** `YYYY-MM-DD`: the working day processing counts from (after the 15:00 cut-off). */
  countedFrom: string;
  /** ISO instants (close of business of the due working day). */
  birth: string;
  residence: string;
  healthInsurance: string;
  idCard: string;
  bundle: string;
}

export const deadlineRules = {
  birthWorkingDays: 0,
  downstreamWorkingDays: 2,
  bundleWorkingDays: 3,
  bundleWithVerificationWorkingDays: 5,
  supplementWorkingDays: 7,
} as const;

const due = (day: string, n: number) => endOfWorkingDay(workingDaysAfter(day, n)).toISOString();

/** Deadlines of a case received at `receivedAt`. */
export const bundleDeadlines = (receivedAt: Date): Deadlines => {
  const from = countingDay(receivedAt);
  return {
    countedFrom: from,
    birth: due(from, deadlineRules.birthWorkingDays),
    residence: due(from, deadlineRules.bundleWorkingDays - 1),
    healthInsurance: due(from, deadlineRules.bundleWorkingDays - 1),
    idCard: due(from, deadlineRules.bundleWorkingDays - 1),
    bundle: due(from, deadlineRules.bundleWorkingDays),
  };
};

/** A downstream step opened at `openedAt` is due 2 working days later (counted like a receipt). */
export const downstreamDeadline = (openedAt: Date): string =>
  due(countingDay(openedAt), deadlineRules.downstreamWorkingDays);

/** Decree 63 Art. 8 (Lawnet): the applicant has 7 working days to complete the dossier, otherwise it is refused. */
export const supplementDeadline = (requestedAt: Date): string =>
  due(countingDay(requestedAt), deadlineRules.supplementWorkingDays);

/** After a supplement the processing time starts again, as for a newly received complete dossier. */
export const deadlineAfterSupplement = (procedure: Procedure, suppliedAt: Date): string =>
  procedure === 'BIRTH' ? due(countingDay(suppliedAt), deadlineRules.birthWorkingDays) : downstreamDeadline(suppliedAt);

/**
 * Seconds from now until a deadline, for a callback's TimeoutSecondsPath: at least 1, at most 20 days, because the
 * local engine's timers overflow above ~24.8 days; the workflow re-arms the wait after an escalation.
 */
export const MAX_WAIT_SECONDS = 20 * 24 * 3600;
export const secondsUntil = (deadline: string, now: Date): number =>
  Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((new Date(deadline).getTime() - now.getTime()) / 1000)));
