import ts from 'typescript';

/** One reference from a file to another module, of any syntactic form. */
export interface ModuleRef {
  /** The module specifier, or null for a dynamic `import(expr)` whose argument is not a literal. */
  readonly specifier: string | null;
  /**
   * True only when the reference is erased from the emitted JavaScript: `import type`,
   * `export type`, `import type x = require()`, and `import('...')` in a type position.
   * `import { type A } from` is NOT type-only: under verbatimModuleSyntax it still emits
   * `import {} from`, which loads the module.
   */
  readonly typeOnly: boolean;
  /** The node to report at: the module specifier (or the whole import call). */
  readonly node: ts.Node;
}

/** Every module reference in a file: static imports and re-exports, import-equals, dynamic import() and import types. */
export function moduleRefs(sourceFile: ts.SourceFile): ModuleRef[] {
  const refs: ModuleRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      if (ts.isStringLiteral(node.moduleSpecifier)) {
        const typeOnly = node.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword;
        refs.push({ specifier: node.moduleSpecifier.text, typeOnly, node: node.moduleSpecifier });
      }
      return;
    }
    if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
        refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, node: node.moduleSpecifier });
      }
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
        refs.push({ specifier: ref.expression.text, typeOnly: node.isTypeOnly, node: ref.expression });
      }
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteralLike(arg)) {
        refs.push({ specifier: arg.text, typeOnly: false, node: arg });
      } else {
        refs.push({ specifier: null, typeOnly: false, node });
      }
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
        refs.push({ specifier: arg.literal.text, typeOnly: true, node: arg.literal });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return refs;
}

/** `./x.js`, `../y/z.js` and absolute paths; everything else is a package or a builtin. */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || specifier.startsWith('/');
}
