import { describe, expect, it } from '@jest/globals';
import {
  addCalendarDays,
  countingDay,
  endOfWorkingDay,
  isWorkingDay,
  vnDate,
  vnInstant,
  workingDaysBetween,
} from '#domain/calendar.js';
import {
  apologySlip,
  bundleDeadlines,
  deadlineAfterSupplement,
  downstreamDeadline,
  isOverdue,
  secondsUntil,
  supplementDeadline,
} from '#domain/deadlines.js';

const everyDayOf2026 = () => {
  const out: string[] = [];
  for (let d = '2026-01-01'; d < '2027-01-01'; d = addCalendarDays(d, 1)) out.push(d);
  return out;
};

describe('deadlines: Decree 63/2024 bundle (domain.md §4.1)', () => {
  it('every day of 2026 at 09:00 and 15:01: the birth is due on a working day, the same day when received on one by 15:00', () => {
    for (const day of everyDayOf2026()) {
      for (const hhmm of ['09:00', '15:01']) {
        const receivedAt = vnInstant(day, hhmm);
        const d = bundleDeadlines(receivedAt);
        const birthDay = vnDate(new Date(d.birth));
        expect(isWorkingDay(birthDay)).toBe(true);
        expect(birthDay >= day).toBe(true);
        if (hhmm === '09:00' && isWorkingDay(day)) expect(birthDay).toBe(day);
        else expect(birthDay > day).toBe(true);
        expect(birthDay).toBe(d.countedFrom);
        // Residence and card: 2 working days after; bundle: 3 working days after the counting day.
        expect(workingDaysBetween(d.countedFrom, vnDate(new Date(d.residence)))).toBe(2);
        expect(workingDaysBetween(d.countedFrom, vnDate(new Date(d.healthInsurance)))).toBe(2);
        expect(workingDaysBetween(d.countedFrom, vnDate(new Date(d.bundle)))).toBe(3);
        expect(d.birth).toBe(endOfWorkingDay(birthDay).toISOString());
      }
    }
  });

  it('Tết 2026: received Fri 13/2/2026 15:01 → counts from Mon 23/2; birth due 23/2 17:00; bundle due Thu 26/2', () => {
    const d = bundleDeadlines(new Date('2026-02-13T15:01:00+07:00'));
    expect(d.countedFrom).toBe('2026-02-23');
    expect(d.birth).toBe('2026-02-23T10:00:00.000Z');
    expect(d.residence).toBe('2026-02-25T10:00:00.000Z');
    expect(d.bundle).toBe('2026-02-26T10:00:00.000Z');
  });

  it('with verification: 5 working days in total (National Day 2026 in between)', () => {
    const d = bundleDeadlines(new Date('2026-08-27T10:00:00+07:00'), { verification: true });
    expect(d.countedFrom).toBe('2026-08-27');
    expect(vnDate(new Date(d.bundle))).toBe('2026-09-08'); // 28/8, 3/9, 4/9, 7/9, 8/9
    expect(d.withVerification).toBe(true);
  });

  it('downstream step opened after 15:00 on a Friday: due 2 working days after Monday', () => {
    expect(downstreamDeadline(new Date('2026-11-20T16:00:00+07:00'))).toBe('2026-11-25T10:00:00.000Z');
  });

  it('supplement window: 7 working days (Decree 63 Art. 8), across Tết 2026', () => {
    // Tue 10/2 → 11, 12, 13, (Tết 16–20 off), 23, 24, 25, 26/2.
    expect(vnDate(new Date(supplementDeadline(new Date('2026-02-10T10:00:00+07:00'))))).toBe('2026-02-26');
  });

  it('after a supplement the clock restarts: birth same day, downstream 2 working days', () => {
    const at = new Date('2026-11-23T10:00:00+07:00');
    expect(deadlineAfterSupplement('BIRTH', at)).toBe('2026-11-23T10:00:00.000Z');
    expect(deadlineAfterSupplement('RESIDENCE', at)).toBe('2026-11-25T10:00:00.000Z');
  });
});

describe('deadlines: isOverdue', () => {
  const dueAt = '2026-11-23T10:00:00.000Z';
  it.each([
    ['waiting, at the due instant', { overdue: false, waiting: true, dueAt }, '2026-11-23T10:00:00.000Z', false],
    ['waiting, 1 ms after it', { overdue: false, waiting: true, dueAt }, '2026-11-23T10:00:00.001Z', true],
    ['waiting, the day before', { overdue: false, waiting: true, dueAt }, '2026-11-22T10:00:00.000Z', false],
    [
      'no longer waiting (decided), after it',
      { overdue: false, waiting: false, dueAt },
      '2026-11-24T10:00:00.000Z',
      false,
    ],
    ['waiting without a due time', { overdue: false, waiting: true }, '2026-11-24T10:00:00.000Z', false],
    ['marked by an escalation, before it', { overdue: true, waiting: true, dueAt }, '2026-11-22T10:00:00.000Z', true],
  ] as const)('%s → overdue %s', (_what, x, now, expected) => {
    expect(isOverdue(x, new Date(now))).toBe(expected);
  });
  it('secondsUntil is at least 1 and at most 20 days', () => {
    expect(secondsUntil('2026-11-23T10:00:00Z', new Date('2026-11-23T11:00:00Z'))).toBe(1);
    expect(secondsUntil('2027-11-23T10:00:00Z', new Date('2026-11-23T10:00:00Z'))).toBe(20 * 24 * 3600);
  });
});

describe('deadlines: apologySlip (Phiếu xin lỗi và hẹn lại, domain.md §6.1)', () => {
  it('builds bilingual text with both appointments in Vietnam time', () => {
    const slip = apologySlip({
      procedure: 'BIRTH',
      oldDueAt: '2026-11-23T10:00:00.000Z',
      newDueAt: '2026-11-26T10:00:00.000Z',
      reason: 'MARRIAGE_VERIFICATION',
      dossierCode: 'LT-00004-261123-7KQ2MX',
    });
    expect(slip.title.vi).toBe('Phiếu xin lỗi và hẹn lại ngày trả kết quả');
    expect(slip.text.vi).toContain('17:00 23/11/2026');
    expect(slip.text.vi).toContain('17:00 26/11/2026');
    expect(slip.text.vi).toContain('Đăng ký khai sinh');
    expect(slip.text.en).toContain('We apologise');
    expect(slip.sms.vi.length).toBeLessThan(200);
  });
  it('accepts the officer’s own reason and refuses a new date that is not later', () => {
    expect(
      apologySlip({
        procedure: 'RESIDENCE',
        oldDueAt: '2026-11-23T10:00:00Z',
        newDueAt: '2026-11-24T10:00:00Z',
        reason: 'Chủ hộ chưa xác nhận',
      }).text.vi,
    ).toContain('Chủ hộ chưa xác nhận');
    expect(() =>
      apologySlip({
        procedure: 'BIRTH',
        oldDueAt: '2026-11-23T10:00:00Z',
        newDueAt: '2026-11-23T10:00:00Z',
        reason: 'OTHER',
      }),
    ).toThrow(RangeError);
  });
  it('counting day helper agrees with the slip dates', () => {
    expect(countingDay(new Date('2026-11-23T09:00:00+07:00'))).toBe('2026-11-23');
  });
});
