/**
 * The lint's own rules, on fixtures: the cores' purity (ESLint, eslint.config.mjs) and the import
 * boundaries, pure imports and cycles (dependency-cruiser, .dependency-cruiser.mjs). Each case
 * plants a violation the rule must report and a look-alike it must not.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDARIES } from '../../scripts/lint/boundaries.mjs';

const REPO = path.resolve(import.meta.dirname, '../..');
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

// The purity rules need no type information: lint fixture text as if it lived at a path in src/.
const eslint = new ESLint({ cwd: REPO, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });
const PURITY_RULES = new Set(['no-restricted-globals', 'no-restricted-properties', 'no-restricted-syntax', 'no-restricted-imports', 'max-lines', '@typescript-eslint/triple-slash-reference']);

/** "line rule" for each purity problem ESLint reports in `code` placed at `filePath`. */
async function purity(filePath: string, lines: readonly string[]): Promise<string[]> {
  const [result] = await eslint.lintText(lines.join('\n'), { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && PURITY_RULES.has(m.ruleId)).map((m) => `${m.line} ${m.ruleId}`);
}

/** Writes a throwaway project and runs dependency-cruiser on its src/ with the repo's rules. */
function cruise(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-lint-'));
  tempDirs.push(dir);
  const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, verbatimModuleSyntax: true, types: [] };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const bin = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const run = spawnSync(process.execPath, [bin, 'src', '--config', path.join(REPO, '.dependency-cruiser.mjs'), '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  const report = JSON.parse(run.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('lint: the cores are pure (ESLint)', () => {
  it('reports clocks, timers, randomness, process and code from strings, however reached', async () => {
    expect(
      await purity('src/gossip/bad.ts', [
        'export const a = new Date();',
        'export const b = setTimeout(() => undefined, 1);',
        'export const c = process.env;',
        'export const d = performance.now();',
        'export const e = crypto.randomUUID();',
        'export const f = globalThis.setInterval;',
        'export const g = globalThis["Date"];',
        'export const h = (Math).random();',
        'export const i = Math["random"]();',
        'export const { random } = Math;',
        'export const k = new Function("return 1");',
        'export const l = eval("1");',
        'export const n = fetch;',
        'export const o = (m: string) => import(m);',
      ]),
    ).toEqual([
      '1 no-restricted-globals',
      '2 no-restricted-globals',
      '3 no-restricted-globals',
      '4 no-restricted-globals',
      '5 no-restricted-globals',
      '6 no-restricted-properties',
      '7 no-restricted-properties',
      '8 no-restricted-properties',
      '9 no-restricted-properties',
      '10 no-restricted-properties',
      '11 no-restricted-globals',
      '12 no-restricted-globals',
      '13 no-restricted-globals',
      '14 no-restricted-syntax',
    ]);
  });

  it('stays silent on locals, parameters and properties that share a global name, and on types', async () => {
    expect(
      await purity('src/raft/ok.ts', [
        'interface Ctx { Date: number; process: string; setTimeout(): void }',
        'export function f(x: Ctx, setTimeout: () => void, when: Date | undefined): number {',
        '  const process = { step: 1 };',
        '  const o = { Date: 3, fetch: 4, crypto: 5 };',
        '  setTimeout();',
        '  x.setTimeout();',
        '  return x.Date + process.step + o.Date + Math.imul(2, 3) + (when === undefined ? 0 : 1);',
        '}',
      ]),
    ).toEqual([]);
  });

  it('raft and gossip are synchronous: no async, await or Promise, in values or types; store may wait', async () => {
    const lines = ['export async function w(): Promise<void> { await Promise.resolve(); }', 'export type P = Promise<number>;', 'export async function* g() { for await (const x of [1]) yield x; }'];
    expect(await purity('src/raft/sync.ts', lines)).toEqual([
      '1 no-restricted-syntax', // async
      '1 no-restricted-syntax', // Promise<void>
      '1 no-restricted-syntax', // await
      '1 no-restricted-globals', // Promise.resolve
      '2 no-restricted-syntax',
      '3 no-restricted-syntax', // async
      '3 no-restricted-syntax', // for await
    ]);
    expect(await purity('src/store/async.ts', lines)).toEqual([]);
  });

  it('store/leveldb and the drivers may use the clock; util may not', async () => {
    expect(await purity('src/store/leveldb/io.ts', ['export const t = Date.now();'])).toEqual([]);
    expect(await purity('src/server/clock.ts', ['export const t = Date.now();'])).toEqual([]);
    expect(await purity('src/util/clock.ts', ['export const t = Date.now();'])).toEqual(['1 no-restricted-globals']);
  });

  it("bans zlib's crc32 anywhere in src, and files over 600 lines", async () => {
    expect(await purity('src/server/a.ts', ['import { crc32 } from "node:zlib";', 'import zlib from "zlib";', 'import { gzipSync } from "node:zlib";', 'export const x = [crc32, zlib, gzipSync];'])).toEqual([
      '1 no-restricted-imports',
      '2 no-restricted-imports',
    ]);
    const long = Array.from({ length: 601 }, (_, i) => `export const v${i} = ${i};`);
    expect(await purity('src/server/long.ts', long)).toEqual(['601 max-lines']);
    expect(await purity('src/server/long.ts', long.slice(0, 600))).toEqual([]);
  });
});

const RAFT_TYPES = 'export interface Entry { term: number }\nexport const FIRST = 1;\n';

describe('lint: imports (dependency-cruiser)', () => {
  it('a tree that keeps every boundary is clean', () => {
    expect(
      cruise({
        'src/util/ids.ts': 'export type NodeId = string;\n',
        'src/raft/types.ts': 'import type { NodeId } from "../util/ids.js";\nexport interface Entry { term: number; from: NodeId }\nexport const FIRST = 1;\n',
        'src/store/apply.ts': 'import type { Entry } from "../raft/types.js";\nexport type { Entry as RaftEntry } from "../raft/types.js";\nexport function apply(e: Entry): number { return e.term; }\n',
        'src/store/leveldb/log.ts': 'import fs from "node:fs";\nimport { FIRST } from "../../raft/types.js";\nimport { apply } from "../apply.js";\nexport const x = [fs, FIRST, apply];\n',
        'src/cmd/main.ts': 'import { x } from "../store/leveldb/log.js";\nexport const y = x;\n',
      }),
    ).toEqual([]);
  });

  it('reports value imports across a type-only boundary, forbidden folders and subfolders with rows of their own', () => {
    expect(
      cruise({
        'src/raft/types.ts': RAFT_TYPES,
        'src/util/bad.ts': 'import { FIRST } from "../raft/types.js";\nexport const x = FIRST;\n',
        'src/store/value.ts': 'import { FIRST } from "../raft/types.js";\nexport const x = FIRST;\n',
        'src/store/mixed.ts': 'import { type Entry, FIRST } from "../raft/types.js";\nexport const f = (e: Entry) => e.term + FIRST;\n',
        'src/store/typed.ts': 'import type { Entry } from "../raft/types.js";\nexport const f = (e: Entry) => e.term;\n',
        'src/store/leveldb/db.ts': 'export const db = 1;\n',
        'src/store/kv/reach.ts': 'import { db } from "../leveldb/db.js";\nexport const r = db;\n',
        'src/agent/a.ts': 'export const agent = 1;\n',
        'src/server/s.ts': 'export const server = 1;\n',
        'src/agent/bad.ts': 'import { server } from "../server/s.js";\nexport const x = server;\n',
        'src/server/ok.ts': 'import { agent } from "../agent/a.js";\nexport const x = agent;\n',
      }),
    ).toEqual([
      'boundary-agent: src/agent/bad.ts -> src/server/s.ts',
      'boundary-store-type-only: src/store/mixed.ts -> src/raft/types.ts',
      'boundary-store-type-only: src/store/value.ts -> src/raft/types.ts',
      'boundary-store: src/store/kv/reach.ts -> src/store/leveldb/db.ts',
      'boundary-util: src/util/bad.ts -> src/raft/types.ts',
    ]);
  });

  it('the cores import no package or builtin (type-only too); util no builtin; no cycles; no folder without a row', () => {
    expect(
      cruise({
        'src/raft/io.ts': 'import fs from "node:fs";\nexport const x = fs;\n',
        'src/raft/typed.ts': 'import type { Stats } from "node:fs";\nexport type S = Stats;\n',
        'src/raft/dynamic.ts': 'export const load = () => import("node:os");\n',
        'src/gossip/a.ts': 'import { b } from "./b.js";\nexport const a = (): number => b() + 1;\n',
        'src/gossip/b.ts': 'import { a } from "./a.js";\nexport const b = (): number => a() - 1;\n',
        'src/util/io.ts': 'import { join } from "path";\nexport const j = join;\n',
        'src/store/leveldb/ok.ts': 'import fs from "node:fs";\nexport const ok = fs;\n',
        'src/misc/x.ts': 'import { j } from "../util/io.js";\nexport const m = j;\n',
        'src/cmd/y.ts': 'import { m } from "../misc/x.js";\nexport const y = m;\n',
      }),
    ).toEqual([
      'cycle: src/gossip/a.ts -> src/gossip/b.ts',
      'folder-without-boundaries: src/misc/x.ts -> src/util/io.ts',
      'import-of-folder-without-boundaries: src/cmd/y.ts -> src/misc/x.ts',
      'pure-raft: src/raft/dynamic.ts -> os',
      'pure-raft: src/raft/io.ts -> fs',
      'pure-raft: src/raft/typed.ts -> fs',
      'pure-util: src/util/io.ts -> path',
    ]);
  });
});

describe('lint: the boundary table', () => {
  it('has a row for every folder directly under src/, and rows name only known folders', () => {
    const folders = new Set(Object.keys(BOUNDARIES));
    for (const name of fs.readdirSync(path.join(REPO, 'src'), { withFileTypes: true })) {
      if (name.isDirectory()) expect(folders.has(name.name), `src/${name.name} needs a row in scripts/lint/boundaries.mjs`).toBe(true);
    }
    for (const row of Object.values(BOUNDARIES)) for (const key of Object.keys(row)) if (key !== '*') expect(folders.has(key), key).toBe(true);
  });
});
