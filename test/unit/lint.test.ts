import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDARIES, accessBetween } from '../../scripts/lint/boundaries.js';
import { cyclicComponents } from '../../scripts/lint/cycles.js';
import { countLines } from '../../scripts/lint/file-size.js';
import { folderOf } from '../../scripts/lint/folders.js';
import { lintProject } from '../../scripts/lint/lint-project.js';
import { formatViolation, type Violation } from '../../scripts/lint/violation.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tempDirs: string[] = [];

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface FixtureOptions {
  /** Load the repo's @types/node, as the real tsconfig does, so Node globals resolve to their declarations. */
  nodeTypes?: boolean;
}

/** Writes a throwaway project (tsconfig.json + the given files) and lints it. */
function lint(files: Record<string, string>, options: FixtureOptions = {}): Violation[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-lint-'));
  tempDirs.push(dir);
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    ...(options.nodeTypes === true
      ? { typeRoots: [path.join(REPO, 'node_modules/@types')], types: ['node'] }
      : { types: [] }),
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const [name, text] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return lintProject(dir);
}

/** "src/x.ts:3 rule" for each violation: the file, line and rule, exact but free of message wording. */
function found(violations: Violation[]): string[] {
  return violations.map((v) => `${v.file}:${v.line} ${v.rule}`);
}

const UTIL = {
  'src/util/ids.ts': 'export type NodeId = string;\nexport const NO_NODE = "";\n',
  'src/util/clock.ts': 'export interface Clock { now(): number }\n',
};

describe('lint: clean tree', () => {
  it('reports nothing for a tree that respects every rule', () => {
    const violations = lint({
      ...UTIL,
      'src/raft/types.ts': 'import type { NodeId } from "../util/ids.js";\nexport interface Entry { term: number; from: NodeId }\nexport const FIRST = 1;\n',
      'src/raft/log.ts': 'import { FIRST, type Entry } from "./types.js";\nexport function first(entries: Entry[]): number { return entries.length > 0 ? FIRST : 0; }\n',
      'src/store/apply.ts': 'import type { Entry } from "../raft/types.js";\nexport type { Entry as RaftEntry } from "../raft/types.js";\nexport function apply(e: Entry): number { return e.term; }\n',
      'src/store/leveldb/log-store.ts':
        'import fs from "node:fs";\nimport { FIRST } from "../../raft/types.js";\nimport { apply } from "../apply.js";\nexport const x = [fs, FIRST, apply, Date.now()];\n',
      'src/cmd/main.ts': 'import { first } from "../raft/log.js";\nimport { x } from "../store/leveldb/log-store.js";\nexport const y = [first, x, Date.now(), setTimeout];\n',
    });
    expect(violations.map(formatViolation)).toEqual([]);
  });
});

