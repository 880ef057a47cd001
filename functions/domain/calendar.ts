/**
 * Working days and receipt time, in Vietnam time (ICT, UTC+7, no daylight saving).
 * domain.md §10: Monday–Friday, minus public holidays and Tết, plus official make-up Saturdays;
 * a dossier received after 15:00 counts from the next working day.
 */
import { holidayCalendar } from './holidays.js';

export const VN_OFFSET_MS = 7 * 3600_000;

/** `YYYY-MM-DD` of an instant in Vietnam. */
export const vnDate = (at: Date): string => new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);

/** Minutes since midnight, Vietnam time. */
export const vnMinutes = (at: Date): number => {
  const d = new Date(at.getTime() + VN_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
};

/** The instant of `HH:MM` Vietnam time on a `YYYY-MM-DD` day. */
export const vnInstant = (day: string, hhmm: string): Date => new Date(`${day}T${hhmm}:00+07:00`);

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = weekday;

/** `dd/mm/yyyy`, the way Vietnamese documents write a date. */
export const formatVnDay = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export const addCalendarDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

export const isWorkingDay = (day: string): boolean => {
  const cal = holidayCalendar(day.slice(0, 4));
  if (cal.makeUpWorkingDays.includes(day)) return true;
  if (cal.daysOff.includes(day)) return false;
  const wd = weekday(day);
  return wd !== 0 && wd !== 6;
};

export const nextWorkingDay = (day: string): string => {
  let d = addCalendarDays(day, 1);
  while (!isWorkingDay(d)) d = addCalendarDays(d, 1);
  return d;
};

/** The working day `n` working days after `day` (n = 0: `day` itself if it is a working day, else the next). */
export const workingDaysAfter = (day: string, n: number): string => {
  let d = isWorkingDay(day) ? day : nextWorkingDay(day);
  for (let i = 0; i < n; i++) d = nextWorkingDay(d);
  return d;
};

/** Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not after `from`. */
export const workingDaysBetween = (from: string, to: string): number => {
  let n = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
};

export const RECEIPT_CUTOFF = '15:00';
export const END_OF_WORKING_DAY = '17:00';

/**
 * The working day from which processing time counts.
 * Decree 63/2024 Art. 7 (domain.md §3.1, §10.1): received after 15:00, or on a day off, counts from the next working day.
 */
export const countingDay = (receivedAt: Date): string => {
  const day = vnDate(receivedAt);
  if (isWorkingDay(day) && !afterCutoff(receivedAt)) return day;
  return nextWorkingDay(day);
};

/**
 * True when an instant is after the 15:00 cut-off of its Vietnam day (domain.md §10.1).
 * 15:00:00.000 exactly is still "by 15:00"; 15:00:00.001 is after it.
 */
export const afterCutoff = (at: Date): boolean => at.getTime() > vnInstant(vnDate(at), RECEIPT_CUTOFF).getTime();

/** Close of business (17:00 ICT) of a working day: when a deadline on that day passes. */
export const endOfWorkingDay = (day: string): Date => vnInstant(day, END_OF_WORKING_DAY);
