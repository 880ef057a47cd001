/**
 * The legal regime of a case is fixed by the receipt date and recorded on the case (domain.md §1 "Design implication").
 *  - ND63_2024: Decree 63/2024/NĐ-CP, dossiers from 1 July 2024: birth + permanent residence + BHYT card. [H]
 *  - ND63_ND301_2026: Decree 63 as amended by Decree 301/2026/NĐ-CP from 1 September 2026: adds the optional ID card
 *    (căn cước) for the child under 6. [M]
 */
import { z } from 'zod';
import type { Dossier } from './dossier.js';

export const Regime = z.enum(['ND63_2024', 'ND63_ND301_2026']);
export type Regime = z.infer<typeof Regime>;

/** Decree 301/2026 amends Decree 63 from 1 September 2026 (adds the ID card for under-6s). [M] */
export const ND301_EFFECTIVE = '2026-09-01';

export const regimeFor = (countingDay: string): Regime =>
  countingDay >= ND301_EFFECTIVE ? 'ND63_ND301_2026' : 'ND63_2024';

/** The regimes in force order: a procedure offered from one is offered under every later one. */
const order = Regime.options;
/** Whether a procedure offered from `from` (its registry entry's `offeredFrom`) is part of the bundle under `regime`. */
export const offeredUnder = (from: Regime, regime: Regime): boolean => order.indexOf(regime) >= order.indexOf(from);

/** Decree 301/2026: the ID card joins the bundle only under its regime, and only when the dossier asks for it. */
export const idCardOffered = (regime: Regime): boolean => offeredUnder('ND63_ND301_2026', regime);

/** The ID-card branch runs only when the regime offers it AND the dossier asks for it. */
export const idCardRequestedFor = (regime: Regime, dossier: Pick<Dossier, 'idCard'>): boolean =>
  idCardOffered(regime) && dossier.idCard.requested === true;
