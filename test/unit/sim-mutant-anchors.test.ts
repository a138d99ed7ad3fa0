import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTANTS } from '../../scripts/sim-mutant-list.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Every planted bug still applies to the code as it is: an edit whose anchor text moved would
 * make `npm run sim:mutants` stop before running anything (it did once, unnoticed).
 */
describe('the planted bugs of sim:mutants', () => {
  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s: each anchor is found exactly once', (_name, m) => {
    for (const edit of m.edits) {
      const text = readFileSync(join(ROOT, edit.file), 'utf8');
      expect(text.split(edit.find).length - 1, `${edit.file}: ${JSON.stringify(edit.find)}`).toBe(1);
    }
  });
});
