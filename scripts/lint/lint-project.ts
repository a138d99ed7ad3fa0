import { checkBannedImports } from './banned-imports.js';
import { checkBoundaries } from './boundaries.js';
import { checkCycles } from './cycles.js';
import { checkFileSize } from './file-size.js';
import { loadProject } from './project.js';
import { checkPureGlobals } from './pure-globals.js';
import { checkPureImports } from './pure-imports.js';
import { checkPureSync } from './pure-sync.js';
import { compareViolations, type Violation } from './violation.js';

export interface LintResult {
  /** How many files under src/ were linted. */
  readonly files: number;
  /** Sorted by file, line, column. */
  readonly violations: Violation[];
}

/** Lints every TypeScript file under `<rootDir>/src` with every rule. */
export function runLint(rootDir: string): LintResult {
  const project = loadProject(rootDir);
  const violations = [
    ...checkBoundaries(project),
    ...checkPureImports(project),
    ...checkPureGlobals(project),
    ...checkPureSync(project),
    ...checkCycles(project),
    ...checkFileSize(project),
    ...checkBannedImports(project),
  ].sort(compareViolations);
  return { files: project.files.length, violations };
}

/** The violations of every rule in `<rootDir>/src`, sorted; empty when the tree is clean. */
export function lintProject(rootDir: string): Violation[] {
  return runLint(rootDir).violations;
}
