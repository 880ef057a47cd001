/**
 * The same web build on AWS: given a Cognito `/config.json` (intercepted here, as CloudFront would serve the file
 * the CDK stack writes), the login page sends the officer to the managed login's /oauth2/authorize with PKCE, and
 * on the way back (`/?code=&state=`) the app exchanges the code at /oauth2/token (intercepted, answered with a fake
 * ID token), shows the officer signed in, calls the API with the ID token, and signs out through /logout.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { browserTest, eventually, now, shot, startWorld, type World } from './support.js';

const DOMAIN = 'https://lienthong-test.auth.ap-southeast-1.amazoncognito.com';
const CLIENT_ID = '5fakeclientid0000000000000';

let w: World;
beforeAll(async () => {
  w = await startWorld();
}, 180_000);
afterAll(async () => {
  await w?.stop();
});

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** An ID token as Cognito's would look to the browser (the app reads claims; it does not check the signature). */
const idToken = (claims: Record<string, unknown>) =>
  `${b64url('{"alg":"RS256","kid":"test"}')}.${b64url(JSON.stringify(claims))}.${b64url('not-a-signature')}`;

describe('Web: officers sign in with Cognito on AWS', () => {
  browserTest(
    'goes to the managed login with PKCE, exchanges the code on return, shows the officer, signs out',
    async () => {
      // prepare: this page is "on AWS": its config.json names the Cognito domain and client
      const base = w.stack.apiUrl;
      const page = await w.newPage();
      const config = {
        auth: { type: 'cognito', domain: DOMAIN, clientId: CLIENT_ID, redirectUri: `${base}/`, logoutUri: `${base}/` },
      };
      await page.route(`${base}/config.json`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }),
      );
      const authorizeUrls: URL[] = [];
      const tokenRequests: { body: URLSearchParams; contentType: string }[] = [];
      const revoked: URLSearchParams[] = [];
      const logoutUrls: URL[] = [];
      let token = '';
      await page.route(`${DOMAIN}/**`, async (route) => {
        const req = route.request();
        const url = new URL(req.url());
        if (url.pathname === '/oauth2/authorize') {
          authorizeUrls.push(url);
          return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Cognito managed login</h1>' });
        }
        if (url.pathname === '/oauth2/token' && req.method() === 'POST') {
          const body = new URLSearchParams(req.postData() ?? '');
          tokenRequests.push({ body, contentType: req.headers()['content-type'] ?? '' });
          // Issued now on the pinned clock, the page's: valid for an hour there (the page refuses an expired token).
          const iat = Math.floor(now().getTime() / 1000);
          token = idToken({
            sub: '7f1e-officer',
            aud: CLIENT_ID,
            iss: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_TEST',
            token_use: 'id',
            auth_time: iat,
            iat,
            exp: iat + 3600,
            nonce: authorizeUrls[0]?.searchParams.get('nonce'),
            'cognito:username': 'nguyen.thi.hoa',
            'cognito:groups': ['civil-status-officer'],
            'custom:unit': '00004',
            name: 'Nguyễn Thị Hoa',
            email: 'hoa@example.gov.vn',
          });
          return route.fulfill({
            status: 200,
            contentType: 'application/json',
            headers: { 'access-control-allow-origin': '*' },
            body: JSON.stringify({
              id_token: token,
              access_token: 'fake-access-token',
              refresh_token: 'fake-refresh-token',
              expires_in: 3600,
              token_type: 'Bearer',
            }),
          });
        }
        if (url.pathname === '/oauth2/revoke') {
          revoked.push(new URLSearchParams(req.postData() ?? ''));
          return route.fulfill({ status: 200, headers: { 'access-control-allow-origin': '*' }, body: '' });
        }
        if (url.pathname === '/logout') {
          logoutUrls.push(url);
          return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Signed out</h1>' });
        }
        return route.fulfill({ status: 404, body: '' });
      });
      // The local API does not know Cognito's keys: calls carrying the ID token are answered here (and recorded).
      const apiCalls: string[] = [];
      await page.route(
        (url) => url.origin === base && /^\/(queue|cases)/.test(url.pathname),
        async (route) => {
          const auth = route.request().headers().authorization ?? '';
          if (auth !== `Bearer ${token}`) return route.continue();
          apiCalls.push(new URL(route.request().url()).pathname);
          return route.fulfill({ status: 200, contentType: 'application/json', body: '{"tasks":[],"cases":[]}' });
        },
      );

      // act: an officer opens their queue and is asked to sign in: one button, no password form, no demo users
      await page.goto(`${base}/#/queue`);
      const button = page.getByRole('button', { name: 'Đăng nhập bằng tài khoản cán bộ' });
      await button.waitFor();
      await expect(page.locator('input[name=password]').count()).resolves.toBe(0);
      await expect(page.getByText('Tài khoản thử nghiệm').count()).resolves.toBe(0);
      await shot(page, 'cognito-login-1280');
      await button.click();
      await page.getByRole('heading', { name: 'Cognito managed login' }).waitFor();

      // assess: the authorize request
      expect(authorizeUrls).toHaveLength(1);
      const authorize = authorizeUrls[0]!;
      const q = Object.fromEntries(authorize.searchParams);
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${DOMAIN}/oauth2/authorize`);
      expect(q).toMatchObject({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${base}/`,
        scope: 'openid profile email',
        code_challenge_method: 'S256',
      });
      expect(q.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // act: Cognito sends the browser back with a code (a wrong state first: refused, nothing exchanged)
      await page.goto(`${base}/?code=stolen-code&state=not-the-state`);
      await page.getByRole('alert').getByText('Phiên đăng nhập không khớp').waitFor();
      expect(tokenRequests).toHaveLength(0);
      await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản cán bộ' }).click();
      await page.getByRole('heading', { name: 'Cognito managed login' }).waitFor();
      const second = Object.fromEntries(authorizeUrls[1]!.searchParams);
      authorizeUrls.shift(); // the ID token's nonce is this attempt's
      await page.goto(`${base}/?code=the-code-123&state=${encodeURIComponent(second.state!)}`);

      // assess: the token request is the code + PKCE verifier of that attempt, for a public client
      await page.waitForURL(/#\/queue$/);
      expect(tokenRequests).toHaveLength(1);
      const { body, contentType } = tokenRequests[0]!;
      expect(contentType).toContain('application/x-www-form-urlencoded');
      expect(Object.fromEntries(body)).toEqual({
        grant_type: 'authorization_code',
        client_id: CLIENT_ID,
        code: 'the-code-123',
        redirect_uri: `${base}/`,
        code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43,128}$/),
      });
      const verifier = body.get('code_verifier')!;
      expect(createHash('sha256').update(verifier).digest('base64url')).toBe(second.code_challenge);
      expect(body.has('client_secret')).toBe(false);

      // assess: signed in as the token says, the code gone from the address, the ID token sent to the API
      await page.getByRole('heading', { name: 'Hàng đợi · UBND Phường Ba Đình' }).waitFor();
      await expect(page.locator('.who').textContent()).resolves.toContain(
        'Nguyễn Thị Hoa · Cán bộ tư pháp – hộ tịch · UBND Phường Ba Đình',
      );
      await expect(page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).count()).resolves.toBe(1);
      expect(new URL(page.url()).search).toBe('');
      expect(apiCalls).toContain('/queue');
      await shot(page, 'cognito-signed-in-1280');

      // act: sign out
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('heading', { name: 'Signed out' }).waitFor();

      // assess: the refresh token revoked, the managed login's session ended, back to the app
      expect(Object.fromEntries(logoutUrls[0]!.searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: `${base}/` });
      await eventually(() => (revoked.length > 0 ? true : undefined), 'the refresh token revoked');
      expect(revoked).toHaveLength(1);
      expect(Object.fromEntries(revoked[0]!)).toEqual({ token: 'fake-refresh-token', client_id: CLIENT_ID });
      await page.goto(`${base}/#/queue`);
      await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản cán bộ' }).waitFor();
      expect(w.errors).toEqual([]);
    },
  );
});
