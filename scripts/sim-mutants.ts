/**
 * Proves the tests have teeth: plants one known bug at a time in a scratch copy of the tree,
 * runs the simulator's seed sweep and the hand-built scenario tests against it, and reports the
 * first seed that catches it, the property it broke, and the scenarios that fail. Exits 1 if a
 * bug escapes both. The working tree is never modified.
 *
 *   npm run sim:mutants [-- --seeds N] [--only name]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { MUTANTS, type Mutant } from './sim-mutant-list.js';

function parseArgs(argv: string[]): { seeds: number; only: string | undefined } {
  let seeds = 1000;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seeds') seeds = Number(argv[++i]);
    else if (argv[i] === '--only') only = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run sim:mutants -- [--seeds N] [--only name]`);
  }
  if (!Number.isInteger(seeds) || seeds <= 0) throw new Error('--seeds needs a positive integer');
  return { seeds, only };
}

function plant(root: string, mutant: Mutant): string {
  const dir = mkdtempSync(join(tmpdir(), `roster-mutant-${mutant.name}-`));
  for (const part of ['src', 'test', 'package.json', 'tsconfig.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  for (const edit of mutant.edits) {
    const path = join(dir, edit.file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(edit.find)) throw new Error(`mutant ${mutant.name}: anchor not found in ${edit.file}: ${JSON.stringify(edit.find)}`);
    writeFileSync(path, text.replace(edit.find, edit.replace));
  }
  return dir;
}

function main(): number {
  const { seeds, only } = parseArgs(process.argv.slice(2));
  const root = resolve(import.meta.dirname, '..');
  const rows: string[] = [];
  let escaped = 0;
  for (const mutant of MUTANTS) {
    if (only !== undefined && mutant.name !== only) continue;
    const dir = plant(root, mutant);
    try {
      const began = performance.now();
      const run = spawnSync('npx', ['tsx', 'test/sim/cli.ts', '--seeds', String(seeds)], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const seconds = ((performance.now() - began) / 1000).toFixed(1);
      const out = run.stdout;
      const scenarios = spawnSync('npx', ['vitest', 'run', 'test/raft'], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      });
      const failedScenarios = [...new Set([...`${scenarios.stdout ?? ''}\n${scenarios.stderr ?? ''}`.matchAll(/^\s*FAIL\s+\S+ > (.+)$/gm)].map((m) => m[1]!.split(' > ').pop()!.trim()))];
      const failures = [...out.matchAll(/^FAIL seed (\d+): (.+)$/gm)].map((m) => ({ seed: Number(m[1]), property: m[2]! }));
      const summary = [...out.matchAll(/^simulator \(.*$/gm)].map((m) => m[0]).join('; ') || '(no summary)';
      const failedCount = [...summary.matchAll(/(\d+) failed/g)].reduce((n, m) => n + Number(m[1]), 0);
      const scenarioLine =
        failedScenarios.length > 0
          ? `            scenario tests that fail: ${failedScenarios.map((t) => `"${t}"`).join(', ')}`
          : '            no scenario test fails';
      if (failures.length === 0) {
        if (failedScenarios.length === 0) escaped++;
        rows.push(`${failedScenarios.length === 0 ? 'NOT CAUGHT' : 'scenarios '}  ${mutant.name}: ${mutant.bug}\n            simulator misses it: ${summary} (${seconds}s)\n${scenarioLine}`);
      } else {
        const first = failures[0]!;
        const props = [...new Set([...out.matchAll(/FAILED (.+?): (\d+) seeds/g)].map((m) => `${m[1]} x${m[2]}`))].join(', ');
        rows.push(
          `caught      ${mutant.name}: ${mutant.bug}\n            simulator: first seed ${first.seed} (${first.property}); ${failedCount}/${seeds} seeds fail: ${props} (${seconds}s)\n${scenarioLine}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(rows.join('\n'));
  return escaped === 0 ? 0 : 1;
}

process.exitCode = main();
