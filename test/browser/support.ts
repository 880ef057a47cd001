/**
 * What the browser tests share: the local stack in-process (one per test file: the handlers read their config once
 * per process), Debian's Chromium driven by playwright-core with a fresh profile, screenshots under
 * test-artifacts/screenshots/, and API helpers to set the scene (file a case, decide a procedure).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { repoRoot, startLocalStack } from '../../infra/local/stack.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(repoRoot, 'test-artifacts', 'screenshots');

export type Stack = Awaited<ReturnType<typeof startLocalStack>>;

/** Starts the stack (in memory, random ports) and a browser; builds web/dist first if it is missing. */
export const startWorld = async () => {
  if (!existsSync(join(repoRoot, 'web', 'dist', 'index.html'))) {
    execFileSync(process.execPath, ['scripts/build-web.mjs', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/ensure-chromium.mjs`);
  mkdirSync(SHOTS, { recursive: true });
  const stack = await startLocalStack({ apiPort: 0, sfnPort: 0, dynamoPort: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'lienthong-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  return {
    stack,
    context,
    /** Uncaught errors in any page: a test asserts there were none. */
    errors,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      page.setDefaultTimeout(10_000);
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
      });
      return page;
    },
    async stop() {
      await context.close().catch(() => undefined);
      await stack.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
export type World = Awaited<ReturnType<typeof startWorld>>;

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

// ---------------------------------------------------------------------------------------------------------------
// Setting the scene through the API
// ---------------------------------------------------------------------------------------------------------------

export const token = async (stack: Stack, username: string) => {
  const r = await fetch(`${stack.apiUrl}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  return ((await r.json()) as { token: string }).token;
};

export const api = async <T = Record<string, unknown>>(
  stack: Stack,
  tok: string,
  method: string,
  path: string,
  body?: unknown,
) => {
  const r = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await r.json()) as T;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
};

/** Today and a few days ago, in Vietnam (the dossier's dates must be real and recent). */
export const vnDay = (daysAgo = 0) =>
  new Date(Date.now() + 7 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** docs/examples/dossier.json, made unique (`n`) and recent. */
export const exampleDossier = (n: number) => {
  const example = JSON.parse(readFileSync(join(repoRoot, 'docs/examples/dossier.json'), 'utf8')) as {
    dossier: Record<string, any>;
  };
  const d = example.dossier;
  const born = vnDay(2);
  d.child.dateOfBirth = born;
  d.child.givenName = ['An', 'Bình', 'Châu', 'Dũng', 'Giang'][n % 5];
  d.birthCertificate.issuedOn = born;
  d.birthCertificate.number = `${String(100 + n).padStart(5, '0')}.GCS.01821.${born.slice(2, 4)}`;
  d.mother.personalId = `0011940${String(10000 + n).slice(-5)}`;
  d.idCard = { requested: false };
  delete d.delivery.idCard;
  return d;
};

export const fileCase = async (stack: Stack, tok: string, n: number) =>
  api<{ caseId: string; dossierCode: string; trackingSecret: string }>(stack, tok, 'POST', '/applications', {
    requestId: `browser-test-${n}-${Date.now()}`,
    dossier: exampleDossier(n),
  });

/** Waits until the API shows a procedure in a state (the workflow moves on asynchronously). */
export const waitForProcedure = async (
  stack: Stack,
  tok: string,
  caseId: string,
  procedure: string,
  status: string,
  timeoutMs = 15_000,
) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await api<{
      procedures: Record<string, { status: string }>;
      timeline: { type: string; data: Record<string, unknown> }[];
    }>(stack, tok, 'GET', `/cases/${caseId}`);
    if (c.procedures[procedure]?.status === status) return c;
    if (Date.now() > until)
      throw new Error(`${procedure} did not reach ${status} (is ${c.procedures[procedure]?.status})`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

/** Signs in through the form. */
export const signIn = async (page: Page, base: string, username: string) => {
  await page.goto(`${base}/#/login`);
  await page.getByRole('textbox', { name: 'Tên đăng nhập' }).fill(username);
  await page.locator('input[name=password]').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
};

export type { BrowserContext, Page };
