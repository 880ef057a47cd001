/**
 * The web app's Cognito sign-in helpers (web/src/oauth.ts): PKCE, the authorize and token requests, the redirect
 * back, and the user read from an ID token's claims, the way the API reads them.
 */
import { describe, expect, it } from '@jest/globals';
import {
  authorizeUrl,
  base64url,
  type CognitoConfig,
  codeTokenRequest,
  decodeJwt,
  idTokenProblem,
  logoutUrl,
  parseCallback,
  pkceChallenge,
  randomToken,
  refreshTokenRequest,
  sessionExpiry,
  unitDisplayName,
  userFromClaims,
} from '../../../web/src/oauth.js';
import { parseConfig } from '../../../web/src/runtimeConfig.js';

const cfg: CognitoConfig = {
  type: 'cognito',
  domain: 'https://lienthong-123456789012.auth.ap-southeast-1.amazoncognito.com',
  clientId: '5abc123client',
  redirectUri: 'https://d111111abcdef8.cloudfront.net/',
  logoutUri: 'https://d111111abcdef8.cloudfront.net/',
};

/** An unsigned JWT with this payload (the helpers never check signatures: the token endpoint is trusted over TLS). */
const jwt = (payload: Record<string, unknown>) =>
  ['{"alg":"none"}', JSON.stringify(payload)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.sig';

describe('web/src/oauth', () => {
  describe('config.json', () => {
    it('reads the Cognito settings, trims the domain, and treats anything else as the local sign-in', () => {
      expect(parseConfig({ auth: { ...cfg, domain: `${cfg.domain}/` } })).toEqual({ auth: cfg });
      expect(parseConfig({ auth: { type: 'local' } })).toEqual({ auth: { type: 'local' } });
      expect(parseConfig(undefined)).toEqual({ auth: { type: 'local' } });
      expect(() => parseConfig({ auth: { type: 'cognito', domain: cfg.domain } })).toThrow(/clientId/);
    });
  });

  describe('PKCE (RFC 7636)', () => {
    it('derives the S256 challenge of the RFC 7636 appendix B example', async () => {
      await expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      );
    });

    it('makes 43-character random verifiers of unreserved characters, and refuses short ones', async () => {
      const a = randomToken();
      const b = randomToken();
      expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(a).not.toBe(b);
      await expect(pkceChallenge('too-short')).rejects.toThrow(/43-128/);
      expect(base64url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    });
  });

  describe('requests', () => {
    it('sends the browser to /oauth2/authorize with the code flow, the scopes, state, nonce and the S256 challenge', () => {
      // Act
      const url = new URL(authorizeUrl(cfg, { state: 'st', nonce: 'no', challenge: 'ch' }));
      // Assess
      expect(`${url.origin}${url.pathname}`).toBe(`${cfg.domain}/oauth2/authorize`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        response_type: 'code',
        client_id: cfg.clientId,
        redirect_uri: cfg.redirectUri,
        scope: 'openid profile email',
        state: 'st',
        nonce: 'no',
        code_challenge: 'ch',
        code_challenge_method: 'S256',
      });
    });

    it('exchanges the code with the verifier and no secret, and refreshes with the refresh token', () => {
      expect(Object.fromEntries(codeTokenRequest(cfg, 'the-code', 'the-verifier'))).toEqual({
        grant_type: 'authorization_code',
        client_id: cfg.clientId,
        code: 'the-code',
        redirect_uri: cfg.redirectUri,
        code_verifier: 'the-verifier',
      });
      expect(Object.fromEntries(refreshTokenRequest(cfg, 'rt'))).toEqual({
        grant_type: 'refresh_token',
        client_id: cfg.clientId,
        refresh_token: 'rt',
      });
    });

    it('signs out through /logout back to the app', () => {
      const url = new URL(logoutUrl(cfg));
      expect(url.pathname).toBe('/logout');
      expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: cfg.clientId, logout_uri: cfg.logoutUri });
    });

    it('reads the redirect back: a code, an error, or nothing', () => {
      expect(parseCallback('?code=c1&state=s1')).toEqual({ kind: 'code', code: 'c1', state: 's1' });
      expect(parseCallback('?error=access_denied&error_description=no&state=s1')).toEqual({
        kind: 'error',
        error: 'access_denied',
        description: 'no',
        state: 's1',
      });
      expect(parseCallback('')).toBeUndefined();
    });
  });

  describe('the ID token', () => {
    const now = Date.UTC(2026, 0, 5, 3, 0, 0);
    const claims = {
      sub: 'a1b2',
      aud: cfg.clientId,
      token_use: 'id',
      nonce: 'n1',
      exp: now / 1000 + 3600,
      'cognito:username': 'nguyen.thi.hoa',
      'cognito:groups': ['civil-status-officer'],
      'custom:unit': '00004',
      name: 'Nguyễn Thị Hoa',
    };

    it('decodes UTF-8 claims (Vietnamese names) from base64url', () => {
      expect(decodeJwt(jwt(claims))).toEqual(claims);
      expect(() => decodeJwt('nope')).toThrow(/JWT/);
    });

    it('is accepted only for this client, this sign-in (nonce), as an ID token, before it expires', () => {
      const expected = { clientId: cfg.clientId, nonce: 'n1', now };
      expect(idTokenProblem(claims, expected)).toBeUndefined();
      expect(idTokenProblem({ ...claims, aud: 'other' }, expected)).toBe('aud');
      expect(idTokenProblem({ ...claims, token_use: 'access' }, expected)).toBe('token_use');
      expect(idTokenProblem({ ...claims, exp: now / 1000 }, expected)).toBe('exp');
      expect(idTokenProblem({ ...claims, nonce: 'n2' }, expected)).toBe('nonce');
      expect(idTokenProblem({ ...claims, nonce: undefined }, { clientId: cfg.clientId, now })).toBeUndefined();
    });

    it('gives the same user as the local sign-in: name, role from the group, unit, office name', () => {
      expect(userFromClaims(claims)).toEqual({
        username: 'nguyen.thi.hoa',
        name: 'Nguyễn Thị Hoa',
        role: 'civil-status-officer',
        unit: '00004',
        unitName: 'UBND 00004',
      });
      // API Gateway's flattened list form, several groups (officer roles first), no name
      expect(
        userFromClaims({
          sub: 's',
          'cognito:groups': '[auditor police-officer]',
          'custom:unit': '26743',
          email: 'x@y',
        }),
      ).toMatchObject({ username: 'x@y', name: 'x@y', role: 'police-officer', unit: '26743' });
      // groups that are not app roles give no role
      expect(userFromClaims({ sub: 's', 'cognito:groups': ['admins'] })).toMatchObject({ role: '', unit: '' });
    });

    it('names the office like the local demo users', () => {
      expect(unitDisplayName('civil-status-officer', '00004', 'Phường Ba Đình')).toBe('UBND Phường Ba Đình');
      expect(unitDisplayName('police-officer', '00004', 'Phường Ba Đình')).toBe('Công an Phường Ba Đình');
      expect(unitDisplayName('insurance-officer', '01', 'Thành phố Hà Nội')).toBe('BHXH Thành phố Hà Nội');
      expect(unitDisplayName('auditor', '')).toBe('Thanh tra');
    });

    it('expires a minute before the sooner of exp and expires_in', () => {
      expect(sessionExpiry({ exp: now / 1000 + 3600 }, 3600, now)).toBe(now + 3_540_000);
      expect(sessionExpiry({ exp: now / 1000 + 600 }, 3600, now)).toBe(now + 540_000);
      expect(sessionExpiry({}, 3600, now)).toBe(now + 3_540_000);
    });
  });
});
