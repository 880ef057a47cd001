/**
 * Officers' sign-in on AWS: the Cognito user pool's managed login with the authorization code flow and PKCE
 * (public client, no secret). The login page sends the browser to `/oauth2/authorize`; Cognito asks for the user
 * name, password and TOTP code (and enrols the authenticator at first sign-in), then sends the browser back to `/`
 * with `?code=&state=`; `completeSignIn` checks the state, exchanges the code at `/oauth2/token` and keeps the ID
 * token (it carries `cognito:groups` and `custom:unit`, which the API's JWT authorizer and handlers read). The
 * session renews itself with the refresh token when the ID token expires, and signs out when it cannot.
 * On the local stack none of this runs: the form posts to `/local/token` (api.ts `signIn`).
 */
import { loadCommunes, loadProvinces, provinceOfCommune } from './addresses';
import type { ApiError, Session, session, setRenewer, setSession, User } from './api';
import type { config } from './config';
import {
  authorizeUrl,
  type Callback,
  type CognitoConfig,
  codeTokenRequest,
  decodeJwt,
  idTokenProblem,
  logoutUrl,
  type PendingSignIn,
  parseCallback,
  pkceChallenge,
  randomToken,
  refreshTokenRequest,
  revokeEndpoint,
  sessionExpiry,
  type TokenResponse,
  tokenEndpoint,
  unitDisplayName,
  userFromClaims,
} from './oauth';
import type { navigate, replaceUrl } from './router';
import type { signInProgress } from './signin';

/**
 * What this chunk uses of the app's first-load modules, handed over by signin.ts `startAuth` rather than imported:
 * an import would make esbuild split those modules into extra shared chunks, and every visit would pay for them.
 */
export interface Host {
  ApiError: typeof ApiError;
  session: typeof session;
  setSession: typeof setSession;
  setRenewer: typeof setRenewer;
  config: typeof config;
  navigate: typeof navigate;
  replaceUrl: typeof replaceUrl;
  signInProgress: typeof signInProgress;
}
let host: Host;

const PENDING_KEY = 'lienthong.oauth';
/** A sign-in left at the managed login longer than this is not resumed. */
const PENDING_TTL = 15 * 60_000;

const cognito = (): CognitoConfig | undefined => {
  const a = host.config.get().auth;
  return a.type === 'cognito' ? a : undefined;
};

const authError = (vi: string, en: string, rule = 'auth.signIn') => new host.ApiError(401, rule, { vi, en });

/** Leaves for the managed login; the tab comes back to `redirectUri` (`completeSignIn`). */
export const beginSignIn = async (next?: string) => {
  const cfg = cognito();
  if (!cfg) throw new Error('Cognito sign-in is not configured');
  const pending: PendingSignIn = {
    state: randomToken(),
    nonce: randomToken(),
    verifier: randomToken(32),
    ...(next ? { next } : {}),
    createdAt: Date.now(),
  };
  const challenge = await pkceChallenge(pending.verifier);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(authorizeUrl(cfg, { state: pending.state, nonce: pending.nonce, challenge }));
};

