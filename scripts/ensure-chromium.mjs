// Makes sure Debian's Chromium is installed for the browser tests (test/browser, driven by playwright-core).
// CI starts on a fresh Debian machine as root with only Node, npm and Java: install it with apt when missing.
// Set LIENTHONG_SKIP_CHROMIUM=1 to skip (the browser tests then fail fast with a clear message).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const run = (cmd, args, env = {}) => {
  console.log(`ensure-chromium: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(
    `ensure-chromium: ${cmd} ${args[0] ?? ''} finished in ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${r.status})`,
  );
  return r.status === 0;
};

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} is present`);
} else if (process.env.LIENTHONG_SKIP_CHROMIUM === '1') {
  console.log('ensure-chromium: missing, skipped (LIENTHONG_SKIP_CHROMIUM=1)');
} else {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    console.error(
      `ensure-chromium: ${CHROMIUM} is missing and there is no apt-get here; install Chromium and set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
  const sudo = typeof process.getuid === 'function' && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) =>
    sudo.length
      ? run('sudo', ['apt-get', ...args], { DEBIAN_FRONTEND: 'noninteractive' })
      : run('apt-get', args, { DEBIAN_FRONTEND: 'noninteractive' });
  console.log('ensure-chromium: Chromium is missing; installing it with apt-get (a few minutes on a fresh machine)…');
  if (!apt(['update']) || !apt(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'])) {
    console.error('ensure-chromium: apt-get failed');
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`ensure-chromium: installed, but ${CHROMIUM} is still missing`);
    process.exit(1);
  }
  console.log(`ensure-chromium: ${CHROMIUM} installed`);
}
