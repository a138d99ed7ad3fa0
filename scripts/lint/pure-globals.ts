import ts from 'typescript';
import { GlobalSymbols } from './global-symbols.js';
import type { Project } from './project.js';
import { PURITY, purityOf, type PurityTable } from './purity.js';
import { violationAt, type Violation } from './violation.js';
import { walkCode } from './walk.js';

const CLOCK = 'read time from an injected Clock (src/util/clock.ts)';
const TICKS = 'cores count ticks and the driver owns the timers';
const RNG = 'draw randomness from an injected Rng (src/util/rng.ts)';
const EDGE = 'I/O and the environment belong to the drivers (src/server, src/agent, src/cmd, src/transport)';
const CODE = 'no code from strings';

/** The globals a pure folder may not touch, each with what to do instead. */
export const BANNED_GLOBALS: Readonly<Record<string, string>> = {
  Date: CLOCK,
  performance: CLOCK,
  setTimeout: TICKS,
  setInterval: TICKS,
  setImmediate: TICKS,
  clearTimeout: TICKS,
  clearInterval: TICKS,
  clearImmediate: TICKS,
  queueMicrotask: TICKS,
  crypto: RNG,
  process: EDGE,
  require: EDGE,
  fetch: EDGE,
  eval: CODE,
};

function bannedName(name: string): string | undefined {
  return Object.hasOwn(BANNED_GLOBALS, name) ? BANNED_GLOBALS[name] : undefined;
}

/**
 * Rule `pure-global`: in value positions, no reference that resolves to one of BANNED_GLOBALS,
 * no `Math.random` on the global Math, no `new Function` / `Function(...)`. A local or a
 * property that merely shares the name (`const process = ...`, `x.Date`) is not a global.
 */
export function checkPureGlobals(project: Project, table: PurityTable = PURITY): Violation[] {
  const globals = new GlobalSymbols(project.checker);
  const out: Violation[] = [];
  for (const file of project.files) {
    if (purityOf(file.srcPath, table)?.globals !== true) continue;
    const report = (node: ts.Node, message: string): void => {
      out.push(violationAt(file.sourceFile, file.path, node, 'pure-global', message));
    };
    walkCode(file.sourceFile, (node, inType) => {
      if (inType) return;
      if (ts.isIdentifier(node)) {
        const hint = bannedName(node.text);
        if (hint !== undefined && globals.refersTo(node, node.text)) report(node, `global ${node.text}: ${hint}`);
      } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
        const key = node.argumentExpression;
        const hint = bannedName(key.text);
        if (hint !== undefined && globals.refersTo(key, key.text)) report(key, `global ${key.text}: ${hint}`);
        if (key.text === 'random' && globals.isGlobalExpression(node.expression, 'Math')) report(node, `Math.random: ${RNG}`);
      } else if (ts.isPropertyAccessExpression(node)) {
        if (node.name.text === 'random' && globals.isGlobalExpression(node.expression, 'Math')) {
          report(node, `Math.random: ${RNG}`);
        }
      } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer !== undefined) {
        if (globals.isGlobalExpression(node.initializer, 'Math')) {
          for (const element of node.name.elements) {
            const key = element.propertyName ?? element.name;
            if (ts.isIdentifier(key) && key.text === 'random') report(element, `Math.random: ${RNG}`);
          }
        }
      } else if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        if (globals.isGlobalExpression(node.expression, 'Function')) report(node, `${ts.isNewExpression(node) ? 'new ' : ''}Function(...): ${CODE}`);
      }
    });
  }
  return out;
}
