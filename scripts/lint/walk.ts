import ts from 'typescript';

/**
 * Visits every node of a file, telling whether it sits in a type position (annotations,
 * interfaces, type aliases, `implements` clauses, `typeof x` types), where a name has no
 * runtime effect. `class A extends B` and instantiation expressions stay value positions.
 */
export function walkCode(sourceFile: ts.SourceFile, visit: (node: ts.Node, inType: boolean) => void): void {
  const walk = (node: ts.Node, inType: boolean): void => {
    if (ts.isExpressionWithTypeArguments(node)) {
      const clause = node.parent;
      const typeHeritage =
        ts.isHeritageClause(clause) && !(clause.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(clause.parent));
      visit(node, inType || typeHeritage);
      walk(node.expression, inType || typeHeritage);
      for (const arg of node.typeArguments ?? []) walk(arg, true);
      return;
    }
    const typeHere =
      inType || ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
    visit(node, typeHere);
    ts.forEachChild(node, (child) => walk(child, typeHere));
  };
  walk(sourceFile, false);
}
