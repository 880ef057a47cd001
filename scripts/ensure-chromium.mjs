// Makes sure Debian's Chromium is installed for the browser tests (test/browser, driven by playwright-core), and
// Debian's AWS CLI v2 (`awscli`, /usr/bin/aws) for the tests that check the local endpoints as an operator would
// (test/support/awsCli.ts). CI starts on a fresh Debian machine as root with only Node, npm and Java: install them
// with apt when missing. Set LIENTHONG_SKIP_CHROMIUM=1 to skip both (those tests then fail fast with a clear message).
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

// The AWS CLI v2, the operator's client for the local endpoints' tests.
const AWS_CLI = '/usr/bin/aws';
if (existsSync(AWS_CLI) || process.env.LIENTHONG_SKIP_CHROMIUM === '1') {
  console.log(`ensure-chromium: ${AWS_CLI} ${existsSync(AWS_CLI) ? 'is present' : 'missing, skipped'}`);
} else if (process.platform === 'linux' && existsSync('/usr/bin/apt-get')) {
  const sudo = typeof process.getuid === 'function' && process.getuid() !== 0;
  const args = ['install', '-y', '--no-install-recommends', 'awscli'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const ok = sudo
    ? run('sudo', ['apt-get', 'update'], env) && run('sudo', ['apt-get', ...args], env)
    : run('apt-get', ['update'], env) && run('apt-get', args, env);
  if (!ok || !existsSync(AWS_CLI)) {
    console.error('ensure-chromium: apt-get could not install awscli');
    process.exit(1);
  }
  console.log(`ensure-chromium: ${AWS_CLI} installed`);
} else {
  console.error(`ensure-chromium: ${AWS_CLI} is missing and there is no apt-get here; install the AWS CLI v2.`);
  process.exit(1);
}
