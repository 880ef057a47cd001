/**
 * Docs true (issue 10, item 7): every repository path that README.md and docs/*.md name in backticks exists in a clone.
 * Paths with a placeholder (`<id>`, `*`, `…`) or under generated folders (web/dist, .data, cdk.out) are not checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const top = /^(functions|infra|test|scripts|web\/src|docs|bench|workflows|bin|\.ci)\//;
const generated = /^(web\/dist|\.data|cdk\.out|\.artifacts|test-artifacts)\//;

const pathsIn = (text: string): string[] =>
  [...text.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!.replace(/[),.:;]+$/, '').replace(/#.*$/, ''))
    .filter((p) => top.test(p) && !generated.test(p) && !/[<>*…{}$]|\.\.\./.test(p));

describe('docs name only files that exist', () => {
  it.each(docs)('%s', (doc) => {
    const missing = pathsIn(readFileSync(join(root, doc), 'utf8')).filter((p) => !existsSync(join(root, p)));
    expect(missing).toEqual([]);
  });
});
