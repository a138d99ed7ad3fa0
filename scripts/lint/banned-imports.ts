import ts from 'typescript';
import type { Project } from './project.js';
import { violationAt, type Violation } from './violation.js';

/** A builtin or package export src/ must not use, and what to use instead. */
export interface BannedExport {
  readonly modules: readonly string[];
  readonly name: string;
  readonly why: string;
}

export const BANNED: readonly BannedExport[] = [
  {
    modules: ['node:zlib', 'zlib'],
    name: 'crc32',
    why: "use crc32 from src/util/crc32.ts: Node 20's zlib.crc32 drops the running value on an empty ArrayBuffer view",
  },
];

/**
 * Rule `banned-import`: no `import { name }` of a banned export, and no `ns.name` through a
 * namespace or default import of its module (the two ways code reaches a module's export).
 */
export function checkBannedImports(project: Project, banned: readonly BannedExport[] = BANNED): Violation[] {
  const out: Violation[] = [];
  for (const file of project.files) {
    const report = (node: ts.Node, b: BannedExport): void => {
      out.push(violationAt(file.sourceFile, file.path, node, 'banned-import', `'${b.name}' from '${b.modules[0]}' is banned: ${b.why}`));
    };
    /** Local names bound to a whole banned module (namespace or default import), with their ban. */
    const wholeModule = new Map<string, BannedExport>();
    for (const stmt of file.sourceFile.statements) {
      if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
      const specifier = stmt.moduleSpecifier.text;
      const clause = stmt.importClause;
      if (clause === undefined) continue;
      for (const b of banned.filter((x) => x.modules.includes(specifier))) {
        if (clause.name !== undefined) wholeModule.set(clause.name.text, b);
        const bindings = clause.namedBindings;
        if (bindings !== undefined && ts.isNamespaceImport(bindings)) wholeModule.set(bindings.name.text, b);
        if (bindings !== undefined && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) if ((el.propertyName ?? el.name).text === b.name) report(el, b);
        }
      }
    }
    if (wholeModule.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
        const b = wholeModule.get(node.expression.text);
        if (b !== undefined && node.name.text === b.name) report(node, b);
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);
  }
  return out;
}
