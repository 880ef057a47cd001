/**
 * The one pinned time of the suite: Monday 23 November 2026, 09:00 in Vietnam (02:00 UTC), a working day inside
 * office hours with no holiday near. Suites that start a stack or an engine run on a `VirtualTime` starting there,
 * so nothing they expect depends on the day they run, and a deadline is reached by moving time, not by waiting.
 */
import { VirtualTime } from '#infra/local/sfn/time.js';

export const MONDAY_0900_VIETNAM = '2026-11-23T02:00:00Z';

/** A LIENTHONG_CLOCK value for a child process (`npm start`'s entry): starts at the pinned Monday and runs. */
export const PINNED_CLOCK_SETTING = `from:${MONDAY_0900_VIETNAM}`;

/** Virtual time at the pinned Monday (or another instant a test is about): moves only when the test moves it. */
export const pinnedTime = (at: string = MONDAY_0900_VIETNAM) => new VirtualTime(at);

export const DAY_MS = 24 * 3600_000;

/**
 * This process's environment without libfaketime, for the programs that `faketime` breaks and whose clock decides
 * nothing a test expects. Chromium hangs under it: its zygote's children never answer ("Did not receive ping from
 * zygote child"), even with FAKETIME='+0' (libfaketime cannot fake time consistently for every thread of a complex
 * multi-threaded runtime: wolfcw/libfaketime#373); the page's time is Playwright's clock anyway. The JVM of DynamoDB
 * Local starts about three times slower under it. See docs/testing.md.
 */
export const environmentWithoutFaketime = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('FAKETIME')) continue;
    if (k === 'LD_PRELOAD') {
      const kept = v
        .split(/[\s:]+/)
        .filter((lib) => lib && !lib.includes('faketime'))
        .join(':');
      if (kept) env[k] = kept;
      continue;
    }
    env[k] = v;
  }
  return env;
};
