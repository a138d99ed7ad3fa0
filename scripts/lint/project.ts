import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { isRelativeSpecifier, moduleRefs, type ModuleRef } from './imports.js';
import { resolveRelative } from './resolve.js';

/** A module reference with, for relative specifiers, where it lands. */
export interface ResolvedRef extends ModuleRef {
  /**
   * For a relative specifier: the target relative to src/ with '/' separators ("raft/log.ts"),
   * or null when it points outside src/. Undefined for packages and builtins.
   */
  readonly target?: string | null;
  /** The linted file it resolves to, when it is one (used for cycles). */
  readonly targetFile?: LintFile;
}

/** One `.ts` file under src/, parsed and bound by the project's compiler program. */
export interface LintFile {
  readonly absPath: string;
  /** Relative to the project root, '/' separators: "src/raft/log.ts". What violations print. */
  readonly path: string;
  /** Relative to src/: "raft/log.ts". What the rule tables match. */
  readonly srcPath: string;
  readonly sourceFile: ts.SourceFile;
  /** Filled in once every file is known, so targets can point at other files. */
  imports: ResolvedRef[];
}

export interface Project {
  readonly rootDir: string;
  readonly srcDir: string;
  /** Sorted by path. */
  readonly files: readonly LintFile[];
  readonly checker: ts.TypeChecker;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Every TypeScript file under `dir`, recursively, sorted; dot-folders and node_modules skipped. */
export function listSourceFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) found.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found.sort();
}

/** The compiler options of the project's tsconfig.json (defaults if there is none), never emitting. */
export function compilerOptions(rootDir: string): ts.CompilerOptions {
  const configPath = path.join(rootDir, 'tsconfig.json');
  let options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
  };
  if (fs.existsSync(configPath)) {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (read.error !== undefined) {
      throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
    }
    options = ts.parseJsonConfigFileContent(read.config, ts.sys, rootDir, undefined, configPath).options;
  }
  return { ...options, noEmit: true, declaration: false, sourceMap: false };
}

/**
 * Parses every file under `<rootDir>/src` into one program with the repo's compiler options,
 * so the type checker can tell a global `Date` from a local one, and resolves every import.
 */
export function loadProject(rootDir: string): Project {
  const root = path.resolve(rootDir);
  const srcDir = path.join(root, 'src');
  const absPaths = listSourceFiles(srcDir);
  const program = ts.createProgram({ rootNames: absPaths, options: compilerOptions(root) });
  const checker = program.getTypeChecker();

  const byPath = new Map<string, LintFile>();
  const files = absPaths.map((absPath): LintFile => {
    const sourceFile = program.getSourceFile(absPath);
    if (sourceFile === undefined) throw new Error(`lint: the compiler did not load ${absPath}`);
    const file: LintFile = {
      absPath,
      path: toPosix(path.relative(root, absPath)),
      srcPath: toPosix(path.relative(srcDir, absPath)),
      sourceFile,
      imports: [],
    };
    byPath.set(absPath, file);
    return file;
  });

  for (const file of files) {
    file.imports = moduleRefs(file.sourceFile).map((ref): ResolvedRef => {
      if (ref.specifier === null || !isRelativeSpecifier(ref.specifier)) return ref;
      const resolved = resolveRelative(file.absPath, ref.specifier, (p) => byPath.has(p));
      const rel = path.relative(srcDir, resolved);
      const outside = rel === '' || rel.startsWith('..') || path.isAbsolute(rel);
      const targetFile = byPath.get(resolved);
      return {
        ...ref,
        target: outside ? null : toPosix(rel),
        ...(targetFile !== undefined ? { targetFile } : {}),
      };
    });
  }
  return { rootDir: root, srcDir, files, checker };
}
