import ts from 'typescript';
import { GlobalSymbols } from './global-symbols.js';
import type { Project } from './project.js';
import { PURITY, purityOf, type PurityTable } from './purity.js';
import { violationAt, type Violation } from './violation.js';
import { walkCode } from './walk.js';

const WHY = 'the core is a synchronous state machine; the driver does the waiting';

/**
 * Rule `pure-sync`: no `async` function, method or arrow, no `await` (nor `for await`), and no
 * reference to the global Promise, in values or in types.
 */
export function checkPureSync(project: Project, table: PurityTable = PURITY): Violation[] {
  const globals = new GlobalSymbols(project.checker);
  const out: Violation[] = [];
  for (const file of project.files) {
    if (purityOf(file.srcPath, table)?.sync !== true) continue;
    const report = (node: ts.Node, message: string): void => {
      out.push(violationAt(file.sourceFile, file.path, node, 'pure-sync', message));
    };
    walkCode(file.sourceFile, (node) => {
      if (ts.canHaveModifiers(node)) {
        const asyncModifier = ts.getModifiers(node)?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
        if (asyncModifier !== undefined) report(asyncModifier, `async function: ${WHY}`);
      }
      if (ts.isAwaitExpression(node)) report(node, `await: ${WHY}`);
      else if (ts.isForOfStatement(node) && node.awaitModifier !== undefined) report(node.awaitModifier, `for await: ${WHY}`);
      else if (ts.isIdentifier(node) && node.text === 'Promise' && globals.refersTo(node, 'Promise')) {
        report(node, `Promise: ${WHY}`);
      } else if (
        ts.isElementAccessExpression(node) &&
        ts.isStringLiteralLike(node.argumentExpression) &&
        node.argumentExpression.text === 'Promise' &&
        globals.refersTo(node.argumentExpression, 'Promise')
      ) {
        report(node.argumentExpression, `Promise: ${WHY}`);
      }
    });
  }
  return out;
}
