/**
 * A pasted deep link (`/track/LT-…`, `/cases/…`) loads the same app as the home page (issue 11, point 8): the page
 * names its files by absolute paths, and each of them answers with its own content type, not the index.html
 * fallback that a relative `assets/…` under `/track/` would get.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalStack, startLocalStack } from '#infra/local/stack.js';
import { pinnedTime } from '#support/time.js';

let stack: LocalStack;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--quiet'], { stdio: 'inherit' });
  stack = await startLocalStack({ clock: pinnedTime() });
});
afterAll(async () => stack?.stop());

describe('web: deep links', () => {
  it.each(['/track/LT-00004-261123-ABC123', '/cases/01ABC/timeline', '/'])(
    '%s loads index.html whose scripts, styles and icon resolve to files, not to the page again',
    async (path) => {
      const page = await fetch(`${stack.apiUrl}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThanOrEqual(3);
      for (const ref of refs) {
        expect(ref.startsWith('/')).toBe(true);
        const url = new URL(ref, `${stack.apiUrl}${path}`);
        const r = await fetch(url);
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).not.toMatch(/text\/html/);
      }
    },
  );
});
