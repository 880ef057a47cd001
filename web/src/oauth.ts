/**
 * OAuth 2.0 authorization code + PKCE (RFC 6749, RFC 7636) against the Cognito user pool's managed login, as pure
 * helpers: no DOM, no storage, no network, so they are unit-tested in Node (test/unit/web/oauth.test.ts). The
 * browser side (redirects, sessionStorage, fetch) lives in `auth.ts`.
 */

import { claimList } from '#domain/claims.js';

// `/config.json`'s shape and reader live in runtimeConfig.ts (every visit needs them; the rest of this file is loaded
// only on AWS); the Cognito part is re-exported here for the sign-in code.
export type { CognitoConfig } from './runtimeConfig.js';

import { roleNames } from '#domain/procedures/bundle.js';
import type { Role } from '#domain/procedures/codes.js';
import type { CognitoConfig } from './runtimeConfig.js';

/** The scopes the web client asks for: the ID token then carries the profile, e-mail and custom attributes. */
export const SCOPES = 'openid profile email';

export const base64url = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** 32 random bytes, base64url: a 43-character PKCE verifier (RFC 7636 §4.1), also used for `state` and `nonce`. */
export const randomToken = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/** `code_challenge` for `code_challenge_method=S256`: BASE64URL(SHA-256(ASCII(verifier))) (RFC 7636 §4.2). */
export const pkceChallenge = async (verifier: string): Promise<string> => {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new Error('PKCE verifier must be 43-128 unreserved chars');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
};

/** What one sign-in attempt keeps across the redirect (sessionStorage of the tab). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** The app route to return to (`#/queue`). */
  next?: string;
  createdAt: number;
}

/** `GET <domain>/oauth2/authorize?...`: the managed login page (user name, password, TOTP; TOTP enrolment). */
export const authorizeUrl = (
  cfg: CognitoConfig,
  p: { state: string; nonce: string; challenge: string; lang?: string },
): string => {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: cfg.redirectUri,
    scope: SCOPES,
    state: p.state,
    nonce: p.nonce,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
  });
  if (p.lang) q.set('lang', p.lang);
  return `${cfg.domain}/oauth2/authorize?${q}`;
};

/** Body of `POST <domain>/oauth2/token` exchanging the code (public client: no secret, the verifier instead). */
export const codeTokenRequest = (cfg: CognitoConfig, code: string, verifier: string): URLSearchParams =>
  new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: cfg.clientId,
    code,
    redirect_uri: cfg.redirectUri,
    code_verifier: verifier,
  });

/** Body of `POST <domain>/oauth2/token` for fresh ID/access tokens (no new refresh token from Cognito). */
export const refreshTokenRequest = (cfg: CognitoConfig, refreshToken: string): URLSearchParams =>
  new URLSearchParams({ grant_type: 'refresh_token', client_id: cfg.clientId, refresh_token: refreshToken });

export const tokenEndpoint = (cfg: CognitoConfig) => `${cfg.domain}/oauth2/token`;
export const revokeEndpoint = (cfg: CognitoConfig) => `${cfg.domain}/oauth2/revoke`;

/** `GET <domain>/logout`: ends the managed-login session (its cookie), then back to `logoutUri`. */
export const logoutUrl = (cfg: CognitoConfig): string =>
  `${cfg.domain}/logout?${new URLSearchParams({ client_id: cfg.clientId, logout_uri: cfg.logoutUri })}`;

/** What the redirect back carries: `?code=&state=` or `?error=&error_description=&state=`. */
export type Callback =
  | { kind: 'code'; code: string; state: string }
  | { kind: 'error'; error: string; description: string; state: string }
  | undefined;
export const parseCallback = (search: string): Callback => {
  const q = new URLSearchParams(search);
  const state = q.get('state') ?? '';
  const code = q.get('code');
  if (code) return { kind: 'code', code, state };
  const error = q.get('error');
  if (error) return { kind: 'error', error, description: q.get('error_description') ?? '', state };
  return undefined;
};

/** The payload of a JWT (not verified: the browser got it straight from the token endpoint over TLS). */
export const decodeJwt = (token: string): Record<string, unknown> => {
  const part = token.split('.')[1];
  if (!part) throw new Error('Not a JWT');
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (!payload || typeof payload !== 'object') throw new Error('JWT payload is not an object');
  return payload as Record<string, unknown>;
};

/**
 * Checks an ID token's claims are for this client and this sign-in (OIDC Core §3.1.3.7: `aud`, `exp`, `nonce`;
 * `token_use` is Cognito's). Returns the reason when they are not.
 */
export const idTokenProblem = (
  claims: Record<string, unknown>,
  expected: { clientId: string; nonce?: string; now?: number },
): string | undefined => {
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(expected.clientId)) return 'aud';
  if (claims.token_use !== undefined && claims.token_use !== 'id') return 'token_use';
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= (expected.now ?? Date.now())) return 'exp';
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) return 'nonce';
  return undefined;
};

/** The roles of the app, in the order a user with several groups is shown as (officers before auditors). */
/** The roles that sign in (the registry's, less the applicant, who has no account): the Cognito group names. */
const ROLES = (Object.keys(roleNames) as Role[]).filter((r) => r !== 'applicant');

/** The same shape `POST /local/token` answers with (`user`), from an ID token's claims. */
export interface ClaimsUser {
  username: string;
  name: string;
  role: string;
  unit: string;
  unitName: string;
}

/**
 * Name, role (the first app role among `cognito:groups`), unit (`custom:unit`) from an ID token, read the way the
 * API reads them (functions/api/http.ts `principalOf`). `unitName` starts as the code; `unitDisplayName` makes it
 * readable once the address list is loaded.
 */
export const userFromClaims = (claims: Record<string, unknown>): ClaimsUser => {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const username =
    str(claims['cognito:username']) ?? str(claims.preferred_username) ?? str(claims.email) ?? String(claims.sub ?? '');
  const given = [str(claims.family_name), str(claims.given_name)].filter(Boolean).join(' ');
  const groups = claimList(claims['cognito:groups']);
  const role = ROLES.find((r) => groups.includes(r)) ?? '';
  const unit = str(claims['custom:unit']) ?? '';
  return {
    username,
    name: str(claims.name) ?? (given || username),
    role,
    unit,
    unitName: unitDisplayName(role, unit),
  };
};

/**
 * The office an officer works in, as the local demo users name it: "UBND Phường Ba Đình", "Công an Phường Ba Đình",
 * "BHXH Thành phố Hà Nội", "Thanh tra". `place` is the commune (or, for social security, province) name; without it
 * the code stands in.
 */
export const unitDisplayName = (role: string, unit: string, place?: string): string => {
  if (role === 'auditor') return 'Thanh tra';
  const where = place ?? unit;
  if (!where) return '';
  switch (role) {
    case 'civil-status-officer':
      return `UBND ${where}`;
    case 'police-officer':
      return `Công an ${where}`;
    case 'insurance-officer':
      return `BHXH ${where}`;
    default:
      return where;
  }
};

/** Token endpoint answer (RFC 6749 §5.1; Cognito adds `id_token`). */
export interface TokenResponse {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
}

/** When the session must be renewed: the ID token's `exp` or `expires_in`, whichever is sooner, less a minute. */
export const sessionExpiry = (claims: Record<string, unknown>, expiresIn: number, now = Date.now()): number => {
  const byExp = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
  return Math.min(byExp, now + expiresIn * 1000) - 60_000;
};
