/**
 * Callback tokens are sealed before they reach the table, under a key that is not in the table: reading the task
 * items (or a backup, or the queue index) yields nothing that Step Functions accepts. Only the decision path (the
 * API that delivers an officer's decision or a family's supplement) opens them.
 * - AWS: KMS Encrypt/Decrypt with the key CDK creates (`TOKEN_KEY_ARN`), granted Encrypt to the step that opens tasks
 *   and Decrypt to the functions that deliver answers, nothing else.
 * - Local (stands in for KMS): AES-256-GCM with a 32-byte key kept in a file of the data folder (`tokenKey` in the
 *   local stack's config, so a restart can still open the tokens it sealed), or in this process's memory without one
 *   (tests).
 * The task's identity (case, procedure, kind, round) is bound to the sealed value (GCM additional data, KMS
 * encryption context): a sealed token copied onto another task does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { Procedure, TaskKind } from '#domain/procedures.js';
import { config, fromConfig, readAtColdStart } from './config.js';

readAtColdStart((c) => c.tokenKey);

/** Which task a token answers: bound to its sealed form. */
export interface TokenContext {
  caseId: string;
  procedure: Procedure;
  kind: TaskKind;
  round: number;
}

const contextOf = (c: TokenContext) => ({
  caseId: c.caseId,
  procedure: c.procedure,
  kind: c.kind,
  round: String(c.round),
});
const aad = (c: TokenContext) => Buffer.from(JSON.stringify(contextOf(c)), 'utf8');

const LOCAL_PREFIX = 'aes256gcm:';
const KMS_PREFIX = 'kms:';

let memoryKey: Buffer | undefined;
/** The local key: from its file (created on first use, owner-only), else one per process. */
const localKey = (file: string | undefined): Buffer => {
  if (!file) {
    memoryKey ??= randomBytes(32);
    return memoryKey;
  }
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`Token key file ${file} does not hold a 32-byte key`);
  return key;
};

const kmsClient = fromConfig((c) => new KMSClient({ region: c.region }));

export const sealToken = async (token: string, context: TokenContext): Promise<string> => {
  const key = config().tokenKey;
  if ('kmsKeyArn' in key) {
    const r = await kmsClient().send(
      new EncryptCommand({
        KeyId: key.kmsKeyArn,
        Plaintext: Buffer.from(token, 'utf8'),
        EncryptionContext: contextOf(context),
      }),
    );
    return KMS_PREFIX + Buffer.from(r.CiphertextBlob!).toString('base64');
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', localKey(key.localKeyFile), iv);
  cipher.setAAD(aad(context));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return LOCAL_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
};

/** The token sealed for this task. Throws when the value was not sealed for this task or under this key. */
export const openToken = async (sealed: string, context: TokenContext): Promise<string> => {
  const key = config().tokenKey;
  if (sealed.startsWith(KMS_PREFIX)) {
    const r = await kmsClient().send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(sealed.slice(KMS_PREFIX.length), 'base64'),
        EncryptionContext: contextOf(context),
        ...('kmsKeyArn' in key ? { KeyId: key.kmsKeyArn } : {}),
      }),
    );
    return Buffer.from(r.Plaintext!).toString('utf8');
  }
  if (!sealed.startsWith(LOCAL_PREFIX)) throw new Error('Not a sealed callback token');
  const raw = Buffer.from(sealed.slice(LOCAL_PREFIX.length), 'base64');
  if ('kmsKeyArn' in key) throw new Error('Not a token sealed under this key');
  const decipher = createDecipheriv('aes-256-gcm', localKey(key.localKeyFile), raw.subarray(0, 12));
  decipher.setAAD(aad(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
};
