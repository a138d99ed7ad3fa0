import ts from 'typescript';

/** The stable code of every lint rule; `npm run lint` prints it next to each problem. */
export type RuleCode = 'boundary' | 'pure-import' | 'pure-global' | 'pure-sync' | 'cycle' | 'file-size' | 'banned-import';

/** One problem found by the lint, positioned in a file of the project. */
export interface Violation {
  /** Path relative to the project root, with '/' separators, e.g. `src/raft/log.ts`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  readonly rule: RuleCode;
  readonly message: string;
}

/** A violation located at the start of `node` (its first token, leading trivia skipped). */
export function violationAt(
  sourceFile: ts.SourceFile,
  file: string,
  node: ts.Node,
  rule: RuleCode,
  message: string,
): Violation {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { file, line: line + 1, col: character + 1, rule, message };
}

export function compareViolations(a: Violation, b: Violation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** `path:line:col  rule-code  message`, the format editors and CI logs can jump to. */
export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line}:${v.col}  ${v.rule}  ${v.message}`;
}
