/**
 * The one config module: read once, failing fast on what is missing, naming the variable.
 * - On AWS, CDK sets the environment: TABLE_NAME for every function, CHAIN_ANCHOR (`s3://<bucket>`, where chain heads
 *   are kept: adapters/chainAnchor.ts), STATE_MACHINE_ARN for the functions that start or answer the workflow,
 *   TOKEN_KEY_ARN for those that seal or open callback tokens. A Lambda function reads its config during its init
 *   (`readAtColdStart`), so one deployed without a variable it needs fails its cold start, not a request. Deployed
 *   code always runs on the real clock.
 * - Locally, `infra/local/stack.ts` hands its config in (`configure`) before it loads any handler: the endpoints of the
 *   stand-ins, the chain anchor's file, the token key's file, the clock. Nobody writes `process.env` to configure.
 */
import { type Clock, systemClock } from '#domain/clock.js';

export interface Config {
  tableName: string;
  region: string;
  /** The birth-bundle state machine (`STATE_MACHINE_ARN`); reading it where it was not given throws. */
  readonly stateMachineArn: string;
  /** Where chain heads are kept (`CHAIN_ANCHOR`): `s3://<bucket>`, `file:<path>` or `memory` (tests). */
  readonly chainAnchor: string;
  /**
   * The key that seals callback tokens (adapters/tokenSeal.ts): the KMS key on AWS (`TOKEN_KEY_ARN`); locally the
   * stand-in's key file (without one, a key in this process's memory).
   */
  readonly tokenKey: { kmsKeyArn: string } | { localKeyFile?: string };
  /**
   * Where notifications go (adapters/notificationChannels.ts): on AWS `NOTIFIER=aws` with `EMAIL_FROM` and
   * `SUPERVISOR_TOPIC_ARN` (and `SMS_SENDER_ID`), set by CDK on the functions that notify; locally the outbox.
   */
  readonly notifier: NotifierSettings;
  /** The local stand-ins' endpoints; none on AWS. */
  dynamoEndpoint?: string;
  sfnEndpoint?: string;
  clock: Clock;
}

export interface NotifierSettings {
  mode: 'aws' | 'outbox';
  emailFrom?: string;
  smsSenderId?: string;
  supervisorTopicArn?: string;
}

/** The notifier's settings from a deployed function's environment; reading them where they were not given throws. */
export const notifierFromEnv = (env: NodeJS.ProcessEnv): NotifierSettings => {
  if (env.NOTIFIER !== 'aws' && env.NOTIFIER !== 'outbox') {
    throw new Error(`NOTIFIER must be "aws" or "outbox" (got ${env.NOTIFIER ?? 'nothing'})`);
  }
  if (env.NOTIFIER === 'aws') {
    if (!env.EMAIL_FROM) throw missing('EMAIL_FROM', "the families' e-mail sender, with NOTIFIER=aws");
    if (!env.SUPERVISOR_TOPIC_ARN) throw missing('SUPERVISOR_TOPIC_ARN', "the supervisors' topic, with NOTIFIER=aws");
  }
  return {
    mode: env.NOTIFIER,
    ...(env.EMAIL_FROM ? { emailFrom: env.EMAIL_FROM } : {}),
    ...(env.SMS_SENDER_ID ? { smsSenderId: env.SMS_SENDER_ID } : {}),
    ...(env.SUPERVISOR_TOPIC_ARN ? { supervisorTopicArn: env.SUPERVISOR_TOPIC_ARN } : {}),
  };
};

const missing = (name: string, what: string) => new Error(`Missing environment variable ${name} (${what})`);

/** A deployed function's config, from its environment. */
export const loadConfig = (env: NodeJS.ProcessEnv): Config => {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw missing('TABLE_NAME', 'the case table');
  const { STATE_MACHINE_ARN, CHAIN_ANCHOR, TOKEN_KEY_ARN } = env;
  return {
    tableName,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'ap-southeast-1',
    get stateMachineArn(): string {
      if (!STATE_MACHINE_ARN) throw missing('STATE_MACHINE_ARN', 'the birth-bundle state machine');
      return STATE_MACHINE_ARN;
    },
    get chainAnchor(): string {
      if (!CHAIN_ANCHOR) throw missing('CHAIN_ANCHOR', 'where the chain heads are kept');
      return CHAIN_ANCHOR;
    },
    get tokenKey() {
      if (!TOKEN_KEY_ARN) throw missing('TOKEN_KEY_ARN', 'the KMS key that seals callback tokens');
      return { kmsKeyArn: TOKEN_KEY_ARN };
    },
    get notifier() {
      return notifierFromEnv(env);
    },
    ...(env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.SFN_ENDPOINT ? { sfnEndpoint: env.SFN_ENDPOINT } : {}),
    clock: systemClock,
  };
};

let current: Config | undefined;

/** The process's config: handed in by the local runtime, else read from the environment once. */
export const config = (): Config => {
  current ??= loadConfig(process.env);
  return current;
};

/** The local runtime's config (what CDK passes as environment variables on AWS); a later stack replaces it. */
export const configure = (c: Config): void => {
  current = c;
};

/** The process's clock: the system clock, or the one the local runtime was started with. */
export const clock = (): Clock => config().clock;

/**
 * A value built from the config once (an SDK client, a store), and again only when the local runtime hands in
 * another config (a second stack in the same process).
 */
export const fromConfig = <T>(build: (c: Config) => T): (() => T) => {
  let built: { from: Config; value: T } | undefined;
  return () => {
    const c = config();
    if (built?.from !== c) built = { from: c, value: build(c) };
    return built.value;
  };
};

/**
 * Reads settings during a Lambda function's init (the runtime sets AWS_LAMBDA_FUNCTION_NAME; module scope runs
 * there), so a function deployed without a variable it needs fails its cold start. Elsewhere, the first use reads it.
 */
export const readAtColdStart = (...settings: ((c: Config) => unknown)[]): void => {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  for (const read of settings) read(config());
};

readAtColdStart((c) => c.tableName);
