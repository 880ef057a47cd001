/**
 * What the browser tests share: the local stack in-process (one per test file: the handlers read their config once
 * per process), Debian's Chromium driven by playwright-core with a fresh profile, one pinned instant for both (the
 * stack's clock and the page's), screenshots under test-artifacts/screenshots/, a full-page screenshot and the
 * console log of every open page under .artifacts/browser/ when a test fails, and API helpers to set the scene
 * (file a case, decide a procedure). See docs/testing.md, "Browser tests".
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect, it } from '@jest/globals';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Clock, shiftedClock } from '#domain/clock.js';
import { repoRoot, startLocalStack } from '#infra/local/stack.js';
import { environmentWithoutFaketime } from '#support/time.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = join(repoRoot, 'test-artifacts', 'screenshots');
/** Where a failing test leaves `<test name>.png` (full page) and `<test name>.console.log`. */
export const FAILURES = join(repoRoot, '.artifacts', 'browser');

/** The instant every browser test starts at: Monday 23 November 2026, 09:00 in Vietnam (02:00 UTC). */
export const PINNED = '2026-11-23T02:00:00Z';

/**
 * The tests' clock: starts at PINNED when the world starts and runs, as the stack's (`from:`) and the page's do.
 * Every date a test computes comes from here, never from the machine's date.
 */
let testClock: Clock = shiftedClock(PINNED);
export const now = (): Date => testClock.now();

/**
 * Generous waits for a loaded 2-core machine (other jest workers, other builds): they bound how long a test waits
 * for something the page or the API will show, they assert nothing about speed.
 */
export const WAIT = {
  /** Any locator or action (Playwright's default for the pages made here). */
  action: 30_000,
  navigation: 60_000,
  /** The first PDF: pdf-lib, fontkit and the Be Vietnam Pro font load on first use. */
  pdf: 90_000,
  /** The workflow moving on (API polling) and the pages' own polling. */
  workflow: 60_000,
};

export type Stack = Awaited<ReturnType<typeof startLocalStack>>;

/**
 * Installs the page clock at `at`, running. Playwright writes each clock call into a log with this process's
 * `Date.now()`, replays the log in every new document and then moves the clock on by (the browser's `Date.now()` −
 * that logged time): with both processes on the machine's clock, the time since install. Under faketime only this
 * process is faked (Chromium cannot be, see browserEnv), so the two differ by `skew`, measured here: a browser
 * ahead would jump every page, its `Date` and `performance.now()`, `skew` into the future (the app then stops
 * rendering), a browser behind would restart every document at `at`. So while Playwright logs the install,
 * `Date.now()` here reads the browser's clock. Only under faketime (|skew| over a second): normal runs are untouched.
 */
const installPageClock = async (context: BrowserContext, at: Date) => {
  const probe = context.pages()[0] ?? (await context.newPage());
  const before = Date.now();
  const browserNow = await probe.evaluate(() => Date.now());
  const skew = Math.round(browserNow - (before + Date.now()) / 2);
  if (Math.abs(skew) < 1_000) return context.clock.install({ time: at });
  const ownNow = Date.now;
  Date.now = () => ownNow() + skew;
  try {
    await context.clock.install({ time: at });
  } finally {
    Date.now = ownNow;
  }
};

interface Opened {
  page: Page;
  console: string[];
  /** Order of opening, across worlds (a failure keeps the pages its test opened). */
  seq: number;
}
const worlds = new Set<{ opened: Opened[] }>();
let pagesOpened = 0;