const postToken = async (cfg: CognitoConfig, body: URLSearchParams): Promise<TokenResponse> => {
  let res: Response;
  try {
    res = await fetch(tokenEndpoint(cfg), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
  } catch {
    throw authError(
      'Không kết nối được máy chủ đăng nhập. Kiểm tra mạng và thử lại.',
      'Cannot reach the sign-in server. Check the network and try again.',
      'network',
    );
  }
  const json = (await res.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string };
  if (!res.ok || !json.id_token) {
    throw authError(
      `Đăng nhập không thành công (${json.error ?? res.status}). Vui lòng đăng nhập lại.`,
      `Sign-in failed (${json.error ?? res.status}). Please sign in again.`,
    );
  }
  return json as TokenResponse;
};

/** "Phường Ba Đình" for a commune code, "Thành phố Hà Nội" for a province code (social security); else undefined. */
const placeName = async (role: string, unit: string): Promise<string | undefined> => {
  if (!unit) return undefined;
  if (role === 'insurance-officer' && unit.length <= 2) {
    return (await loadProvinces()).find(([code]) => code === unit)?.[1];
  }
  const province = await provinceOfCommune(unit);
  return province ? (await loadCommunes(province)).find(([code]) => code === unit)?.[1] : undefined;
};

/** The session an ID token opens: the user as the local stack describes one (name, role, unit, office name). */
const sessionFrom = async (tokens: TokenResponse, refreshToken: string | undefined, nonce?: string) => {
  const cfg = cognito()!;
  const claims = decodeJwt(tokens.id_token);
  const problem = idTokenProblem(claims, { clientId: cfg.clientId, ...(nonce !== undefined ? { nonce } : {}) });
  if (problem) {
    throw authError(
      `Mã đăng nhập không hợp lệ (${problem}). Vui lòng đăng nhập lại.`,
      `The sign-in token is not valid (${problem}). Please sign in again.`,
    );
  }
  const user: User = userFromClaims(claims);
  const place = await placeName(user.role, user.unit).catch(() => undefined);
  if (place) user.unitName = unitDisplayName(user.role, user.unit, place);
  const s: Session = {
    token: tokens.id_token,
    user,
    expiresAt: sessionExpiry(claims, tokens.expires_in),
    ...(refreshToken ? { refreshToken } : {}),
  };
  return s;
};

const takePending = (): PendingSignIn | undefined => {
  try {
    const p = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as PendingSignIn | null;
    return p && Date.now() - p.createdAt < PENDING_TTL ? p : undefined;
  } catch {
    return undefined;
  } finally {
    sessionStorage.removeItem(PENDING_KEY);
  }
};

/** The redirect's query, if this page load is Cognito sending the browser back (else undefined: nothing to do). */
export const pendingCallback = (): Callback => (cognito() ? parseCallback(location.search) : undefined);

/**
 * Finishes a sign-in on the redirect back: drops `?code=&state=` from the address at once (a reload must not
 * replay the code), checks `state`, exchanges the code with the PKCE verifier, and opens the session.
 */
export const completeSignIn = async (cb: NonNullable<Callback>) => {
  const cfg = cognito()!;
  const pending = takePending();
  host.replaceUrl(`${location.pathname}#/login`);
  host.signInProgress.set({ busy: true });
  try {
    if (!pending || pending.state !== cb.state) {
      throw authError(
        'Phiên đăng nhập không khớp hoặc đã quá hạn. Vui lòng đăng nhập lại.',
        'This sign-in does not match the one started here, or it is too old. Please sign in again.',
        'auth.state',
      );
    }
    if (cb.kind === 'error') {
      throw authError(
        `Máy chủ đăng nhập từ chối: ${cb.description || cb.error}.`,
        `The sign-in server refused: ${cb.description || cb.error}.`,
      );
    }
    const tokens = await postToken(cfg, codeTokenRequest(cfg, cb.code, pending.verifier));
    const s = await sessionFrom(tokens, tokens.refresh_token, pending.nonce);
    host.setSession(s);
    host.signInProgress.set({ busy: false });
    const next = pending.next && pending.next !== '#/login' ? pending.next : undefined;
    host.navigate(next ?? (s.user.role === 'auditor' ? '#/audit' : '#/queue'));
  } catch (error) {
    host.signInProgress.set({ busy: false, error });
  }
};

/** Cognito: new ID token from the refresh token (the refresh token itself stays, Cognito does not rotate it here). */
const renewWithCognito = async (s: Session): Promise<Session | undefined> => {
  const cfg = cognito();
  if (!cfg || !s.refreshToken) return undefined;
  const tokens = await postToken(cfg, refreshTokenRequest(cfg, s.refreshToken));
  const fresh = await sessionFrom(tokens, tokens.refresh_token ?? s.refreshToken);
  return { ...fresh, user: { ...fresh.user, unitName: fresh.user.unitName || s.user.unitName } };
};

/** Signs out of Cognito: the refresh token is revoked and the managed login's cookie ends (signin.ts signOut). */
export const signOut = () => {
  const cfg = cognito();
  const s = host.session.get();
  host.setSession(undefined);
  if (!cfg) {
    host.navigate('#/');
    return;
  }
  if (s?.refreshToken) {
    // Best effort, and it must survive the navigation below.
    fetch(revokeEndpoint(cfg), {
      method: 'POST',
      keepalive: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: s.refreshToken, client_id: cfg.clientId }),
    }).catch(() => undefined);
  }
  location.assign(logoutUrl(cfg));
};

/** Wires renewal with the refresh token; signin.ts `startAuth` calls it once, after the config is loaded. */
export const initCognito = (h: Host) => {
  host = h;
  host.setRenewer(renewWithCognito);
};
