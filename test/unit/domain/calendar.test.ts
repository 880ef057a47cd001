import { describe, expect, it } from '@jest/globals';
import {
  addCalendarDays,
  afterCutoff,
  countingDay,
  dayOfWeek,
  isWorkingDay,
  nextWorkingDay,
  vnDate,
  vnInstant,
  workingDaysAfter,
  workingDaysBetween,
} from '#domain/calendar.js';
import { builtInCalendars, dayOffName, holidayCalendar, knownHolidayYears } from '#domain/holidays.js';

const days = (year: number) => {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addCalendarDays(d, 1)) out.push(d);
  return out;
};

describe('calendar: civil-service days off 2024–2027 (domain.md §10.2, docs/calendar.md)', () => {
  it('has tables for 2024, 2025, 2026 (announced) and 2027 (computed, [L])', () => {
    expect(knownHolidayYears()).toEqual(expect.arrayContaining(['2024', '2025', '2026', '2027']));
    expect(builtInCalendars['2027']!.confidence).toBe('L');
    expect(builtInCalendars['2026']!.confidence).toBe('H');
  });

  it.each(['2024', '2025', '2026', '2027'])(
    '%s: every day off is a weekday, every make-up day a Saturday, at least the 11 statutory days',
    (year) => {
      const cal = holidayCalendar(year);
      for (const d of cal.daysOff) expect([1, 2, 3, 4, 5]).toContain(dayOfWeek(d));
      for (const d of cal.makeUpWorkingDays) expect(dayOfWeek(d)).toBe(6);
      // Labour Code 2019 Art. 112: 11 days a year; days falling on a weekend are compensated, so ≥ 11 weekdays off
      // minus the statutory days that the plan places on weekends without compensation (none for civil servants).
      expect(cal.daysOff.length - cal.makeUpWorkingDays.length).toBeGreaterThanOrEqual(11);
    },
  );

  it.each([
    // 2026 Tết: off Sat 14/2 – Sun 22/2 (9 days, domain.md §10.2)
    ['2026-02-13', true],
    ['2026-02-16', false],
    ['2026-02-20', false],
    ['2026-02-23', true],
    // 2026 New Year swap: Fri 2/1 off, Sat 10/1 worked
    ['2026-01-02', false],
    ['2026-01-10', true],
    // 2026 Hùng Kings on Sunday 26/4 → Monday 27/4 off; 30/4 and 1/5
    ['2026-04-27', false],
    ['2026-04-30', false],
    ['2026-05-01', false],
    // 2026 National Day: swap Mon 31/8 ↔ Sat 22/8; 1–2/9 off
    ['2026-08-22', true],
    ['2026-08-31', false],
    ['2026-09-01', false],
    ['2026-09-02', false],
    ['2026-09-03', true],
    // 2025: Hùng Kings 7/4; 30/4–2/5 off with make-up Sat 26/4
    ['2025-04-07', false],
    ['2025-04-26', true],
    ['2025-05-02', false],
    ['2025-01-27', false],
    ['2025-02-03', true],
    // 2024: Tết 8–14/2; swap Mon 29/4 ↔ Sat 4/5; 2–3/9
    ['2024-02-08', false],
    ['2024-02-15', true],
    ['2024-04-29', false],
    ['2024-05-04', true],
    ['2024-09-03', false],
    // 2027 [L]: Tết 5–11/2, Hùng Kings 16/4, 1/5 Sat → Mon 3/5
    ['2027-02-05', false],
    ['2027-02-11', false],
    ['2027-02-12', true],
    ['2027-04-16', false],
    ['2027-05-03', false],
    // ordinary days
    ['2026-11-23', true],
    ['2026-11-21', false],
    ['2026-11-22', false],
  ])('%s is a working day: %s', (day, expected) => {
    expect(isWorkingDay(day)).toBe(expected);
  });

  it('names the days off for officers', () => {
    expect(dayOffName('2026-02-17')?.vi).toBe('Tết Nguyên đán');
    expect(dayOffName('2026-11-23')).toBeUndefined();
  });

  it('the 24 November Culture Day is pending (not in the 2026 table) [unconfirmed]', () => {
    expect(isWorkingDay('2026-11-24')).toBe(true);
  });

  it('2026 has 250 working days (261 weekdays − 13 weekdays off + 2 make-up Saturdays)', () => {
    expect(days(2026).filter(isWorkingDay)).toHaveLength(261 - 13 + 2);
  });
});

describe('calendar: 15:00 cut-off in Vietnam time (Decree 63/2024 Art. 7, domain.md §10.1)', () => {
  it.each([
    ['2026-02-13T15:00:00+07:00', '2026-02-13'],
    ['2026-02-13T15:00:01+07:00', '2026-02-23'],
    ['2026-02-13T15:01:00+07:00', '2026-02-23'],
    ['2026-02-14T09:00:00+07:00', '2026-02-23'],
    ['2026-11-22T23:59:00+07:00', '2026-11-23'],
    ['2026-11-22T17:30:00Z', '2026-11-23'], // 00:30 on Monday 23/11 in Vietnam
    ['2026-08-28T15:30:00+07:00', '2026-09-03'],
    ['2026-01-09T16:00:00+07:00', '2026-01-10'], // make-up Saturday is a working day
  ])('received %s counts from %s', (iso, day) => {
    expect(countingDay(new Date(iso))).toBe(day);
  });
  it('afterCutoff', () => {
    expect(afterCutoff(vnInstant('2026-11-23', '15:00'))).toBe(false);
    expect(afterCutoff(vnInstant('2026-11-23', '15:01'))).toBe(true);
  });
});

describe('calendar: working-day arithmetic', () => {
  it('workingDaysAfter / nextWorkingDay / workingDaysBetween', () => {
    expect(workingDaysAfter('2026-02-13', 1)).toBe('2026-02-23');
    expect(workingDaysAfter('2026-02-14', 0)).toBe('2026-02-23');
    expect(nextWorkingDay('2026-04-29')).toBe('2026-05-04');
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(vnDate(new Date('2026-11-22T17:30:00Z'))).toBe('2026-11-23');
  });
});