describe('lint: boundary', () => {
  it('util may import nothing else in src', () => {
    const violations = lint({
      ...UTIL,
      'src/util/bad.ts': 'import { FIRST } from "../raft/types.js";\nexport const x = FIRST;\n',
      'src/raft/types.ts': 'export const FIRST = 1;\n',
    });
    expect(found(violations)).toEqual(['src/util/bad.ts:1 boundary']);
    expect(violations[0]?.message).toContain('src/util may not import src/raft');
  });

  it('store imports raft only type-only: a value import or an inline `type` specifier is reported', () => {
    const violations = lint({
      'src/raft/types.ts': 'export interface Entry { term: number }\nexport const FIRST = 1;\n',
      'src/store/good.ts': 'import type { Entry } from "../raft/types.js";\nexport type { Entry as E } from "../raft/types.js";\nexport type T = import("../raft/types.js").Entry;\nexport const f = (e: Entry): number => e.term;\n',
      'src/store/value.ts': 'import { FIRST } from "../raft/types.js";\nexport const x = FIRST;\n',
      'src/store/inline.ts': 'import { type Entry } from "../raft/types.js";\nexport const f = (e: Entry): number => e.term;\n',
      'src/store/reexport.ts': 'export { FIRST } from "../raft/types.js";\n',
    });
    expect(found(violations)).toEqual([
      'src/store/inline.ts:1 boundary',
      'src/store/reexport.ts:1 boundary',
      'src/store/value.ts:1 boundary',
    ]);
    expect(violations[0]?.message).toContain('only type-only');
  });

  it('server may import everything but cli, cmd and terminal', () => {
    const violations = lint({
      ...UTIL,
      'src/cli/main.ts': 'export const run = 1;\n',
      'src/raft/node.ts': 'export const raft = 1;\n',
      'src/store/leveldb/db.ts': 'export const db = 1;\n',
      'src/transport/udp.ts': 'export const udp = 1;\n',
      'src/server/ok.ts': 'import { raft } from "../raft/node.js";\nimport { db } from "../store/leveldb/db.js";\nimport { udp } from "../transport/udp.js";\nexport const all = [raft, db, udp];\n',
      'src/server/bad.ts': 'import { run } from "../cli/main.js";\nexport const x = run;\n',
    });
    expect(found(violations)).toEqual(['src/server/bad.ts:1 boundary']);
    expect(violations[0]?.message).toContain('src/server may not import src/cli');
  });

  it('a subfolder with its own entry is its own folder; one without inherits its parent', () => {
    const violations = lint({
      ...UTIL,
      'src/raft/types.ts': 'export interface Entry { term: number }\nexport const FIRST = 1;\n',
      'src/store/kv/revisions.ts': 'import type { Entry } from "../../raft/types.js";\nimport { apply } from "../apply.js";\nexport const r = (e: Entry): number => apply(e.term);\n',
      'src/store/apply.ts': 'export const apply = (n: number): number => n;\n',
      'src/store/bad.ts': 'import { db } from "./leveldb/db.js";\nexport const x = db;\n',
      'src/store/leveldb/db.ts': 'import { FIRST } from "../../raft/types.js";\nimport { apply } from "../apply.js";\nimport { r } from "../kv/revisions.js";\nexport const db = [FIRST, apply, r];\n',
    });
    expect(found(violations)).toEqual(['src/store/bad.ts:1 boundary']);
  });

  it('transport, api, client and cli follow their rows', () => {
    const violations = lint({
      ...UTIL,
      'src/gen/raft_pb.ts': 'export interface AppendEntries { term: number }\n',
      'src/raft/types.ts': 'export interface Entry { term: number }\nexport const FIRST = 1;\n',
      'src/gossip/types.ts': 'export interface Packet { to: string }\n',
      'src/store/state.ts': 'export const state = 1;\n',
      'src/client/sdk.ts': 'import type { AppendEntries } from "../gen/raft_pb.js";\nexport type A = AppendEntries;\nexport const sdk = 1;\n',
      'src/transport/grpc.ts': 'import type { AppendEntries } from "../gen/raft_pb.js";\nimport type { Packet } from "../gossip/types.js";\nimport { FIRST } from "../raft/types.js";\nexport type M = AppendEntries | Packet;\nexport const f = FIRST;\n',
      'src/api/kv.ts': 'import { state } from "../store/state.js";\nimport type { Entry } from "../raft/types.js";\nimport { sdk } from "../client/sdk.js";\nexport const k = (e: Entry) => [state, e, sdk];\n',
      'src/cli/main.ts': 'import { sdk } from "../client/sdk.js";\nimport { NO_NODE } from "../util/ids.js";\nimport { state } from "../store/state.js";\nexport const m = [sdk, NO_NODE, state];\n',
    });
    expect(found(violations)).toEqual([
      'src/api/kv.ts:3 boundary',
      'src/cli/main.ts:3 boundary',
      'src/transport/grpc.ts:3 boundary',
    ]);
  });

  it('reports files in folders missing from the table and imports that leave src/', () => {
    const violations = lint({
      ...UTIL,
      'src/index.ts': 'export const x = 1;\n',
      'src/misc/thing.ts': 'export const y = 1;\n',
      'src/raft/leak.ts': 'import { helper } from "../../test/helper.js";\nexport const z = helper;\n',
      'test/helper.ts': 'export const helper = 1;\n',
    });
    expect(found(violations)).toEqual(['src/index.ts:1 boundary', 'src/misc/thing.ts:1 boundary', 'src/raft/leak.ts:1 boundary']);
  });

  it('the real table is data: every row names known folders', () => {
    const folders = new Set(Object.keys(BOUNDARIES));
    for (const row of Object.values(BOUNDARIES)) {
      for (const key of Object.keys(row)) if (key !== '*') expect(folders.has(key), key).toBe(true);
    }
    expect(accessBetween(BOUNDARIES, 'agent', 'cli')).toBe('none');
    expect(accessBetween(BOUNDARIES, 'agent', 'server')).toBe('none');
    expect(accessBetween(BOUNDARIES, 'agent', 'gossip')).toBe('any');
    expect(accessBetween(BOUNDARIES, 'store', 'raft')).toBe('type');
    expect(accessBetween(BOUNDARIES, 'util', 'raft')).toBe('none');
    expect(folderOf('store/leveldb/db.ts', folders)).toBe('store/leveldb');
    expect(folderOf('store/kv/rev.ts', folders)).toBe('store');
    expect(folderOf('storage/x.ts', folders)).toBeUndefined();
    expect(folderOf('index.ts', folders)).toBeUndefined();
  });
});

