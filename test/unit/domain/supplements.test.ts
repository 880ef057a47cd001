/**
 * What a supplement may change (functions/domain/supplements.ts), pure: the procedure's scope or the officer's
 * fields, never the units that handle the case nor the identity keys.
 */
import { describe, expect, it } from '@jest/globals';
import { type Dossier, parseDossier } from '#domain/dossier.js';
import { deepMerge } from '#domain/eventLog.js';
import { changedPaths, identityIssues, isSupplementable, outOfScopeIssues, unitIssues } from '#domain/supplements.js';
import { demoDossier } from '#support/dossiers.js';

const parsed = (d: unknown): Dossier => {
  const r = parseDossier(d);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.dossier;
};
const base = parsed(demoDossier());
const rulesOf = (issues: { field: string; rule: string }[]) => issues.map((i) => [i.field, i.rule]);

describe('Function: changedPaths', () => {
  it('lists the leaves of the changes whose value differs, and no unchanged one', () => {
    expect(
      changedPaths(base, {
        child: { givenName: 'Bình', surname: base.child.surname },
        registrationCommuneCode: base.registrationCommuneCode,
        marriage: { bookNumber: '02/2019' },
      }),
    ).toEqual(['child.givenName', 'marriage.bookNumber']);
  });
});

describe('Function: outOfScopeIssues', () => {
  it('supplement.fieldNotRequested: a BIRTH supplement may change the child and the parents, not the card request', () => {
    const issues = outOfScopeIssues('BIRTH', base, {
      child: { givenName: 'Bình' },
      mother: { fullName: 'Trần Thị Lan' },
      healthInsurance: { initialCareFacility: 'Bệnh viện Bạch Mai' },
    });
    expect(rulesOf(issues)).toEqual([['changes.healthInsurance.initialCareFacility', 'supplement.fieldNotRequested']]);
  });

  it('supplement.fieldNotRequested: a downstream supplement cannot change the registered child', () => {
    for (const p of ['RESIDENCE', 'HEALTH_INSURANCE', 'ID_CARD'] as const) {
      expect(rulesOf(outOfScopeIssues(p, base, { child: { givenName: 'Bình' } }))).toEqual([
        ['changes.child.givenName', 'supplement.fieldNotRequested'],
      ]);
    }
    expect(outOfScopeIssues('RESIDENCE', base, { residence: { address: { detail: '14 phố Đội Cấn' } } })).toEqual([]);
  });

  it('supplement.fieldNotRequested: the officer’s fields narrow the scope', () => {
    const issues = outOfScopeIssues('BIRTH', base, { child: { givenName: 'Bình' }, marriage: { bookNumber: '2' } }, [
      'marriage',
    ]);
    expect(rulesOf(issues)).toEqual([['changes.child.givenName', 'supplement.fieldNotRequested']]);
  });

  it('leaves the units and identity keys to their own checks (not reported as out of scope)', () => {
    expect(
      outOfScopeIssues('HEALTH_INSURANCE', base, {
        registrationCommuneCode: '26743',
        child: { dateOfBirth: '2026-11-19' },
      }),
    ).toEqual([]);
  });
});

describe('Function: unitIssues and identityIssues', () => {
  it('dossier.unitFixed: the registration commune and the residence commune and province', () => {
    const after = parsed(
      deepMerge(base, {
        registrationCommuneCode: '26743',
        residence: { address: { provinceCode: '79', communeCode: '26743' } },
      }),
    );
    expect(rulesOf(unitIssues(base, after))).toEqual([
      ['changes.registrationCommuneCode', 'dossier.unitFixed'],
      ['changes.residence.address.communeCode', 'dossier.unitFixed'],
      ['changes.residence.address.provinceCode', 'dossier.unitFixed'],
    ]);
    expect(unitIssues(base, base)).toEqual([]);
  });

  it('supplement.identityKey: the certificate number, the mother’s ID, the date and order of birth', () => {
    const after = parsed(
      deepMerge(base, {
        birthCertificate: { number: '99999.GCS.01821.26' },
        mother: { personalId: '001194999999' },
        child: { dateOfBirth: '2026-11-19', birthOrder: 2 },
      }),
    );
    expect(rulesOf(identityIssues(base, after)).map(([f]) => f)).toEqual([
      'changes.birthCertificate.number',
      'changes.mother.personalId',
      'changes.child.dateOfBirth',
      'changes.child.birthOrder',
    ]);
    expect(identityIssues(base, parsed(deepMerge(base, { child: { givenName: 'Bình' } })))).toEqual([]);
  });
});

describe('Function: isSupplementable', () => {
  it.each([
    ['BIRTH', 'marriage', true],
    ['BIRTH', 'child.givenName', true],
    ['BIRTH', 'child.dateOfBirth', false],
    ['BIRTH', 'mother.personalId', false],
    ['BIRTH', 'mother', true],
    ['BIRTH', 'registrationCommuneCode', false],
    ['RESIDENCE', 'residence.address.communeCode', false],
    ['RESIDENCE', 'residence.householdHead', true],
    ['HEALTH_INSURANCE', 'child', false],
    ['BIRTH', '__proto__', false],
  ] as const)('%s supplement may be asked to change %s: %s', (procedure, path, expected) => {
    expect(isSupplementable(procedure, path)).toBe(expected);
  });
});
