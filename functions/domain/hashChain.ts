/**
 * The hash chains, pure (docs/audit.md): how a case event and an access entry are hashed, and the
 * walk that recomputes a chain and names its first bad or missing entry, against the heads the anchor kept.
 * No AWS import: the adapters fetch, this decides.
 */
import { createHash } from 'node:crypto';
import type { Actor, CaseEvent } from './events.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: keys sorted at every level, so a hash never depends on key order. */
export const canonicalJson = (v: unknown): string => {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
};

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** hash = SHA-256(prevHash + canonical JSON of the event without its hashes). */
export const eventHash = (e: Omit<CaseEvent, 'hash'>): string =>
  createHash('sha256')
    .update(e.prevHash)
    .update(canonicalJson({ caseId: e.caseId, seq: e.seq, at: e.at, actor: e.actor, key: e.key, data: e.data }))
    .digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// Hash chain

export type ChainProblemKind =
  | 'EMPTY'
  | 'CASE_MISMATCH'
  | 'SEQ_GAP'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'MISSING_TAIL'
  | 'ANCHOR_MISMATCH';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The first event that is wrong or missing. */
  seq: number;
  expected?: string | number;
  actual?: string | number;
  message: string;
}

/** A head the chain reached, as the anchor kept it (adapters/chainAnchor.ts): out of reach of the table's writer. */
export interface AnchoredHead {
  seq: number;
  hash: string;
}

export interface ChainReport {
  caseId: string;
  verified: boolean;
  events: number;
  /** Hash of the last event: what an external anchor (an export, a signed receipt) pins. */
  head: string;
  /** The highest anchored seq (0: none): events after it were written after the last anchored head. */
  anchoredSeq?: number;
  problem?: ChainProblem;
}