describe('lint: pure-import', () => {
  it('the cores import no module outside src/, type-only included; store/leveldb may', () => {
    const violations = lint({
      ...UTIL,
      'src/raft/bad.ts': 'import fs from "node:fs";\nexport const x = fs;\n',
      'src/raft/types-only.ts': 'import type { Stats } from "node:fs";\nexport type S = Stats;\nexport type T = import("node:path").ParsedPath;\n',
      'src/raft/dynamic.ts': 'export const load = () => import("node:os");\n',
      'src/gossip/bad.ts': 'import { createHash } from "crypto";\nexport const h = createHash;\n',
      'src/store/bad.ts': 'import { Level } from "level";\nexport const l = Level;\n',
      'src/raft/good.ts': 'import type { NodeId } from "../util/ids.js";\nexport type N = NodeId;\n',
      'src/store/leveldb/ok.ts': 'import fs from "node:fs";\nimport { Level } from "level";\nexport const ok = [fs, Level];\n',
    });
    expect(found(violations)).toEqual([
      'src/gossip/bad.ts:1 pure-import',
      'src/raft/bad.ts:1 pure-import',
      'src/raft/dynamic.ts:1 pure-import',
      'src/raft/types-only.ts:1 pure-import',
      'src/raft/types-only.ts:3 pure-import',
      'src/store/bad.ts:1 pure-import',
    ]);
  });

  it('util may use packages but no Node builtin', () => {
    const violations = lint({
      'src/util/bad.ts': 'import { randomBytes } from "node:crypto";\nimport { readFileSync } from "fs";\nimport { join } from "path/posix";\nexport const x = [randomBytes, readFileSync, join];\n',
      'src/util/ok.ts': 'import { something } from "some-package";\nexport const y = something;\n',
    });
    expect(found(violations)).toEqual(['src/util/bad.ts:1 pure-import', 'src/util/bad.ts:2 pure-import', 'src/util/bad.ts:3 pure-import']);
  });
});

