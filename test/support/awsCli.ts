/**
 * The AWS CLI against a local endpoint, as a developer or an operator types it. Prefers the CLI v2 (Debian's
 * `/usr/bin/aws`) when its service model knows the operation a test calls, else the `aws` on the PATH; a test that needs
 * one fails with the reason when there is none (never skipped).
 */
import { execFile } from 'node:child_process';
import { environmentWithoutFaketime } from './time.js';

export interface AwsCli {
  /** `aws --version`'s first word (`aws-cli/2.9.19`). */
  version: string;
  /** Runs a command against the endpoint; resolves with stdout (JSON), rejects with stderr. */
  run(args: string[], endpointUrl: string): Promise<string>;
  /** Runs a command that must fail; resolves with its stderr. */
  fail(args: string[], endpointUrl: string): Promise<string>;
}

const env = () => ({
  ...environmentWithoutFaketime(),
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
});

function exec(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: env(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Whether this CLI's service model has `aws <service> <operation>` (an unknown one is "Invalid choice"). */
async function knows(bin: string, service: string, operation: string): Promise<boolean> {
  const r = await exec(bin, [service, operation, '--endpoint-url', 'http://127.0.0.1:9', '--cli-connect-timeout', '1']);
  return r.code !== 127 && !/Invalid choice|command not found|ENOENT/.test(r.stderr);
}

export async function awsCli(needs: [string, string] = ['stepfunctions', 'redrive-execution']): Promise<AwsCli> {
  const tried: string[] = [];
  for (const bin of ['/usr/bin/aws', 'aws']) {
    const v = await exec(bin, ['--version']);
    if (v.code !== 0) {
      tried.push(`${bin}: not installed`);
      continue;
    }
    const version = `${v.stdout}${v.stderr}`.trim().split(/\s+/)[0] ?? bin;
    if (!(await knows(bin, ...needs))) {
      tried.push(`${bin} (${version}): no '${needs.join(' ')}' in its service model`);
      continue;
    }
    const call = (args: string[], endpointUrl: string) =>
      exec(bin, [...args, '--endpoint-url', endpointUrl, '--output', 'json', '--region', 'us-east-1']);
    return {
      version,
      run: async (args, endpointUrl) => {
        const r = await call(args, endpointUrl);
        if (r.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
        return r.stdout;
      },
      fail: async (args, endpointUrl) => {
        const r = await call(args, endpointUrl);
        if (r.code === 0) throw new Error(`aws ${args.join(' ')} succeeded, expected a failure: ${r.stdout}`);
        return r.stderr;
      },
    };
  }
  throw new Error(`No AWS CLI can run 'aws ${needs.join(' ')}': ${tried.join('; ')}`);
}