interface Linked {
  caseId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * Walks a chain (case events or access entries): seq 1, 2, … without gaps, each pointing at the previous hash, each
 * hash recomputed; then the chain against every anchored head and the projection's version. Names the first problem.
 */
const walkChain = <T extends Linked>(
  caseId: string,
  items: T[],
  hashOf: (item: Omit<T, 'hash'>) => string,
  describe: (item: T) => string,
  opts: { stateVersion?: number; anchors?: AnchoredHead[]; from?: AnchoredHead },
): ChainProblem | undefined => {
  // From a checkpoint (an anchored head): `items` are the ones after it, the first pointing at its hash.
  const base = opts.from?.seq ?? 0;
  if (items.length === 0) {
    // An anchored head proves there were events: then "no events" is a deleted log, not an empty one.
    const anchored = Math.max(0, ...(opts.anchors ?? []).map((a) => a.seq));
    if (opts.from && anchored <= base) return undefined;
    return anchored > base
      ? {
          kind: 'MISSING_TAIL',
          seq: base + 1,
          expected: anchored,
          actual: base,
          message: `Entries ${base + 1}..${anchored} are missing (the anchor holds a head at ${anchored})`,
        }
      : { kind: 'EMPTY', seq: 1, message: `Case ${caseId} has no events` };
  }
  let prevHash = opts.from?.hash ?? GENESIS_HASH;
  for (const [i, e] of items.entries()) {
    const expectedSeq = base + i + 1;
    if (e.seq !== expectedSeq) {
      return {
        kind: 'SEQ_GAP',
        seq: expectedSeq,
        expected: expectedSeq,
        actual: e.seq,
        message: `Event ${expectedSeq} is missing (next recorded event is ${e.seq})`,
      };
    }
    if (e.caseId !== caseId) {
      return {
        kind: 'CASE_MISMATCH',
        seq: e.seq,
        expected: caseId,
        actual: e.caseId,
        message: `Event ${e.seq} belongs to case ${e.caseId}`,
      };
    }
    if (e.prevHash !== prevHash) {
      return {
        kind: 'PREV_HASH_MISMATCH',
        seq: e.seq,
        expected: prevHash,
        actual: e.prevHash,
        message: `Event ${e.seq} does not point at the hash of event ${e.seq - 1}`,
      };
    }
    const { hash, ...rest } = e;
    const computed = hashOf(rest);
    if (computed !== hash) {
      return {
        kind: 'HASH_MISMATCH',
        seq: e.seq,
        expected: computed,
        actual: hash,
        message: `Event ${e.seq} (${describe(e)}) was altered after it was written`,
      };
    }
    prevHash = hash;
  }
  const last = items.at(-1)!.seq;
  // Anchored heads, lowest first: the first that disagrees is where the rewrite starts.
  for (const a of [...(opts.anchors ?? [])].filter((x) => x.seq > base).sort((x, y) => x.seq - y.seq)) {
    if (a.seq > last) {
      return {
        kind: 'MISSING_TAIL',
        seq: last + 1,
        expected: a.seq,
        actual: last,
        message: `Events ${last + 1}..${a.seq} are missing (the anchor holds the head of event ${a.seq})`,
      };
    }
    const e = items[a.seq - base - 1]!;
    if (e.hash !== a.hash) {
      return {
        kind: 'ANCHOR_MISMATCH',
        seq: a.seq,
        expected: a.hash,
        actual: e.hash,
        message: `Event ${a.seq} (${describe(e)}) is not the one anchored: the chain was rewritten from here on`,
      };
    }
  }
  if (opts.stateVersion !== undefined && opts.stateVersion > last) {
    return {
      kind: 'MISSING_TAIL',
      seq: last + 1,
      expected: opts.stateVersion,
      actual: last,
      message: `Events ${last + 1}..${opts.stateVersion} are missing (the case state has seen up to ${opts.stateVersion})`,
    };
  }
  return undefined;
};

/**
 * Recomputes the chain and names the first bad or missing event. `stateVersion` (the STATE item's `version`, the last
 * seq the projection saw) and the anchored heads catch a deleted last event, which the chain alone cannot (the
 * shortened chain is valid); the anchored heads also catch a chain edited and re-hashed from some event on.
 */
export const verifyChain = (
  caseId: string,
  events: CaseEvent[],
  stateVersion?: number,
  anchors?: AnchoredHead[],
): ChainReport => {
  const problem = walkChain(caseId, events, eventHash, (e) => e.data?.type ?? '?', {
    ...(stateVersion !== undefined ? { stateVersion } : {}),
    ...(anchors ? { anchors } : {}),
  });
  return {
    caseId,
    verified: problem === undefined,
    events: events.length,
    head: events.at(-1)?.hash ?? GENESIS_HASH,
    ...(anchors ? { anchoredSeq: Math.max(0, ...anchors.map((a) => a.seq)) } : {}),
    ...(problem ? { problem } : {}),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// The access log: who read which case, when and why; its own partition and its own chain, never the case's

export interface AccessEntry {
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
  purpose: string;
  prevHash: string;
  hash: string;
}

/** hash = SHA-256(prevHash + canonical JSON of the entry without its hashes), as for case events. */
export const accessEntryHash = (e: Omit<AccessEntry, 'hash'>): string =>
  createHash('sha256')
    .update(e.prevHash)
    .update(canonicalJson({ caseId: e.caseId, seq: e.seq, at: e.at, actor: e.actor, purpose: e.purpose }))
    .digest('hex');

export interface AccessChainReport {
  verified: boolean;
  /** The entries checked: all of them, or those after the checkpoint (`from`). */
  entries: number;
  /** The anchored checkpoint the check started from (its entries before it are checked by a full verify only). */
  from?: number;
  head: string;
  problem?: ChainProblem;
}

/** The access log's chain, like the case's (a case nobody read yet has an empty, valid log). */
export const verifyAccessChain = (
  caseId: string,
  entries: AccessEntry[],
  anchors?: AnchoredHead[],
  from?: AnchoredHead,
) => {
  const problem =
    entries.length === 0 && !(anchors ?? []).some((a) => a.seq > (from?.seq ?? 0))
      ? undefined
      : walkChain(caseId, entries, accessEntryHash, (e) => e.purpose, {
          ...(anchors ? { anchors } : {}),
          ...(from ? { from } : {}),
        });
  const report: AccessChainReport = {
    verified: problem === undefined,
    entries: entries.length,
    ...(from ? { from: from.seq } : {}),
    head: entries.at(-1)?.hash ?? from?.hash ?? GENESIS_HASH,
    ...(problem ? { problem } : {}),
  };
  return report;
};
