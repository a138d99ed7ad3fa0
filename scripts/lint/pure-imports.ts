import { isBuiltin } from 'node:module';
import { isRelativeSpecifier } from './imports.js';
import type { Project } from './project.js';
import { PURITY, purityOf, type PurityTable } from './purity.js';
import { violationAt, type Violation } from './violation.js';

function folderName(srcPath: string): string {
  const slash = srcPath.lastIndexOf('/');
  return slash < 0 ? 'src' : `src/${srcPath.slice(0, slash)}`;
}

/**
 * Rule `pure-import`: in 'relative-only' zones no package or builtin may be imported (type-only
 * included: the core must not even be shaped by one), nor a computed `import(expr)`, nor
 * `/// <reference types>`; in 'no-builtins' zones no Node builtin.
 */
export function checkPureImports(project: Project, table: PurityTable = PURITY): Violation[] {
  const out: Violation[] = [];
  for (const file of project.files) {
    const zone = purityOf(file.srcPath, table);
    if (zone === undefined || zone.imports === 'any') continue;
    const where = folderName(file.srcPath);
    for (const ref of file.imports) {
      const report = (message: string): void => {
        out.push(violationAt(file.sourceFile, file.path, ref.node, 'pure-import', message));
      };
      if (ref.specifier === null) {
        if (zone.imports === 'relative-only') report(`${where} is a pure core: no computed import()`);
        continue;
      }
      if (isRelativeSpecifier(ref.specifier)) continue;
      if (zone.imports === 'relative-only') {
        report(
          `${where} is a pure core and may import no module outside src/ ('${ref.specifier}'): ` +
            `take what you need as an injected interface`,
        );
      } else if (isBuiltin(ref.specifier)) {
        report(`${where} may not import the Node builtin '${ref.specifier}': util must stay usable by the pure cores`);
      }
    }
    if (zone.imports === 'relative-only') {
      for (const directive of file.sourceFile.typeReferenceDirectives) {
        const { line, character } = file.sourceFile.getLineAndCharacterOfPosition(directive.pos);
        out.push({
          file: file.path,
          line: line + 1,
          col: character + 1,
          rule: 'pure-import',
          message: `${where} is a pure core: no /// <reference types="${directive.fileName}" />`,
        });
      }
    }
  }
  return out;
}
