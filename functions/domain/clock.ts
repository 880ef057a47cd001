/**
 * The one clock. Domain code takes a `Clock` argument (never `new Date()`), so deadline tests are deterministic.
 * Deployed code uses `systemClock`; the local stack may run on a fixed or shifted clock (see adapters/config.ts).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Always the same instant. */
export const fixedClock = (at: Date | string): Clock => {
  const t = new Date(at).getTime();
  return { now: () => new Date(t) };
};

/** Starts at `at` now and runs at real speed from there. */
export const shiftedClock = (at: Date | string, base: Clock = systemClock): Clock => {
  const offset = new Date(at).getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + offset) };
};

/**
 * Parses `LIENTHONG_CLOCK`: `fixed:<ISO instant>` (time stands still) or `from:<ISO instant>` (starts there and runs).
 * Returns undefined for an empty value. Throws on anything else, so a typo fails at start, not silently.
 */
export const parseClockSetting = (value: string | undefined): Clock | undefined => {
  if (!value) return undefined;
  const m = /^(fixed|from):(.+)$/.exec(value.trim());
  const at = m ? new Date(m[2]!) : undefined;
  if (!m || !at || Number.isNaN(at.getTime())) {
    throw new Error(`LIENTHONG_CLOCK must be "fixed:<ISO instant>" or "from:<ISO instant>", got "${value}"`);
  }
  return m[1] === 'fixed' ? fixedClock(at) : shiftedClock(at);
};
