import { describe, expect, it } from '@jest/globals';
import { bundleDeadlines } from '#domain/deadlines.js';
import { parseDossier } from '#domain/dossier.js';
import { healthInsuranceCardValidUntil } from '#domain/healthInsuranceCard.js';
import { idCardRequestedFor, regimeFor } from '#domain/regime.js';
import {
  assessDossier,
  checkDossier,
  dossierNotes,
  duplicateKeys,
  isLateRegistration,
  normalizeDossierAddresses,
} from '#domain/rules.js';
import { referenceCases } from '#fixtures/referenceCases.js';

const at = (path: string, o: unknown) =>
  path
    .split('.')
    .reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);

describe('reference cases: filing outcome (parseDossier + checkDossier)', () => {
  it('has at least 30 cases with unique names', () => {
    expect(referenceCases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(referenceCases.map((c) => c.name)).size).toBe(referenceCases.length);
  });

  it.each(referenceCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // prepare
    const receivedAt = new Date(c.receivedAt);
    const ctx = { receivedAt };
    // act
    const parsed = parseDossier(c.dossier);
    const issues = parsed.ok ? checkDossier(parsed.dossier, ctx) : parsed.issues;
    if (c.claimedKeys) {
      // A duplicate is refused by the uniqueness claim at filing (test/integration/referenceCases.test.ts files it
      // against the real store): here, the dossier holds a claimed key and breaks no other rule.
      if (!parsed.ok) throw new Error(`${c.name}: does not parse`);
      const claimed = c.claimedKeys.map((k) => `${k.kind}#${k.value}`);
      expect(duplicateKeys(parsed.dossier).some((k) => claimed.includes(`${k.kind}#${k.value}`))).toBe(true);
      expect(c.expected).toEqual({ outcome: 'rejected', rules: ['dossier.duplicate'] });
      expect(issues).toEqual([]);
      return;
    }
    const rulesBroken = [...new Set(issues.map((i) => i.rule))].sort();
    // assess
    if (c.expected.outcome === 'rejected') {
      expect(rulesBroken).toEqual([...c.expected.rules].sort());
      for (const i of issues) {
        expect(i.field).not.toBe('');
        expect(i.message.vi.length).toBeGreaterThan(10);
        expect(i.message.en.length).toBeGreaterThan(10);
      }
      expect(assessDossier(c.dossier, ctx).outcome).toBe('rejected');
      return;
    }
    expect(issues).toEqual([]);
    if (!parsed.ok) throw new Error('unreachable');
    const e = c.expected;
    const { dossier, notes: addressNotes } = normalizeDossierAddresses(parsed.dossier);
    const notes = dossierNotes(parsed.dossier, ctx);
    const deadlines = bundleDeadlines(receivedAt);
    if (e.lateRegistration !== undefined) expect(isLateRegistration(dossier, receivedAt)).toBe(e.lateRegistration);
    if (e.idCardBranch !== undefined)
      expect(idCardRequestedFor(regimeFor(deadlines.countedFrom), dossier)).toBe(e.idCardBranch);
    if (e.consentExempt !== undefined) expect(notes.some((n) => n.kind === 'CONSENT_EXEMPT')).toBe(e.consentExempt);
    if (e.mappedAddresses) expect(addressNotes.map((n) => n.field).sort()).toEqual([...e.mappedAddresses].sort());
    for (const [path, code] of Object.entries(e.mappedCommunes ?? {})) expect(at(path, dossier)).toBe(code);
    for (const kind of e.notes ?? []) expect(notes.map((n) => n.kind)).toContain(kind);
    if (e.countedFrom) expect(deadlines.countedFrom).toBe(e.countedFrom);
    if (e.birthDueAt) expect(deadlines.birth).toBe(e.birthDueAt);
    if (e.cardValidUntil) expect(healthInsuranceCardValidUntil(dossier.child.dateOfBirth)).toBe(e.cardValidUntil);
    const assessed = assessDossier(c.dossier, ctx);
    expect(assessed.outcome).toBe('accepted');
    expect(assessed.duplicateKeys).toEqual(duplicateKeys(dossier));
  });
});
