/**
 * docs/procedures.md lists the procedures, their agencies, deciding roles, units and deadlines, and the roles that
 * sign in. The table is the registry's (functions/domain/procedures/): this test fails when they differ and prints
 * the table to paste between the markers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { agencyNames, bundleProcedures, roleNames } from '#domain/procedures/index.js';
import { repoRoot } from '#infra/local/stack.js';

const unitNames = {
  REGISTRATION_COMMUNE: 'the registering commune',
  RESIDENCE_COMMUNE: 'the commune of the requested residence',
  RESIDENCE_PROVINCE: 'the province of the requested residence',
} as const;
const requestNames = (r: (typeof bundleProcedures)[number]['request']) =>
  r.kind === 'always'
    ? 'every dossier'
    : r.kind === 'dossier'
      ? `when the dossier asks (\`${r.flag}.requested\`)`
      : `when the regime offers it and the dossier asks (\`${r.flag}.requested\`)`;

const generated = (): string =>
  [
    '| code | procedure | agency (queue) | decided by | in the unit of | part of the case | working days (with verification) |',
    '|---|---|---|---|---|---|---|',
    ...bundleProcedures.map(
      (p) =>
        `| \`${p.code}\` | ${p.name.en} (*${p.name.vi}*) | \`${p.agency}\` ${agencyNames[p.agency].en} | \`${p.decidedBy}\` | ${unitNames[p.unit]} | ${requestNames(p.request)}, from \`${p.offeredFrom}\` | ${p.deadline.workingDays} (${p.deadline.withVerificationWorkingDays}) |`,
    ),
    '',
    '| role | name | signs in |',
    '|---|---|---|',
    ...(Object.keys(roleNames) as (keyof typeof roleNames)[]).map(
      (r) =>
        `| \`${r}\` | ${roleNames[r].en} (*${roleNames[r].vi}*) | ${r === 'applicant' ? 'no (dossier code and secret)' : 'yes (a Cognito group)'} |`,
    ),
  ].join('\n');

describe('docs.procedures: the procedure table in docs/procedures.md is the registry', () => {
  it('matches what the registry generates', () => {
    // prepare
    const doc = readFileSync(join(repoRoot, 'docs/procedures.md'), 'utf8');
    const m = /<!-- registry:begin -->\n([\s\S]*?)\n<!-- registry:end -->/.exec(doc);
    // act
    const table = m?.[1];
    // assess
    expect(table).toBe(generated());
  });
});
