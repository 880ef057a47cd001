/**
 * Civil-service days off and make-up working Saturdays, one table per year (domain.md §10.2).
 * Tết and swaps are set by the Government each year: keep them as data, never compute them.
 */
export interface YearCalendar {
  /** Days off that would otherwise be working days (holidays, Tết, swapped days). */
  daysOff: string[];
  /** Saturdays worked to make up a swapped day. */
  makeUpWorkingDays: string[];
}

const calendars: Record<string, YearCalendar> = {};

export const registerHolidayCalendar = (year: string, cal: YearCalendar) => {
  calendars[year] = cal;
};

/** Years without a table count weekends only; `knownHolidayYears` says which years have one. */
export const holidayCalendar = (year: string): YearCalendar => calendars[year] ?? { daysOff: [], makeUpWorkingDays: [] };

export const knownHolidayYears = () => Object.keys(calendars).sort();
