/**
 * Step Complete<Stem> (CompleteBirth, CompleteResidence, CompleteHealthInsurance, CompleteIdCard): an officer
 * approved; the procedure's registry entry makes its result (the birth registration number and the child's personal
 * ID, the residence notice, the card), recorded exactly once; its task closes and the applicant is told. A step that
 * runs again (retry, re-drive) gets the recorded result back.
 * The first procedure (the birth) returns the starting state of each other procedure's branch; the others return
 * their outcome to the Parallel state.
 */

import { assignPersonalId } from '#adapters/populationRegistry.js';
import { randomDigits } from '#domain/ids.js';
import { type Procedure, parallelProcedures, procedureOf, type ResultPorts } from '#domain/procedures/index.js';
import { branchStart, isRequested } from '#domain/tasks.js';
import { branchResult, type CompletionInput, completeWith } from './completion.js';

export const handler = async (input: CompletionInput) => {
  const p = procedureOf(input.procedure);
  const { events, now } = await completeWith(input, ({ store, dossier, events, now }) => {
    const ports: ResultPorts = {
      nextCounter: (key) => store.nextCounter(key),
      claimUnique: (kind, value, holder) => store.claimUnique(kind, value, holder),
      holderOf: (kind, value) => store.holderOf(kind, value),
      assignPersonalId: (req) => assignPersonalId(store, req),
      randomDigits,
    };
    return p.result.issue({ caseId: input.caseId, dossier, events, now, ports });
  });
  if (p.stage !== 'first') return branchResult(input.procedure, 'COMPLETED');
  return Object.fromEntries(
    parallelProcedures().map((q) => [q.key, branchStart(events, q.code as Procedure, isRequested(q, events), now)]),
  );
};