/** Starts the stack (in memory, random ports, pinned clock) and a browser; builds web/dist first if it is missing. */
export const startWorld = async () => {
  if (!existsSync(join(repoRoot, 'web', 'dist', 'index.html'))) {
    execFileSync(process.execPath, ['scripts/build-web.mjs', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/ensure-chromium.mjs`);
  mkdirSync(SHOTS, { recursive: true });
  testClock = shiftedClock(PINNED);
  const stack = await startLocalStack({ apiPort: 0, sfnPort: 0, dynamoPort: 0, clock: `from:${PINNED}` });
  const profile = mkdtempSync(join(tmpdir(), 'lienthong-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    env: environmentWithoutFaketime(),
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    timeout: 120_000,
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
  // The page's clock: the same instant as the stack's, running (the app polls with timers, which keep firing).
  await installPageClock(context, now());
  const errors: string[] = [];
  context.on('weberror', (e) => errors.push(e.error().message));
  const self = { opened: [] as Opened[] };
  worlds.add(self);
  return {
    stack,
    context,
    /** Uncaught errors in any page: a test asserts there were none. */
    errors,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      page.setDefaultTimeout(WAIT.action);
      page.setDefaultNavigationTimeout(WAIT.navigation);
      const log: string[] = [];
      self.opened.push({ page, console: log, seq: ++pagesOpened });
      page.on('console', (m) => {
        log.push(`${now().toISOString()} [${m.type()}] ${m.text()}`);
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
      });
      page.on('pageerror', (e) => log.push(`${now().toISOString()} [pageerror] ${e.stack ?? e.message}`));
      page.on('framenavigated', (f) => {
        if (f === page.mainFrame()) log.push(`${now().toISOString()} [navigated] ${f.url()}`);
      });
      return page;
    },
    async stop() {
      worlds.delete(self);
      await context.close().catch(() => undefined);
      await stack.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
export type World = Awaited<ReturnType<typeof startWorld>>;

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

const fileName = (testName: string) =>
  testName
    .replace(/[^\p{L}\p{N}._ -]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150);

/**
 * Keeps what a failing test saw: for every open page the test opened (every open page if it opened none), newest
 * first, a full-page PNG (`<test name>.png`, then `<test name>.2.png`, …) and their console logs
 * (`<test name>.console.log`). Returns the files written.
 */
export const keepFailureArtifacts = async (testName: string, openedAfter = 0): Promise<string[]> => {
  mkdirSync(FAILURES, { recursive: true });
  const base = join(FAILURES, fileName(testName));
  const all = [...worlds].flatMap((w) => w.opened).filter((o) => !o.page.isClosed());
  const mine = all.filter((o) => o.seq > openedAfter);
  const open = (mine.length > 0 ? mine : all).sort((a, b) => a.seq - b.seq);
  const written: string[] = [];
  const logs: string[] = [];
  for (const [i, o] of open.reverse().entries()) {
    const png = `${base}${i === 0 ? '' : `.${i + 1}`}.png`;
    const ok = await o.page
      .screenshot({ path: png, fullPage: true, timeout: 30_000 })
      .then(() => true)
      .catch((e: Error) => {
        logs.push(`(no screenshot of page ${i + 1}: ${e.message})`);
        return false;
      });
    if (ok) written.push(png);
    logs.push(`--- page ${i + 1}${i === 0 ? ' (newest)' : ''}: ${o.page.url()}`, ...o.console, '');
  }
  if (open.length > 0) {
    writeFileSync(`${base}.console.log`, `${logs.join('\n')}\n`);
    written.push(`${base}.console.log`);
  }
  return written;
};

/** Removes what an earlier failing run of this test left, so .artifacts/browser/ shows only this run's failures. */
const clearFailureArtifacts = (testName: string) => {
  if (!existsSync(FAILURES)) return;
  const base = fileName(testName);
  for (const f of readdirSync(FAILURES)) {
    if (f.startsWith(`${base}.`)) rmSync(join(FAILURES, f), { force: true });
  }
};

/**
 * A browser test: `it` whose body, when it throws or runs past `timeoutMs`, first leaves its screenshots and console
 * logs in .artifacts/browser/. `timeoutMs` is a safety net for a hung page (generous: no test asserts speed); jest's
 * own timeout is set past it so the artifacts can be written.
 */
export const browserTest = (name: string, body: () => Promise<void>, timeoutMs = 240_000) =>
  it(
    name,
    async () => {
      const testName = expect.getState().currentTestName ?? name;
      clearFailureArtifacts(testName);
      const openedBefore = pagesOpened;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const run = body();
      run.catch(() => undefined); // still settles after a timeout; its error is the timeout's
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${name}: still running after ${timeoutMs / 1000} s (the page hung?)`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([run, timedOut]);
      } catch (e) {
        const files = await keepFailureArtifacts(testName, openedBefore).catch((err: Error) => [
          `(artifacts failed: ${err.message})`,
        ]);
        if (e instanceof Error && files.length > 0) {
          // jest prints the stack when there is one (it begins with the message as it was when thrown)
          const note = `\nArtifacts:\n  ${files.join('\n  ')}`;
          if (e.stack?.includes(e.message)) e.stack = e.stack.replace(e.message, `${e.message}${note}`);
          e.message += note;
        }
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    timeoutMs + 60_000,
  );

/**
 * Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` of waiting (monotonic time, so
 * a faked or jumping wall clock does not matter) naming `what`.
 */
export const eventually = async <T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = WAIT.workflow,
): Promise<T> => {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > until) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

/**
 * Waits until the page shows `locator`, pressing the page's "Làm mới" (refresh) button between looks: the case page
 * reads the case only a few times after an action, and the workflow may move on later on a busy machine.
 */
export const waitShownRefreshing = async (page: Page, locator: ReturnType<Page['locator']>, what: string) =>
  eventually(async () => {
    if (await locator.count()) return true;
    await page.getByRole('button', { name: 'Làm mới' }).click();
    return (await locator
      .first()
      .waitFor({ timeout: 2_000 })
      .then(() => true)
      .catch(() => undefined)) as true | undefined;
  }, what);

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

/** The pinned day and a few days before it, in Vietnam (the dossier's dates must be real and recent). */
export const vnDay = (daysAgo = 0) =>
  new Date(now().getTime() + 7 * 3600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);

/** A fresh idempotency key (`requestId`): unique, and nothing to do with the date. */
export const requestId = (what: string) => `browser-test-${what}-${randomUUID()}`;

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
    requestId: requestId(String(n)),
    dossier: exampleDossier(n),
  });

export interface CaseView {
  procedures: Record<string, { status: string }>;
  timeline: { type: string; data: Record<string, unknown> }[];
}

/** Waits until the API shows the case as `check` wants it (the workflow moves on asynchronously). */
export const waitForCase = (stack: Stack, tok: string, caseId: string, what: string, check: (c: CaseView) => boolean) =>
  eventually(async () => {
    const c = await api<CaseView>(stack, tok, 'GET', `/cases/${caseId}`);
    return check(c) ? c : undefined;
  }, `case ${caseId}: ${what}`);

/** Waits until the API shows a procedure in a state. */
export const waitForProcedure = (stack: Stack, tok: string, caseId: string, procedure: string, status: string) =>
  waitForCase(stack, tok, caseId, `${procedure} ${status}`, (c) => c.procedures[procedure]?.status === status);

/** Signs in through the form. */
export const signIn = async (page: Page, base: string, username: string) => {
  await page.goto(`${base}/#/login`);
  await page.getByRole('textbox', { name: 'Tên đăng nhập' }).fill(username);
  await page.locator('input[name=password]').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
};

export type { BrowserContext, Page };
