/**
 * Whether a callback's answer comes from the decision path: it must name a DECISION_RECORDED event of the case log
 * that is still the one that was written. Kept apart from tasks.ts because it hashes (node:crypto), which the web
 * app's bundle must not pull in.
 */

import type { CaseEvent, EventData } from './events.js';
import { eventHash } from './hashChain.js';
import type { Procedure } from './procedures.js';
import type { DecisionAnswer } from './tasks.js';

type Of<T extends EventData['type']> = CaseEvent<Extract<EventData, { type: T }>>;

/**
 * The recorded decision an answer refers to: the DECISION_RECORDED event at `recorded.seq` whose hash is
 * `recorded.hash` (and still its own: the event was not edited), of this procedure and round, with this decision.
 * Undefined when the answer names none of these, i.e. it did not come from the decision path.
 */
export const decisionOnRecord = (
  events: CaseEvent[],
  procedure: Procedure,
  round: number,
  decision: string,
  answer: DecisionAnswer | undefined,
): Of<'DECISION_RECORDED'> | undefined => {
  const ref = answer?.recorded;
  if (!ref || typeof ref.seq !== 'number' || typeof ref.hash !== 'string') return undefined;
  const e = events.find((x) => x.seq === ref.seq);
  if (!e || e.hash !== ref.hash) return undefined;
  const { hash, ...base } = e;
  if (eventHash(base) !== hash) return undefined;
  if (e.data.type !== 'DECISION_RECORDED') return undefined;
  if (e.data.procedure !== procedure || e.data.round !== round || e.data.decision !== decision) return undefined;
  return e as Of<'DECISION_RECORDED'>;
};