describe('lint: pure-global', () => {
  it('reports Date.now() and Math.random() in raft', () => {
    const violations = lint({
      'src/raft/bad.ts': 'export function stamp(): number {\n  return Date.now();\n}\nexport function roll(): number {\n  return Math.random();\n}\n',
    });
    expect(found(violations)).toEqual(['src/raft/bad.ts:2 pure-global', 'src/raft/bad.ts:5 pure-global']);
    expect(violations.map((v) => v.col)).toEqual([10, 10]);
    expect(violations[0]?.message).toContain('Clock');
    expect(violations[1]?.message).toContain('Rng');
  });

  it('stays silent on locals, parameters and properties that share a global name, and on type positions', () => {
    const violations = lint({
      'src/raft/ok.ts': [
        'interface Ctx { Date: number; process: string; setTimeout(): void }',
        'export function f(x: Ctx, setTimeout: () => void): number {',
        '  const process = { step: 1 };',
        '  const date = { now: () => 2 };',
        '  const o = { Date: 3, fetch: 4, crypto: 5 };',
        '  x.setTimeout();',
        '  setTimeout();',
        '  const { Date: d } = x;',
        '  let when: Date | undefined;',
        '  const t: typeof Date | undefined = undefined;',
        '  return x.Date + process.step + date.now() + o.Date + d + Math.imul(2, 3) + Math.max(1, 2) + (when === undefined ? 0 : 1) + (t === undefined ? 0 : 1);',
        '}',
        'export class Timer { process = 1; Date(): number { return this.process; } }',
      ].join('\n'),
    });
    expect(found(violations)).toEqual([]);
  });

  it('reports every banned global, however it is reached, with Node types loaded as in the repo', () => {
    const violations = lint(
      {
        'src/gossip/bad.ts': [
          'export const a = new Date();', // 1
          'export const b = setTimeout(() => {}, 1);', // 2
          'export const c = process.env;', // 3
          'export const d = performance.now();', // 4
          'export const e = crypto.randomUUID();', // 5
          'export const f = globalThis.setInterval;', // 6
          'export const g = globalThis["Date"];', // 7
          'export const h = (Math).random();', // 8
          'export const i = Math["random"]();', // 9
          'const { random } = Math;', // 10
          'export const j = random;', // 11
          'export const k = new Function("return 1");', // 12
          'export const l = eval("1");', // 13
          'export const m = queueMicrotask;', // 14
          'export const n = fetch;', // 15
          'export class Later extends Date {}', // 16
        ].join('\n'),
      },
      { nodeTypes: true },
    );
    expect(found(violations)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16].map((line) => `src/gossip/bad.ts:${line} pure-global`));
  });

  it('flags a global even when its declaration is not loaded (no @types/node), but not a property of that name', () => {
    const violations = lint({
      'src/store/bad.ts': 'export function f(x: any): unknown {\n  setImmediate(() => {});\n  return [x.process, x.setImmediate, process.argv];\n}\n',
      'src/util/bad.ts': 'export const now = (): number => Date.now();\n',
    });
    expect(found(violations)).toEqual(['src/store/bad.ts:2 pure-global', 'src/store/bad.ts:3 pure-global', 'src/util/bad.ts:1 pure-global']);
  });

  it('applies only to raft, gossip, store and util', () => {
    const violations = lint(
      {
        'src/store/leveldb/db.ts': 'export const t = Date.now() + Math.random();\nexport const p = process.pid;\n',
        'src/server/driver.ts': 'export const t = setInterval(() => {}, 10);\n',
        'src/transport/clock.ts': 'export const now = () => performance.now();\n',
      },
      { nodeTypes: true },
    );
    expect(found(violations)).toEqual([]);
  });
});

describe('lint: pure-sync', () => {
  it('reports async functions, await and Promise in raft and gossip', () => {
    const violations = lint({
      'src/raft/bad.ts': 'export async function persist(): Promise<void> {\n  await 0;\n}\nexport const later = () => Promise.resolve(1);\n',
      'src/gossip/bad.ts': 'export class Member {\n  async probe(): Promise<number> { return 1; }\n}\nexport const f = async (xs: number[]) => { for await (const x of xs) void x; };\n',
    });
    expect(found(violations)).toEqual([
      'src/gossip/bad.ts:2 pure-sync', // async
      'src/gossip/bad.ts:2 pure-sync', // Promise<number>
      'src/gossip/bad.ts:4 pure-sync', // async arrow
      'src/gossip/bad.ts:4 pure-sync', // for await
      'src/raft/bad.ts:1 pure-sync', // async
      'src/raft/bad.ts:1 pure-sync', // Promise<void>
      'src/raft/bad.ts:2 pure-sync', // await
      'src/raft/bad.ts:4 pure-sync', // Promise.resolve
    ]);
  });

  it('stays silent on synchronous code and outside the sync cores', () => {
    const violations = lint({
      'src/raft/ok.ts': 'export interface Ready { promise: number }\nexport function step(r: Ready): number { const Promise = 1; return r.promise + Promise; }\n',
      'src/store/async-ok.ts': 'export async function load(): Promise<number> { return await Promise.resolve(1); }\n',
      'src/server/driver.ts': 'export async function run(): Promise<void> { await Promise.resolve(); }\n',
    });
    expect(found(violations)).toEqual([]);
  });
});

