/**
 * The legal regime of a case is fixed by the receipt date and recorded on the case (domain.md §1 "Design implication").
 */
import { z } from 'zod';

export const Regime = z.enum(['ND63_2024', 'ND63_ND301_2026']);
export type Regime = z.infer<typeof Regime>;

/** Decree 301/2026 amends Decree 63 from 1 September 2026 (adds the ID card for under-6s). [M] */
export const ND301_EFFECTIVE = '2026-09-01';

export const regimeFor = (countingDay: string): Regime => (countingDay >= ND301_EFFECTIVE ? 'ND63_ND301_2026' : 'ND63_2024');

/** Decree 301/2026: the ID card joins the bundle only under its regime, and only when the dossier asks for it. */
export const idCardOffered = (regime: Regime): boolean => regime === 'ND63_ND301_2026';
