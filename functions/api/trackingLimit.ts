/**
 * The brake on guessing tracking secrets (the parents' door has no account): at most `rateLimits.tracking.perCode`
 * wrong secrets per dossier code, and `perClient` per client address, in each window of the injected clock; then
 * 429 `tracking.tooManyAttempts` with Retry-After until the window ends, for the right secret too. Counted in
 * DynamoDB (adapters/rateLimit.ts) so the limit holds across Lambda instances; a right secret costs nothing.
 */
import type { CaseStore } from '#adapters/caseStore.js';
import { clock } from '#adapters/config.js';
import { attemptCounter } from '#adapters/rateLimit.js';
import type { CaseState } from '#domain/caseState.js';
import { NotFoundError } from '#domain/errors.js';
import { type Bucket, rateLimits, TooManyAttemptsError, windowAt } from '#domain/rateLimit.js';
import { loadTrackedCase } from './access.js';
import type { Request } from './http.js';

export const trackingBuckets = (code: string, client: string): Bucket[] => [
  { key: `tracking-code#${code}`, limit: rateLimits.tracking.perCode },
  { key: `tracking-client#${client}`, limit: rateLimits.tracking.perClient },
];

/** `loadTrackedCase` for the code in the path and the secret in `x-tracking-secret`, behind the brake. */
export const loadTrackedCaseLimited = async (store: CaseStore, req: Request): Promise<CaseState> => {
  const code = req.path.code ?? '';
  const client = req.event.requestContext?.http?.sourceIp ?? 'unknown';
  const window = windowAt(clock().now(), rateLimits.tracking.windowSeconds);
  const buckets = trackingBuckets(code, client);
  const counter = attemptCounter();
  if ((await counter.spent(buckets, window)).length > 0) {
    throw new TooManyAttemptsError('tracking.tooManyAttempts', window.retryAfterSeconds, {
      vi: `Đã nhập sai mã hồ sơ hoặc mã bí mật quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(window.retryAfterSeconds / 60)} phút.`,
      en: `Too many wrong dossier codes or secrets. Please try again in ${Math.ceil(window.retryAfterSeconds / 60)} minute(s).`,
    });
  }
  try {
    return await loadTrackedCase(store, code, req.header('x-tracking-secret'));
  } catch (err) {
    if (err instanceof NotFoundError && err.rule === 'tracking.notFound') await counter.fail(buckets, window);
    throw err;
  }
};
