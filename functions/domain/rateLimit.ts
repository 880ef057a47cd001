/**
 * Brakes on guessing: fixed windows computed from the injected clock (so a test pins them), a limit of wrong attempts
 * per window for each bucket (a dossier code, a client address, a user name), and the 429 the API answers when one is
 * spent. A bucket that is spent refuses every attempt until its window ends, the right secret too: otherwise the
 * difference between 429 and 200 would still tell a guesser when they are right.
 */
import { LienthongError, type Message } from './errors.js';

export interface Window {
  /** ISO instant the window started. */
  start: string;
  /** Epoch milliseconds the window ends (exclusive). */
  endMs: number;
  /** Whole seconds from `now` to the end of the window, at least 1 (the Retry-After header). */
  retryAfterSeconds: number;
}

export const windowAt = (now: Date, windowSeconds: number): Window => {
  const size = windowSeconds * 1000;
  const startMs = Math.floor(now.getTime() / size) * size;
  const endMs = startMs + size;
  return {
    start: new Date(startMs).toISOString(),
    endMs,
    retryAfterSeconds: Math.max(1, Math.ceil((endMs - now.getTime()) / 1000)),
  };
};

export interface Bucket {
  /** What is counted, e.g. `tracking-code#LT-00004-261123-ABC123`. */
  key: string;
  /** Wrong attempts allowed per window. */
  limit: number;
}

/** The limits of the API's unauthenticated doors (docs/api.md "Errors", docs/deploy.md "Throttling"). */
export const rateLimits = {
  /** Wrong tracking secrets per dossier code, and per client address, in one window. */
  tracking: { perCode: 10, perClient: 100, windowSeconds: 15 * 60 },
  /** Wrong passwords per user name, and per client address, on the local token issuer (Cognito's own on AWS). */
  signIn: { perUser: 10, perClient: 50, windowSeconds: 15 * 60 },
} as const;

/** 429: too many wrong attempts in this window; `Retry-After` says when the next window opens. */
export class TooManyAttemptsError extends LienthongError {
  constructor(rule: string, retryAfterSeconds: number, messages?: Message) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(
      429,
      rule,
      messages ?? {
        vi: `Đã thử sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
        en: `Too many wrong attempts. Please try again in ${minutes} minute(s).`,
      },
      { name: 'TooManyAttempts', details: { retryAfterSeconds } },
    );
  }
}
