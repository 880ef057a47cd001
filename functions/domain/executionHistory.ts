/**
 * Archived execution histories, pure (docs/audit.md): a GetExecutionHistory event as archived
 * (no callback token), its digest that the case log's HISTORY_ARCHIVED event pins, an archive against its pin, and
 * the content hash of a workflow definition.
 */

import { eventsOfType } from './eventLog.js';
import type { CaseEvent } from './events.js';
import { canonicalJson, sha256 } from './hashChain.js';

/** One history event as GetExecutionHistory returns it; `timestamp` as the SDK (Date), the CLI (ISO or epoch) prints it. */
export interface HistoryEventJson {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: string | number | Date;
  [details: string]: unknown;
}

export const REDACTED_TOKEN = '<redacted task token>';
const TOKEN_KEYS = /^(task)?token$/i;

const redactTokensIn = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(redactTokensIn);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        k,
        TOKEN_KEYS.test(k) && typeof x === 'string' ? REDACTED_TOKEN : redactTokensIn(x),
      ]),
    );
  }
  return v;
};

/**
 * What is archived: timestamps as ISO strings, and no callback token. On AWS, TaskScheduled `parameters` show the
 * `$$.Task.Token` a callback task was given: a bearer secret, so every `taskToken` value inside a JSON string field is
 * replaced (the local engine already redacts; this is for histories from AWS).
 */
export const sanitizeHistoryEvent = (e: HistoryEventJson): HistoryEventJson => {
  const out: HistoryEventJson = { ...e, timestamp: toIso(e.timestamp) };
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') continue;
    const details: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const field of ['parameters', 'input', 'output']) {
      const text = details[field];
      if (typeof text !== 'string') continue;
      const parsed = parseJson(text);
      if (parsed !== undefined) {
        const redacted = redactTokensIn(parsed);
        if (canonicalJson(redacted) !== canonicalJson(parsed)) details[field] = JSON.stringify(redacted);
      }
    }
    out[k] = details;
  }
  return out;
};

/** The CLI prints timestamps as ISO strings with an offset (v2) or epoch seconds (v1); the SDK gives Dates. */
export const toIso = (t: string | number | Date): string => {
  if (t instanceof Date) return t.toISOString();
  if (typeof t === 'number') return new Date(t > 1e11 ? t : t * 1000).toISOString();
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
};

/** Digest of an archived history: what the case log's HISTORY_ARCHIVED event pins. */
export const historyDigest = (events: HistoryEventJson[]): string =>
  sha256(canonicalJson(events.map(sanitizeHistoryEvent)));

/** What a HISTORY_ARCHIVED event pins: an execution's archived history, by count and digest, and its workflow. */
export type HistoryPin = Extract<CaseEvent['data'], { type: 'HISTORY_ARCHIVED' }>;

/** The latest pin of each execution (the one covering the most events): what its archive must hash to. */
export const latestPins = (events: CaseEvent[]): HistoryPin[] => {
  const latest = new Map<string, HistoryPin>();
  for (const e of eventsOfType(events, 'HISTORY_ARCHIVED')) {
    const prev = latest.get(e.data.executionName);
    if (!prev || e.data.events >= prev.events) latest.set(e.data.executionName, e.data);
  }
  return [...latest.values()];
};

/**
 * One execution's archive against its latest pin: every archived event must be covered by the digest the chain pins
 * (an event outside every digest could be edited unseen), none may be missing, and the digest must match.
 */
export const archivedHistoryProblem = (
  executionName: string,
  pin: HistoryPin | undefined,
  archived: HistoryEventJson[],
): string | undefined => {
  const sorted = [...archived].sort((a, b) => a.id - b.id);
  if (!pin) {
    return `History of ${executionName}: ${sorted.length} archived events are outside every digest (no HISTORY_ARCHIVED pins them)`;
  }
  if (sorted.length < pin.events) {
    return `History of ${executionName}: ${pin.events - sorted.length} of ${pin.events} archived events are missing`;
  }
  if (sorted.length > pin.events) {
    return `History of ${executionName}: ${sorted.length - pin.events} archived events are outside every digest (the chain pins ${pin.events})`;
  }
  if (historyDigest(sorted) !== pin.historyHash) {
    return `History of ${executionName} was altered after it was archived (its digest no longer matches the chain)`;
  }
  return undefined;
};

/**
 * A closed case's execution has ended: its whole history must be archived and pinned (a pin with its final status).
 * Returns the execution that lacks it, if any.
 */
export const unpinnedCompletion = (events: CaseEvent[]): string | undefined => {
  const filed = eventsOfType(events, 'DOSSIER_FILED')[0];
  if (!filed || eventsOfType(events, 'CASE_CLOSED').length === 0) return undefined;
  const name = filed.data.executionName;
  const final = eventsOfType(events, 'HISTORY_ARCHIVED').some(
    (e) => e.data.executionName === name && e.data.status !== 'RUNNING',
  );
  return final ? undefined : name;
};

/** Content hash of a workflow definition: canonical JSON, so formatting does not change it. */
export const definitionHash = (definition: string | object): string =>
  sha256(canonicalJson(typeof definition === 'string' ? JSON.parse(definition) : definition));

/** A file from `aws stepfunctions get-execution-history --output json` (or the SDK's output, or a bare array). */
export const parseHistoryFile = (json: unknown): HistoryEventJson[] => {
  const events = Array.isArray(json) ? json : (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new Error('Not an execution history: expected { "events": [...] }');
  return (events as HistoryEventJson[])
    .map((e) => {
      if (typeof e?.id !== 'number' || typeof e.type !== 'string') throw new Error('Not an execution history event');
      return sanitizeHistoryEvent(e);
    })
    .sort((a, b) => a.id - b.id);
};

/** The JSON in a string field of a history event, if it is JSON. */
export const parseJson = (text: unknown): unknown => {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
