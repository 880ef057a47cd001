/** `npm run generate:workflow`: writes workflows/birth-bundle.asl.json from the procedure registry. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleRegistry } from '#domain/procedures/index.js';
import { workflowFile } from '#infra/handlers.js';
import { repoRoot } from '#infra/local/stack.js';
import { renderWorkflow } from '#infra/workflow/generate.js';

const text = renderWorkflow(bundleRegistry);
writeFileSync(join(repoRoot, workflowFile), text);
console.log(`${workflowFile}: ${text.split('\n').length - 1} lines, generated from functions/domain/procedures`);
