import ts from 'typescript';

/**
 * True when an identifier stands for a free name (a variable reference), not a declared name,
 * a property name or a label. Used only when the checker cannot resolve the identifier (a global
 * whose declaration is not in the program, e.g. `process` without @types/node): the runtime would
 * still look it up in the global scope.
 */
function isFreeReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isQualifiedName(parent) && parent.right === id) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if ((ts.isBindingElement(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.propertyName === id) {
    return false;
  }
  if ('name' in parent && parent.name === id && !ts.isShorthandPropertyAssignment(parent)) return false;
  return true;
}

/** Tells references to a global (lib or @types declaration) from locals and properties that share its name. */
export class GlobalSymbols {
  private readonly cache = new Map<string, ts.Symbol | undefined>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** The symbol the global scope binds to `name`, if the program declares one. */
  global(name: string): ts.Symbol | undefined {
    if (!this.cache.has(name)) {
      const meaning = ts.SymbolFlags.Value | ts.SymbolFlags.Type;
      this.cache.set(name, this.checker.resolveName(name, undefined, meaning, false));
    }
    return this.cache.get(name);
  }

  /**
   * Whether `node` — an identifier, a property name (`globalThis.Date`) or a string key
   * (`globalThis['Date']`) — refers to the global `name`.
   */
  refersTo(node: ts.Node, name: string): boolean {
    const symbol =
      ts.isIdentifier(node) && ts.isShorthandPropertyAssignment(node.parent)
        ? this.checker.getShorthandAssignmentValueSymbol(node.parent)
        : this.checker.getSymbolAtLocation(node);
    if (symbol !== undefined) {
      const global = this.global(name);
      return global !== undefined && symbol === global;
    }
    return ts.isIdentifier(node) && node.text === name && isFreeReference(node);
  }

  /** Whether an expression evaluates to the global `name`: `Math`, `globalThis.Math`, `globalThis['Math']`, `(Math)`. */
  isGlobalExpression(expr: ts.Expression, name: string): boolean {
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) {
      e = e.expression;
    }
    if (ts.isIdentifier(e)) return this.refersTo(e, name);
    if (ts.isPropertyAccessExpression(e)) return e.name.text === name && this.refersTo(e.name, name);
    if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
      return e.argumentExpression.text === name && this.refersTo(e.argumentExpression, name);
    }
    return false;
  }
}
