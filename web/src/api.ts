/**
 * The one way the browser talks to the API. Errors always come back as `ApiError` carrying the API's one error format
 * `{ status, rule, message: {vi, en}, issues: [{ field, rule, message }] }`; network failures and non-JSON answers are
 * turned into the same shape so every screen shows them the same way.
 */
import type { Text } from './i18n';
import { signal } from './signal';

export interface Issue {
  field: string;
  rule: string;
  message: Text;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly rule: string,
    readonly text: Text,
    readonly issues: Issue[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(text.en);
  }
}

export interface User {
  username: string;
  name: string;
  role: string;
  unit: string;
  unitName: string;
}

export interface Session {
  /** Sent as `Authorization: Bearer`: the local issuer's JWT, or the Cognito ID token (groups and unit). */
  token: string;
  user: User;
  /** When the token must be renewed (ms since epoch, a minute before it really expires). */
  expiresAt: number;
  /** Cognito only: renews the ID token at `expiresAt` (valid 12 h; revoked on sign-out). */
  refreshToken?: string;
}

const SESSION_KEY = 'lienthong.session';
const loadSession = (): Session | undefined => {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    // An expired Cognito session may still be renewed with its refresh token (`renewSession`).
    return s && (s.expiresAt > Date.now() || s.refreshToken) ? s : undefined;
  } catch {
    return undefined;
  }
};
/** The signed-in officer (kept for the browser tab only: a shared counter PC forgets it when the tab closes). */
export const session = signal<Session | undefined>(loadSession());
export const setSession = (s: Session | undefined) => {
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
  session.set(s);
};

export const expiredError = () =>
  new ApiError(401, 'auth.expired', {
    vi: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
    en: 'Your session expired; please sign in again.',
  });

/** Renews an expired session (Cognito: the refresh token; set by auth.ts); resolves undefined when it cannot. */
let renewer: ((s: Session) => Promise<Session | undefined>) | undefined;
export const setRenewer = (fn: typeof renewer) => {
  renewer = fn;
};
let renewing: Promise<Session | undefined> | undefined;
/** The session with a token that is still valid: renewed once for concurrent callers, else signed out. */
export const renewSession = async (s: Session): Promise<Session | undefined> => {
  if (s.expiresAt > Date.now()) return s;
  if (!renewing) {
    renewing = (async () => {
      const fresh = s.refreshToken && renewer ? await renewer(s).catch(() => undefined) : undefined;
      // Only if nobody signed out or in meanwhile.
      if (session.get() === s) setSession(fresh);
      return fresh;
    })().finally(() => {
      renewing = undefined;
    });
  }
  return renewing;
};

const networkError = () =>
  new ApiError(0, 'network', {
    vi: 'Không kết nối được máy chủ. Kiểm tra mạng và thử lại.',
    en: 'Cannot reach the server. Check the network and try again.',
  });

export interface CallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
  signal?: AbortSignal;
}

/** Calls the API; resolves with the JSON body, rejects with `ApiError`. */
export const call = async <T>(path: string, opts: CallOptions = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let s = session.get();
  if (opts.auth !== false && s && s.expiresAt <= Date.now()) {
    s = await renewSession(s);
    if (!s) throw expiredError();
  }
  if (opts.auth !== false && s) headers.authorization = `Bearer ${s.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw networkError();
  }
  const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
  // A route the server does not have yet falls through to the web app's index.html: treat it as 404.
  if (!isJson) {
    if (res.ok || res.status === 404)
      throw new ApiError(404, 'route.notFound', { vi: 'Không có chức năng này.', en: 'No such route.' });
    throw new ApiError(res.status, 'server.error', {
      vi: `Lỗi máy chủ (${res.status}).`,
      en: `Server error (${res.status}).`,
    });
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return body as T;
  const err = body.error as
    | { status?: number; rule?: string; message?: Text; issues?: Issue[]; details?: Record<string, unknown> }
    | undefined;
  if (res.status === 401 && opts.auth !== false && s && !err) {
    setSession(undefined);
    throw expiredError();
  }
  if (err?.message)
    throw new ApiError(err.status ?? res.status, err.rule ?? 'error', err.message, err.issues ?? [], err.details);
  const msg = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
  throw new ApiError(res.status, res.status === 404 ? 'route.notFound' : 'error', { vi: msg, en: msg });
};

/** Local stack only: user name + password at the local token issuer (on AWS, auth.ts signs in with Cognito). */
export const signIn = async (username: string, password: string) => {
  const r = await call<{ token: string; expiresIn: number; user: User }>('/local/token', {
    method: 'POST',
    body: { username, password },
    auth: false,
  });
  setSession({ token: r.token, user: r.user, expiresAt: Date.now() + r.expiresIn * 1000 - 60_000 });
  return r.user;
};

/** A fresh client transaction id: the API files a dossier once per `requestId`, however often it is sent. */
export const newRequestId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
