/**
 * `npm run lint`: import boundaries, purity of the cores, import cycles, file size and banned imports for
 * everything under src/. The rules live in scripts/lint/; this file only prints.
 * Usage: tsx scripts/lint.ts [projectRoot]   (defaults to this repository)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLint } from './lint/lint-project.js';
import { formatViolation } from './lint/violation.js';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const { files, violations } = runLint(root);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

if (violations.length > 0) {
  for (const v of violations) console.log(formatViolation(v));
  console.log(`lint: ${plural(files, 'file')}, ${plural(violations.length, 'problem')}`);
  process.exitCode = 1;
} else {
  console.log(`lint: ${plural(files, 'file')}, 0 problems`);
}
