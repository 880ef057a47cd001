/**
 * The state projection against its events (docs/audit.md): the STATE item is rebuilt from the
 * events and compared field by field.
 */
import { type CaseState, projectCase } from './caseState.js';
import type { CaseEvent } from './events.js';
import { canonicalJson } from './hashChain.js';

export interface ProjectionReport {
  verified: boolean;
  /** The STATE item's version (the last seq it saw). */
  version?: number;
  /** Where the stored projection differs from one rebuilt from the events (dotted paths, at most 10). */
  differences: string[];
  problem?: string;
}

const differingPaths = (a: unknown, b: unknown, path: string, out: string[]) => {
  if (out.length >= 10) return;
  const objA = a !== null && typeof a === 'object';
  const objB = b !== null && typeof b === 'object';
  if (!objA || !objB || Array.isArray(a) !== Array.isArray(b)) {
    if (canonicalJson(a) !== canonicalJson(b)) out.push(path || '(root)');
    return;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  for (const k of keys) {
    if (ra[k] === undefined && rb[k] === undefined) continue;
    differingPaths(ra[k], rb[k], path ? `${path}.${k}` : k, out);
  }
};

/**
 * The STATE item drives access control and the parent's page, so it must be exactly what the events say: rebuilt
 * from the events (`projectCase`) and compared field by field.
 */
export const verifyProjection = (events: CaseEvent[], stored: CaseState | undefined): ProjectionReport => {
  if (events.length === 0) return { verified: true, differences: [] };
  if (!stored) {
    return { verified: false, differences: ['(root)'], problem: 'The case state (projection) is missing' };
  }
  const differences: string[] = [];
  differingPaths(stored, projectCase(events), '', differences);
  return differences.length === 0
    ? { verified: true, version: stored.version, differences }
    : {
        verified: false,
        version: stored.version,
        differences,
        problem: `The case state disagrees with its events at ${differences.join(', ')}`,
      };
};
