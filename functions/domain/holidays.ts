/**
 * Civil-service days off and make-up working Saturdays, one table per year (domain.md §10.2).
 * Tết and swaps are set by the Government each year: keep them as data, never compute them at run time.
 * Sources and confidence of every entry: docs/calendar.md. Lunar dates of unannounced years were computed
 * offline (Hồ Ngọc Đức's algorithm, UTC+7) and checked against the announced years 2024–2026.
 */
export interface YearCalendar {
  /** Days off that would otherwise be working days (holidays, Tết, swapped days). */
  daysOff: string[];
  /** Saturdays worked to make up a swapped day. */
  makeUpWorkingDays: string[];
  /** How sure we are of this table: H = official announcement seen; L = statutory days computed, not announced. */
  confidence?: 'H' | 'M' | 'L';
  /** Where the table comes from (notice numbers, press). */
  source?: string;
}

/** A named day off, for docs/calendar.md and for officers reading a deadline. */
export interface DayOff {
  day: string;
  vi: string;
  en: string;
}

const NEW_YEAR = { vi: 'Tết Dương lịch', en: "New Year's Day" };
const TET = { vi: 'Tết Nguyên đán', en: 'Lunar New Year (Tết)' };
const HUNG = {
  vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
  en: "Hùng Kings' Commemoration (10th day of the 3rd lunar month)",
};
const APR30 = { vi: 'Ngày Chiến thắng 30/4', en: 'Reunification Day (30 April)' };
const MAY1 = { vi: 'Ngày Quốc tế Lao động 1/5', en: 'International Labour Day (1 May)' };
const NATIONAL = { vi: 'Quốc khánh 2/9', en: 'National Day (2 September)' };
const SWAP = { vi: 'Nghỉ hoán đổi (làm bù ngày thứ Bảy)', en: 'Swapped day off (worked on a Saturday)' };
const HUNG_COMP = {
  vi: 'Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật)',
  en: "Compensatory day off for the Hùng Kings' Commemoration (fell on a Sunday)",
};
const MAY1_COMP = {
  vi: 'Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy)',
  en: 'Compensatory day off for Labour Day (fell on a Saturday)',
};

const off = (label: { vi: string; en: string }, ...days: string[]): DayOff[] => days.map((day) => ({ day, ...label }));

/**
 * The built-in tables. 2024–2026: official announcements (confidence H). 2027: not announced when this was written
 * (late 2026); statutory holidays on computed lunar dates with the usual pattern (confidence L, docs/calendar.md).
 */
export const builtInCalendars: Record<
  string,
  { daysOff: DayOff[]; makeUpWorkingDays: string[]; confidence: 'H' | 'M' | 'L'; source: string }
> = {
  '2024': {
    confidence: 'H',
    source:
      'MOLISA notice for 2024 (PM approval, Nov 2023): Tết 8–14/2; Hùng Kings 18/4; VPCP 2450/VPCP-KGVX (12/4/2024): 27/4–1/5, swap Mon 29/4 ↔ Sat 4/5; National Day 31/8–3/9.',
    daysOff: [
      ...off(NEW_YEAR, '2024-01-01'),
      ...off(TET, '2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14'),
      ...off(HUNG, '2024-04-18'),
      ...off(SWAP, '2024-04-29'),
      ...off(APR30, '2024-04-30'),
      ...off(MAY1, '2024-05-01'),
      ...off(NATIONAL, '2024-09-02', '2024-09-03'),
    ],
    makeUpWorkingDays: ['2024-05-04'],
  },
  '2025': {
    confidence: 'H',
    source:
      'MOLISA plan of 3/12/2024 (PM approval 26/11/2024): Tết 25/1–2/2; Hùng Kings 5–7/4; 30/4–4/5 with make-up Sat 26/4; MoHA: National Day 30/8–2/9 (22 days off in total).',
    daysOff: [
      ...off(NEW_YEAR, '2025-01-01'),
      ...off(TET, '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'),
      ...off(HUNG, '2025-04-07'),
      ...off(APR30, '2025-04-30'),
      ...off(MAY1, '2025-05-01'),
      ...off(SWAP, '2025-05-02'),
      ...off(NATIONAL, '2025-09-01', '2025-09-02'),
    ],
    makeUpWorkingDays: ['2025-04-26'],
  },
  '2026': {
    confidence: 'H',
    source:
      'VPCP 12729/VPCP-KGVX (25/12/2025): 1–4/1, swap Fri 2/1 ↔ Sat 10/1; MoHA notice 9441/TB-BNV (16/10/2025) after VPCP 9859/VPCP-KGVX: Tết 14–22/2, National Day 29/8–2/9 with swap Mon 31/8 ↔ Sat 22/8; Hùng Kings Sun 26/4 → Mon 27/4 (Labour Code Art. 112(3)).',
    daysOff: [
      ...off(NEW_YEAR, '2026-01-01'),
      ...off(SWAP, '2026-01-02'),
      ...off(TET, '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'),
      ...off(HUNG_COMP, '2026-04-27'),
      ...off(APR30, '2026-04-30'),
      ...off(MAY1, '2026-05-01'),
      ...off(SWAP, '2026-08-31'),
      ...off(NATIONAL, '2026-09-01', '2026-09-02'),
    ],
    makeUpWorkingDays: ['2026-01-10', '2026-08-22'],
  },
  '2027': {
    confidence: 'L',
    source:
      'Not announced. Statutory days (Labour Code 2019 Art. 112) on computed dates: Tết = Sat 6/2/2027, off Fri 5/2 – Thu 11/2 (5 working days); Hùng Kings Fri 16/4; 30/4 Fri; 1/5 Sat → Mon 3/5; National Day Thu 2/9 + Fri 3/9. Replace when the Ministry of Home Affairs announces.',
    daysOff: [
      ...off(NEW_YEAR, '2027-01-01'),
      ...off(TET, '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'),
      ...off(HUNG, '2027-04-16'),
      ...off(APR30, '2027-04-30'),
      ...off(MAY1_COMP, '2027-05-03'),
      ...off(NATIONAL, '2027-09-02', '2027-09-03'),
    ],
    makeUpWorkingDays: [],
  },
};

// Pending: Politburo Resolution 80-NQ/TW (Jan 2026) names 24 November "Vietnamese Culture Day" as a paid day off;
// whether the Labour Code amendment is in force is unconfirmed (domain.md §10.2). Not in the 2026 table: once the
// legal text is in force, add the day to it.

const calendars: Record<string, YearCalendar> = {};
const names: Record<string, DayOff> = {};

export const registerHolidayCalendar = (year: string, cal: YearCalendar) => {
  calendars[year] = cal;
};

for (const [year, cal] of Object.entries(builtInCalendars)) {
  registerHolidayCalendar(year, {
    daysOff: cal.daysOff.map((x) => x.day),
    makeUpWorkingDays: cal.makeUpWorkingDays,
    confidence: cal.confidence,
    source: cal.source,
  });
  for (const d of cal.daysOff) names[d.day] = d;
}

/** Years without a table count weekends only; `knownHolidayYears` says which years have one. */
export const holidayCalendar = (year: string): YearCalendar =>
  calendars[year] ?? { daysOff: [], makeUpWorkingDays: [] };

export const knownHolidayYears = () => Object.keys(calendars).sort();

/** The name of a day off, when it is one in the tables. */
export const dayOffName = (day: string): DayOff | undefined =>
  holidayCalendar(day.slice(0, 4)).daysOff.includes(day) ? names[day] : undefined;