describe('lint: cycle', () => {
  it('reports a two-file cycle once, listing both files', () => {
    const violations = lint({
      'src/raft/a.ts': 'import { b } from "./b.js";\nexport const a = () => b;\n',
      'src/raft/b.ts': 'import { a } from "./a.js";\nexport const b = () => a;\n',
    });
    expect(found(violations)).toEqual(['src/raft/a.ts:1 cycle']);
    expect(violations[0]?.message).toBe('import cycle: src/raft/a.ts -> src/raft/b.ts -> src/raft/a.ts');
  });

  it('counts type-only imports, reports a longer cycle once and a self-import', () => {
    const violations = lint({
      'src/store/x.ts': 'import type { Z } from "./z.js";\nexport interface X { z?: Z }\n',
      'src/store/y.ts': 'import type { X } from "./x.js";\nexport interface Y { x?: X }\n',
      'src/store/z.ts': 'import type { Y } from "./y.js";\nexport interface Z { y?: Y }\n',
      'src/util/self.ts': 'export type { S } from "./self.js";\nexport interface S { s: number }\n',
    });
    expect(found(violations)).toEqual(['src/store/x.ts:1 cycle', 'src/util/self.ts:1 cycle']);
    expect(violations[0]?.message).toBe('import cycle: src/store/x.ts -> src/store/z.ts -> src/store/y.ts -> src/store/x.ts');
  });

  it('stays silent on a chain and a diamond', () => {
    const violations = lint({
      'src/raft/a.ts': 'import { b } from "./b.js";\nimport { c } from "./c.js";\nexport const a = b + c;\n',
      'src/raft/b.ts': 'import { d } from "./d.js";\nexport const b = d;\n',
      'src/raft/c.ts': 'import { d } from "./d.js";\nexport const c = d;\n',
      'src/raft/d.ts': 'export const d = 1;\n',
    });
    expect(found(violations)).toEqual([]);
  });

  it('finds the strongly connected components', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', ['e']],
      ['e', ['d']],
      ['f', ['f']],
      ['g', ['a']],
    ]);
    expect(cyclicComponents(graph)).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f']]);
  });
});

describe('lint: file-size', () => {
  it('reports a file over 600 lines, not one of exactly 600', () => {
    const lines = (n: number): string => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};\n`).join('');
    const violations = lint({ 'src/raft/long.ts': lines(601), 'src/raft/ok.ts': lines(600) });
    expect(found(violations)).toEqual(['src/raft/long.ts:601 file-size']);
    expect(countLines('a\nb\n')).toBe(2);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('')).toBe(0);
  });
});

describe('lint: banned-import', () => {
  it("reports zlib's crc32 however it is reached, and nothing else of zlib", () => {
    const violations = lint({
      'src/store/leveldb/named.ts': 'import { crc32 } from "node:zlib";\nexport const c = crc32;\n',
      'src/store/leveldb/renamed.ts': 'import { gzipSync, crc32 as c } from "zlib";\nexport const x = [gzipSync, c];\n',
      'src/store/leveldb/namespace.ts': 'import * as zlib from "node:zlib";\nexport const c = (b: Uint8Array) =>\n  zlib.crc32(b);\n',
      'src/store/leveldb/default.ts': 'import z from "node:zlib";\nexport const c = z.crc32;\n',
      'src/store/leveldb/ok.ts': 'import { gzipSync } from "node:zlib";\nimport * as zlib from "node:zlib";\nexport const x = [gzipSync, zlib.gunzipSync];\n',
    }, { nodeTypes: true });
    expect(found(violations)).toEqual([
      'src/store/leveldb/default.ts:2 banned-import',
      'src/store/leveldb/named.ts:1 banned-import',
      'src/store/leveldb/namespace.ts:3 banned-import',
      'src/store/leveldb/renamed.ts:1 banned-import',
    ]);
  });
});

describe('lint: output', () => {
  it('formats path:line:col  rule  message', () => {
    const [v] = lint({ 'src/util/bad.ts': 'export const a = 1;\nexport const t = Date.now();\n' });
    expect(v).toBeDefined();
    expect(formatViolation(v!)).toBe('src/util/bad.ts:2:18  pure-global  global Date: read time from an injected Clock (src/util/clock.ts)');
  });
});
