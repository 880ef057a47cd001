/**
 * The local token issuer: stands in for Cognito on one machine. Signs RS256 JWTs with the same claims a Cognito ID
 * token carries (`sub`, `name`, `cognito:groups`, `custom:unit`), for seeded demo users of each role in two demo
 * communes. The key pair is kept under the data folder so tokens survive a restart.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import type { AttemptCounter } from '#adapters/rateLimit.js';
import type { Role } from '#domain/procedures.js';
import { type Bucket, rateLimits, TooManyAttemptsError, windowAt } from '#domain/rateLimit.js';

export interface DemoUser {
  username: string;
  name: string;
  role: Role;
  unit: string;
  unitName: string;
}

/** Phường Ba Đình (Hà Nội, 01) and Phường Bến Thành (TP. Hồ Chí Minh, 79): the two demo communes. */
export const demoUsers: DemoUser[] = [
  {
    username: 'hotich.badinh',
    name: 'Nguyễn Thị Hoa',
    role: 'civil-status-officer',
    unit: '00004',
    unitName: 'UBND Phường Ba Đình',
  },
  {
    username: 'congan.badinh',
    name: 'Trần Văn Minh',
    role: 'police-officer',
    unit: '00004',
    unitName: 'Công an Phường Ba Đình',
  },
  {
    username: 'bhxh.hanoi',
    name: 'Lê Thu Trang',
    role: 'insurance-officer',
    unit: '01',
    unitName: 'BHXH Thành phố Hà Nội',
  },
  {
    username: 'hotich.benthanh',
    name: 'Phạm Quốc Bảo',
    role: 'civil-status-officer',
    unit: '26743',
    unitName: 'UBND Phường Bến Thành',
  },
  {
    username: 'congan.benthanh',
    name: 'Võ Thị Lan',
    role: 'police-officer',
    unit: '26743',
    unitName: 'Công an Phường Bến Thành',
  },
  {
    username: 'bhxh.hcm',
    name: 'Đặng Minh Tuấn',
    role: 'insurance-officer',
    unit: '79',
    unitName: 'BHXH TP. Hồ Chí Minh',
  },
  { username: 'kiemtra', name: 'Hoàng Anh Dũng', role: 'auditor', unit: '', unitName: 'Thanh tra' },
];

export const DEMO_PASSWORD = process.env.LIENTHONG_DEMO_PASSWORD ?? 'demo';
const ISSUER = 'lienthong-local';
const AUDIENCE = 'lienthong-web';

export interface TokenIssuer {
  issue(username: string, password: string): Promise<{ token: string; expiresIn: number; user: DemoUser } | undefined>;
  verify(token: string): Promise<Record<string, unknown> | undefined>;
  jwks(): { keys: JWK[] };
}

export const createTokenIssuer = async (keyFile?: string): Promise<TokenIssuer> => {
  let privateJwk: JWK;
  let publicJwk: JWK;
  if (keyFile && existsSync(keyFile)) {
    ({ privateJwk, publicJwk } = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateJwk: JWK; publicJwk: JWK });
  } else {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'local-1', alg: 'RS256' };
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'local-1', alg: 'RS256', use: 'sig' };
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify({ privateJwk, publicJwk }), { mode: 0o600 });
    }
  }
  const privateKey = await importJWK(privateJwk, 'RS256');
  const publicKey = await importJWK(publicJwk, 'RS256');
  const expiresIn = 8 * 3600;
  return {
    async issue(username, password) {
      const user = demoUsers.find((u) => u.username === username);
      if (!user || password !== DEMO_PASSWORD) return undefined;
      const token = await new SignJWT({
        name: user.name,
        'cognito:groups': [user.role],
        'custom:unit': user.unit,
        'cognito:username': user.username,
        token_use: 'id',
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'local-1' })
        .setSubject(`local-${user.username}`)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${expiresIn}s`)
        .sign(privateKey);
      return { token, expiresIn, user };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer: ISSUER, audience: AUDIENCE });
        return payload as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
    jwks: () => ({ keys: [publicJwk] }),
  };
};

/** The brake on password guessing at `/local/token` (Cognito has its own on AWS): wrong passwords per user name and
 * per client address in one window of the clock; when one is spent, 429 `auth.tooManyAttempts` until it ends. */
export interface SignInLimiter {
  /** The refusal when the user name's or the client's bucket is spent, else undefined. */
  check(username: string, client: string): Promise<TooManyAttemptsError | undefined>;
  failed(username: string, client: string): Promise<void>;
}

/** Counts in the case table (adapters/rateLimit.ts), the same counter as the tracking brake. */
export const createSignInLimiter = (counter: () => AttemptCounter, now: () => Date): SignInLimiter => {
  const limits = rateLimits.signIn;
  const buckets = (username: string, client: string): Bucket[] => [
    { key: `signin-user#${username.slice(0, 64)}`, limit: limits.perUser },
    { key: `signin-client#${client}`, limit: limits.perClient },
  ];
  return {
    async check(username, client) {
      const window = windowAt(now(), limits.windowSeconds);
      const spent = await counter().spent(buckets(username, client), window);
      return spent.length > 0 ? new TooManyAttemptsError('auth.tooManyAttempts', window.retryAfterSeconds) : undefined;
    },
    async failed(username, client) {
      await counter().fail(buckets(username, client), windowAt(now(), limits.windowSeconds));
    },
  };
};
