/**
 * The one config module: read once, at cold start, failing fast on what is missing.
 * On AWS, CDK sets TABLE_NAME and STATE_MACHINE_ARN. The local runtime also sets DYNAMODB_ENDPOINT and SFN_ENDPOINT
 * (the adapters that stand in for AWS) and may set LIENTHONG_CLOCK, honoured only with LIENTHONG_LOCAL=1 so that
 * deployed code always runs on the real clock. CHAIN_ANCHOR names where chain heads are kept (adapters/chainAnchor.ts):
 * CDK sets `s3://<bucket>`; the local runtime `file:<data dir>/chain-anchors.jsonl`, or `memory` (tests).
 */
import { type Clock, parseClockSetting, systemClock } from '#domain/clock.js';

export interface Config {
  tableName: string;
  stateMachineArn: string;
  region: string;
  dynamoEndpoint: string | undefined;
  sfnEndpoint: string | undefined;
  clock: Clock;
  local: boolean;
  /** `s3://<bucket>`, `file:<path>` or `memory`; required (on first use) outside local mode. */
  chainAnchor: string | undefined;
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const required = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`Missing environment variable ${name}`);
    return v;
  };
  const local = env.LIENTHONG_LOCAL === '1';
  return {
    tableName: required('TABLE_NAME'),
    stateMachineArn: env.STATE_MACHINE_ARN ?? '',
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'ap-southeast-1',
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    sfnEndpoint: env.SFN_ENDPOINT || undefined,
    clock: (local && parseClockSetting(env.LIENTHONG_CLOCK)) || systemClock,
    local,
    chainAnchor: env.CHAIN_ANCHOR || (local ? 'memory' : undefined),
  };
};

let cached: Config | undefined;
/** The process's config, read on first use (a Lambda cold start, or after the local runtime set its environment). */
export const config = (): Config => {
  cached ??= loadConfig();
  return cached;
};

/** The process's clock: the system clock, or in local mode the one `LIENTHONG_CLOCK` names. */
export const clock = (): Clock => config().clock;
