import { describe, expect, it } from '@jest/globals';
import { idCardOffered, idCardRequestedFor, regimeFor } from '#domain/regime.js';

describe('regime: Decree 63/2024 and Decree 63 + 301/2026 (domain.md §1)', () => {
  it.each([
    ['2024-07-01', 'ND63_2024'],
    ['2026-08-31', 'ND63_2024'],
    ['2026-09-01', 'ND63_ND301_2026'],
    ['2027-03-01', 'ND63_ND301_2026'],
  ])('counting day %s → %s', (day, regime) => {
    expect(regimeFor(day)).toBe(regime);
  });
  it('idCardRequestedFor: only when the regime offers it and the dossier asks', () => {
    expect(idCardOffered('ND63_2024')).toBe(false);
    expect(idCardRequestedFor('ND63_2024', { idCard: { requested: true } })).toBe(false);
    expect(idCardRequestedFor('ND63_ND301_2026', { idCard: { requested: false } })).toBe(false);
    expect(idCardRequestedFor('ND63_ND301_2026', { idCard: { requested: true } })).toBe(true);
  });
});
