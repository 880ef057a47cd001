/**
 * Reading the JWT claims both runtimes hand us. Shared by the API (functions/api/http.ts) and the web app's
 * Cognito sign-in (web/src/oauth.ts), so a token means the same thing on both sides.
 */

/** A claim list as JSON (`["a","b"]`) or as API Gateway's JWT authorizer flattens it (`"[a b]"`). */
export const claimList = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string' || v === '') return [];
  return v
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};
