import { folderOf } from './folders.js';
import type { LintFile, Project } from './project.js';
import { violationAt, type Violation } from './violation.js';

/**
 * How a folder may reach another: 'any' import, 'type' only through `import type` /
 * `export type` (erased from the JavaScript, so no runtime dependency), or 'none'.
 */
export type Access = 'any' | 'type' | 'none';

/**
 * The import boundaries of src/ (see /work/shared/ARCHITECTURE.md, "Layout"), as data.
 *
 * Keys are folders relative to src/. An entry covers its subfolders unless a subfolder has an
 * entry of its own (`store/leveldb` is not part of `store` here). Each entry maps the folders it
 * may import to an Access; '*' is the default for folders not listed, otherwise 'none'. Imports
 * inside a folder (its own files and subfolders without an entry) are always allowed. A file in
 * a folder with no entry is itself reported, so adding a folder means deciding its boundaries.
 */
export const BOUNDARIES: Readonly<Record<string, Readonly<Record<string, Access>>>> = {
  util: {},
  // The process's monotonic clock and request deadlines on it, for every layer that waits.
  time: { util: 'any' },
  raft: { util: 'any' },
  gossip: { util: 'any' },
  store: { util: 'any', raft: 'type' },
  'store/leveldb': { util: 'any', store: 'any', raft: 'any' },
  transport: { util: 'any', time: 'any', raft: 'type', gossip: 'type', gen: 'any', proto: 'any' },
  api: { util: 'any', time: 'any', store: 'any', gen: 'any', proto: 'any', raft: 'type', gossip: 'type' },
  client: { util: 'any', time: 'any', gen: 'any', proto: 'any' },
  cli: { client: 'any', util: 'any', gen: 'any', proto: 'any', terminal: 'any', flags: 'any' },
  // Command-line flags: the shared tokenizer (util.parseArgs) and the agent's flag parser.
  flags: { util: 'any' },
  // Terminal output shared by the CLI and the program (progress bars).
  terminal: { util: 'any', time: 'any' },
  // Runtime loaders of the .proto packages, shared by the servers' API, the transport (gossip's
  // wire format) and the clients.
  proto: { gen: 'type' },
  // The client agent: gossip member, local API, checks, anti-entropy, discovery cache. Every
  // server runs one too, so src/server may import it; it never reaches into the server.
  agent: { util: 'any', time: 'any', gossip: 'any', transport: 'any', store: 'any', 'store/leveldb': 'any', gen: 'any', proto: 'any', client: 'any', flags: 'any', raft: 'type' },
  // The server: Raft driver, applier, read barrier, leases, autopilot, and the process wiring.
  server: { '*': 'any', cli: 'none', cmd: 'none', terminal: 'none' },
  // The program: entry point, flags, config files, snapshot restore. Nothing imports it.
  cmd: { '*': 'any', cli: 'none' },
  gen: {},
};

export type BoundaryTable = Readonly<Record<string, Readonly<Record<string, Access>>>>;

export function accessBetween(table: BoundaryTable, from: string, to: string): Access {
  if (from === to) return 'any';
  const may = table[from] ?? {};
  return may[to] ?? may['*'] ?? 'none';
}

/** "util, raft (type-only)" — what a folder may import, for messages. */
export function describeAllowed(table: BoundaryTable, folder: string): string {
  const may = table[folder] ?? {};
  const listed = Object.entries(may).filter(([key]) => key !== '*');
  const wildcard = may['*'];
  const part = ([key, access]: readonly [string, Access]): string =>
    access === 'type' ? `src/${key} (type-only)` : `src/${key}`;
  if (wildcard === 'any' || wildcard === 'type') {
    const denied = listed.filter(([, a]) => a === 'none').map(([k]) => `src/${k}`);
    const typeOnly = listed.filter(([, a]) => a === 'type').map(part);
    let text = wildcard === 'any' ? 'everything in src/' : 'everything in src/ type-only';
    if (denied.length > 0) text += ` except ${denied.join(', ')}`;
    if (typeOnly.length > 0) text += `; ${typeOnly.join(', ')}`;
    return text;
  }
  const allowed = listed.filter(([, a]) => a !== 'none').map(part);
  return allowed.length === 0 ? 'nothing else in src/' : allowed.join(', ');
}

function checkFile(file: LintFile, table: BoundaryTable): Violation[] {
  const folders = Object.keys(table);
  const from = folderOf(file.srcPath, folders);
  const out: Violation[] = [];
  if (from === undefined) {
    const where = file.srcPath.includes('/') ? `folder src/${file.srcPath.slice(0, file.srcPath.lastIndexOf('/'))}` : 'src/ itself';
    out.push({
      file: file.path,
      line: 1,
      col: 1,
      rule: 'boundary',
      message: `${where} has no entry in the boundary table (scripts/lint/boundaries.ts): add one before adding code`,
    });
    return out;
  }
  for (const ref of file.imports) {
    if (ref.target === undefined) continue; // a package or builtin: the pure-import rule's business
    const report = (message: string): void => {
      out.push(violationAt(file.sourceFile, file.path, ref.node, 'boundary', message));
    };
    if (ref.target === null) {
      report(`'${ref.specifier ?? ''}' reaches outside src/: code in src/ may only import src/ files and packages`);
      continue;
    }
    const to = folderOf(ref.target, folders);
    if (to === undefined) {
      report(`'${ref.specifier ?? ''}' reaches src/${ref.target}, which has no entry in the boundary table`);
      continue;
    }
    const access = accessBetween(table, from, to);
    if (access === 'any' || (access === 'type' && ref.typeOnly)) continue;
    if (access === 'type') {
      report(
        `src/${from} may import src/${to} only type-only: use \`import type\` / \`export type\` ` +
          `(an inline \`{ type X }\` still loads the module under verbatimModuleSyntax)`,
      );
    } else {
      report(`src/${from} may not import src/${to} ('${ref.specifier ?? ''}'); src/${from} may import ${describeAllowed(table, from)}`);
    }
  }
  return out;
}

/** Rule `boundary`: every relative import must respect the folder table. */
export function checkBoundaries(project: Project, table: BoundaryTable = BOUNDARIES): Violation[] {
  return project.files.flatMap((file) => checkFile(file, table));
}
