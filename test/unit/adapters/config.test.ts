import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#adapters/config.js';
import { systemClock } from '#domain/clock.js';

describe('Function: loadConfig', () => {
  it('fails fast, naming the variable, when TABLE_NAME is missing', () => {
    // act / assess
    expect(() => loadConfig({})).toThrow('Missing environment variable TABLE_NAME');
  });

  it.each([
    ['local mode', { LIENTHONG_LOCAL: '1' }, '2026-01-05T03:00:00.000Z'],
    ['deployed code (the setting is ignored)', {}, undefined],
    ['local mode spelled otherwise', { LIENTHONG_LOCAL: 'true' }, undefined],
  ])('honours LIENTHONG_CLOCK only in %s', (_what, extra, fixed) => {
    // prepare
    const env = { TABLE_NAME: 't', LIENTHONG_CLOCK: 'fixed:2026-01-05T03:00:00.000Z', ...extra };
    // act
    const c = loadConfig(env);
    // assess
    if (fixed) expect(c.clock.now().toISOString()).toBe(fixed);
    else expect(c.clock).toBe(systemClock);
  });

  it.each([
    ['AWS_REGION', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' }, 'us-east-1'],
    ['AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['the default', {}, 'ap-southeast-1'],
  ])('takes the region from %s', (_from, extra, region) => {
    // act / assess
    expect(loadConfig({ TABLE_NAME: 't', ...extra }).region).toBe(region);
  });

  it('treats empty endpoints as none (AWS), and keeps them when set (local)', () => {
    // act
    const aws = loadConfig({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: '', SFN_ENDPOINT: '' });
    const local = loadConfig({
      TABLE_NAME: 't',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      SFN_ENDPOINT: 'http://127.0.0.1:2',
    });
    // assess
    expect([aws.dynamoEndpoint, aws.sfnEndpoint]).toEqual([undefined, undefined]);
    expect([local.dynamoEndpoint, local.sfnEndpoint]).toEqual(['http://127.0.0.1:1', 'http://127.0.0.1:2']);
  });
});
