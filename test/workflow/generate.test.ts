/**
 * The workflow file is generated from the procedure registry (infra/workflow/generate.ts): the committed file is what
 * the generator builds, and every procedure's states come from the one decision block.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { bundleRegistry } from '#domain/procedures/index.js';
import { workflowFile } from '#infra/handlers.js';
import { repoRoot } from '#infra/local/stack.js';
import { buildWorkflow, renderWorkflow, stateNames } from '#infra/workflow/generate.js';

describe('workflow.generated: workflows/birth-bundle.asl.json comes from the registry', () => {
  it('workflow.generated: the committed file is what the generator builds from functions/domain/procedures', () => {
    const committed = readFileSync(join(repoRoot, workflowFile), 'utf8');
    if (committed !== renderWorkflow(bundleRegistry)) {
      throw new Error(
        `${workflowFile} is out of date with the procedure registry (functions/domain/procedures): ` +
          'run `npm run generate:workflow` and commit the file.',
      );
    }
  });

  it('workflow.oneDecisionBlock: every procedure has the same states, with its own names, code and state key', () => {
    const text = JSON.stringify(buildWorkflow(bundleRegistry));
    // Each procedure's block, with its names, code and key replaced by placeholders, is the same text.
    const shapes = bundleRegistry.procedures.map((p) => {
      let t = text;
      for (const [role, name] of Object.entries(stateNames(p))) t = t.replaceAll(`"${name}"`, `"<${role}>"`);
      const defs = JSON.parse(t) as { States: Record<string, unknown> };
      const all: Record<string, unknown> = { ...defs.States };
      for (const b of (defs.States.SplitToAgencies as { Branches: { States: Record<string, unknown> }[] }).Branches) {
        Object.assign(all, b.States);
      }
      const block = ['open', 'escalate', 'reopen', 'decision', 'supplement'].map((r) => all[`<${r}>`]);
      return JSON.stringify(block)
        .replaceAll(p.code, '<CODE>')
        .replaceAll(`"$.${p.key}"`, '"$.<key>"')
        .replaceAll(`"$.${p.key}.`, '"$.<key>.');
    });
    expect(new Set(shapes).size).toBe(1);
    expect(shapes[0]).toContain('<CODE>');
  });
});
