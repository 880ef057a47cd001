/**
 * The chain anchor: every head a hash chain reached (case log, access log), kept where the case table's writer
 * cannot rewrite it. The table alone cannot prove that its last events were not deleted, nor that a rewritten and
 * re-hashed chain is not the original: an anchored head can (docs/audit.md "What verify proves").
 *
 * One port, three adapters, chosen by `CHAIN_ANCHOR` (config.ts):
 * - `s3://<bucket>` (AWS): one empty object per head, `heads/<chain>/<seq 9>/<hash>`, in a bucket with Object Lock in
 *   compliance mode (infra/cdk/constructs/chainAnchor.ts): the functions may add objects, nobody can delete or
 *   overwrite one before its retention ends. Every version is listed, so a later object cannot hide an earlier one.
 * - `file:<path>` (local, `npm start`): an append-only JSON-lines file under the data folder.
 * - `memory` (tests of one process).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AnchoredHead } from '#domain/hashChain.js';

export interface ChainAnchor {
  /** Records that `chain` reached `seq` with `hash`. Idempotent; never removes or replaces an earlier head. */
  anchor(chain: string, head: AnchoredHead): Promise<void>;
  /** Every head ever anchored for `chain`, in seq order (all of them: a conflicting one is evidence too). */
  heads(chain: string): Promise<AnchoredHead[]>;
}

/** The name of a case's chain and of its access log's chain in the anchor. */
export const caseChain = (caseId: string) => `case/${caseId}`;
export const accessChain = (caseId: string) => `access/${caseId}`;
/** Every `ACCESS_CHECKPOINT_EVERY`-th head of a case's access log: where verify starts (adapters/auditStore.ts). */
export const accessCheckpointChain = (caseId: string) => `access-checkpoint/${caseId}`;

const bySeq = (a: AnchoredHead, b: AnchoredHead) => a.seq - b.seq || a.hash.localeCompare(b.hash);

export class MemoryAnchor implements ChainAnchor {
  private readonly chains = new Map<string, Map<string, AnchoredHead>>();
  async anchor(chain: string, head: AnchoredHead): Promise<void> {
    const heads = this.chains.get(chain) ?? new Map<string, AnchoredHead>();
    heads.set(`${head.seq}:${head.hash}`, { seq: head.seq, hash: head.hash });
    this.chains.set(chain, heads);
  }
  async heads(chain: string): Promise<AnchoredHead[]> {
    return [...(this.chains.get(chain)?.values() ?? [])].sort(bySeq);
  }
}

/** One line per head, appended (`O_APPEND`): `{"chain":…,"seq":…,"hash":…}`. Read whole on each `heads()`. */
export class FileAnchor implements ChainAnchor {
  private readonly written = new Set<string>();
  constructor(readonly path: string) {}
  async anchor(chain: string, head: AnchoredHead): Promise<void> {
    const id = `${chain}:${head.seq}:${head.hash}`;
    if (this.written.has(id)) return;
    if (this.written.size === 0) mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify({ chain, seq: head.seq, hash: head.hash })}\n`, { flag: 'a' });
    this.written.add(id);
  }
  async heads(chain: string): Promise<AnchoredHead[]> {
    if (!existsSync(this.path)) return [];
    const seen = new Map<string, AnchoredHead>();
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let x: { chain?: unknown; seq?: unknown; hash?: unknown };
      try {
        x = JSON.parse(line);
      } catch {
        continue; // a line cut by a crash mid-write: the next append anchors a later head that covers it
      }
      if (x.chain === chain && typeof x.seq === 'number' && typeof x.hash === 'string') {
        seen.set(`${x.seq}:${x.hash}`, { seq: x.seq, hash: x.hash });
      }
    }
    return [...seen.values()].sort(bySeq);
  }
}

const pad = (seq: number) => String(seq).padStart(9, '0');

/** Heads as empty objects whose key is the head: one ListObjectVersions page lists a case's heads (1,000 a page). */
export class S3Anchor implements ChainAnchor {
  constructor(
    readonly s3: Pick<S3Client, 'send'>,
    readonly bucket: string,
  ) {}
  async anchor(chain: string, head: AnchoredHead): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `heads/${chain}/${pad(head.seq)}/${head.hash}`,
          Body: '',
          // Written once: the same head again is a no-op (412), never a new version.
          IfNoneMatch: '*',
        }),
      );
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412) return;
      throw err;
    }
  }
  async heads(chain: string): Promise<AnchoredHead[]> {
    const out = new Map<string, AnchoredHead>();
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectVersionsCommand({
          Bucket: this.bucket,
          Prefix: `heads/${chain}/`,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      // Versions, not keys: a delete marker (all a writer can add under Object Lock) hides nothing from verify.
      for (const v of r.Versions ?? []) {
        const m = /\/(\d{9})\/([0-9a-f]{64})$/.exec(v.Key ?? '');
        if (m) out.set(`${m[1]}:${m[2]}`, { seq: Number(m[1]), hash: m[2]! });
      }
      keyMarker = r.IsTruncated ? r.NextKeyMarker : undefined;
      versionIdMarker = r.IsTruncated ? r.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return [...out.values()].sort(bySeq);
  }
}

const memory = new MemoryAnchor();

/** The anchor a `CHAIN_ANCHOR` setting names. `memory` is one per process (the tests' stack and their checks share it). */
export const anchorFromSetting = (setting: string | undefined, region: string): ChainAnchor => {
  if (!setting) throw new Error('Missing environment variable CHAIN_ANCHOR');
  if (setting === 'memory') return memory;
  if (setting.startsWith('file:')) return new FileAnchor(setting.slice('file:'.length));
  if (setting.startsWith('s3://')) return new S3Anchor(new S3Client({ region }), setting.slice('s3://'.length));
  throw new Error(`CHAIN_ANCHOR must be s3://<bucket>, file:<path> or memory, not ${setting}`);
};
