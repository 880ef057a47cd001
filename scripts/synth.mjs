// `npm run synth`: synthesizes the CDK app (infra/cdk) into cdk.out/ OFFLINE, with no AWS credentials.
// Everything the CLI could fetch or look up is switched off or pinned: notices, version check, telemetry, the
// account/region lookup (dummy values: nothing here is deployable as is, see docs/deploy.md), and the CLI's and
// npm's home folders live under .tmp/ so no user configuration leaks in. Bundling is local esbuild (no Docker).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'node_modules', '.bin');
const scratch = path.join(root, '.tmp', 'synth');
const dirs = {
  home: path.join(scratch, 'home'),
  cdkHome: path.join(scratch, 'cdk-home'),
  tmp: path.join(scratch, 'tmp'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });

const env = { ...process.env };
// No credentials, no profile: synth must never need AWS.
for (const key of Object.keys(env)) {
  if (
    /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE)$/.test(
      key,
    )
  ) {
    delete env[key];
  }
  // `npm run` exports the caller's npm configuration; the bundler's `npx esbuild` must not read it.
  if (/^npm_config_(nodedir|userconfig)$/i.test(key)) delete env[key];
}
Object.assign(env, {
  PATH: `${bin}${path.delimiter}${env.PATH ?? ''}`, // the project's own Node 22, tsx and esbuild first
  HOME: dirs.home,
  CDK_HOME: dirs.cdkHome,
  TMPDIR: dirs.tmp,
  AWS_CONFIG_FILE: path.join(dirs.home, 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(dirs.home, 'no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true', // the SDK would otherwise probe 169.254.169.254 for credentials
  CDK_DEFAULT_ACCOUNT: '000000000000',
  CDK_DEFAULT_REGION: 'ap-southeast-1',
  AWS_REGION: 'ap-southeast-1', // the CLI derives the app's default region from these, else us-east-1
  AWS_DEFAULT_REGION: 'ap-southeast-1',
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  npm_config_userconfig: path.join(dirs.home, '.npmrc'),
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
});

const args = [
  'synth',
  '--quiet',
  '--no-notices',
  '--no-lookups', // a context lookup would need AWS: fail instead
  '--app',
  `${path.join(bin, 'tsx')} infra/cdk/app.ts`,
];
const started = Date.now();
console.log(`> cdk ${args.join(' ')}`);
const result = spawnSync(path.join(bin, 'cdk'), args, { cwd: root, env, stdio: 'inherit' });
if (result.error) throw result.error;
if (result.status !== 0) process.exit(result.status ?? 1);

const template = path.join(root, 'cdk.out', 'Lienthong.template.json');
const resources = Object.keys(JSON.parse(readFileSync(template, 'utf8')).Resources ?? {}).length;
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\nSynthesized in ${seconds} s: ${path.relative(root, template)} (${resources} resources)`);
console.log(`cdk-nag report: ${path.relative(root, path.join(root, 'cdk.out', 'validation-report.json'))}`);
