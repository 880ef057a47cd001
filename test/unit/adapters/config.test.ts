import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#adapters/config.js';
import { systemClock } from '#domain/clock.js';
import { repoRoot } from '#infra/local/stack.js';

const STATE_MACHINE_ARN = 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:lienthong-birth-bundle';

describe('Function: loadConfig (a deployed function, from its environment)', () => {
  it('fails fast, naming the variable, when TABLE_NAME is missing', () => {
    // act / assess
    expect(() => loadConfig({})).toThrow('Missing environment variable TABLE_NAME');
  });

  it.each([
    ['STATE_MACHINE_ARN', (c: ReturnType<typeof loadConfig>) => c.stateMachineArn],
    ['CHAIN_ANCHOR', (c: ReturnType<typeof loadConfig>) => c.chainAnchor],
    ['TOKEN_KEY_ARN', (c: ReturnType<typeof loadConfig>) => c.tokenKey],
  ])('config.required: reading %s where it was not given throws, naming it', (name, read) => {
    // prepare
    const c = loadConfig({ TABLE_NAME: 't' });
    // act / assess
    expect(() => read(c)).toThrow(`Missing environment variable ${name}`);
  });

  it('gives the settings that were set', () => {
    // act
    const c = loadConfig({ TABLE_NAME: 't', STATE_MACHINE_ARN, CHAIN_ANCHOR: 's3://b', TOKEN_KEY_ARN: 'arn:k' });
    // assess
    expect([c.tableName, c.stateMachineArn, c.chainAnchor, c.tokenKey]).toEqual([
      't',
      STATE_MACHINE_ARN,
      's3://b',
      { kmsKeyArn: 'arn:k' },
    ]);
  });

  it.each([
    ['LIENTHONG_CLOCK alone', {}],
    ['LIENTHONG_CLOCK with LIENTHONG_LOCAL=1', { LIENTHONG_LOCAL: '1' }],
  ])('config.realClock: deployed code runs on the real clock whatever the environment says (%s)', (_what, extra) => {
    // act
    const c = loadConfig({ TABLE_NAME: 't', LIENTHONG_CLOCK: 'fixed:2026-01-05T03:00:00.000Z', ...extra });
    // assess
    expect(c.clock).toBe(systemClock);
  });

  it.each([
    ['AWS_REGION', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, 'us-east-1'],
    ['AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['the default', {}, 'ap-southeast-1'],
  ])('takes the region from %s', (_from, extra, region) => {
    // act / assess
    expect(loadConfig({ TABLE_NAME: 't', ...extra }).region).toBe(region);
  });

  it('treats empty endpoints as none', () => {
    // act
    const c = loadConfig({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: '', SFN_ENDPOINT: '' });
    // assess
    expect([c.dynamoEndpoint, c.sfnEndpoint]).toEqual([undefined, undefined]);
  });
});

describe('config.coldStart: a Lambda function reads what it needs during its init', () => {
  /** Imports one module in a fresh Node process, as the Lambda runtime does at a cold start. */
  const coldStart = (module: string, env: Record<string, string>) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(join(repoRoot, module))});`],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', AWS_LAMBDA_FUNCTION_NAME: 'fn', ...env },
        encoding: 'utf8',
      },
    );

  it.each([
    ['functions/adapters/workflow.ts', 'STATE_MACHINE_ARN'],
    ['functions/adapters/tokenSeal.ts', 'TOKEN_KEY_ARN'],
    ['functions/adapters/store.ts', 'CHAIN_ANCHOR'],
    ['functions/adapters/config.ts', 'TABLE_NAME'],
  ])('%s fails the cold start without %s, naming it', (module, name) => {
    // prepare
    const all = { TABLE_NAME: 't', STATE_MACHINE_ARN, TOKEN_KEY_ARN: 'arn:k', CHAIN_ANCHOR: 's3://b' };
    const { [name as keyof typeof all]: _left, ...without } = all;
    // act
    const bad = coldStart(module, without);
    const good = coldStart(module, all);
    // assess
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(`Missing environment variable ${name}`);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
  });
});

describe('config.noEnvWrites: no code configures itself by writing process.env', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx|mjs)$/.test(f) ? [p] : [];
    });

  it('functions/, infra/ and scripts/ never assign or delete a process.env entry', () => {
    // prepare
    const writes =
      /process\.env(\.\w+|\[[^\]]+\])\s*(=(?!=)|\?\?=|\|\|=)|delete\s+process\.env|Object\.assign\(\s*process\.env/;
    // act
    const offenders = ['functions', 'infra', 'scripts']
      .flatMap((d) => sources(join(repoRoot, d)))
      .filter((f) => writes.test(readFileSync(f, 'utf8')));
    // assess
    expect(offenders).toEqual([]);
  });
});
