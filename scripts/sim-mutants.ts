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

interface Mutant {
  readonly name: string;
  readonly bug: string;
  readonly edits: readonly { file: string; find: string; replace: string }[];
}

const MUTANTS: readonly Mutant[] = [
  {
    name: 'commit-previous-term',
    bug: '(a) count replicas of previous-term entries for commit (no Figure 8 rule)',
    edits: [
      {
        file: 'src/raft/replication.ts',
        find: 'if (mci <= r.log.committed || r.log.term(mci) !== r.term) return false;',
        replace: 'if (mci <= r.log.committed) return false;',
      },
    ],
  },
  {
    name: 'two-votes-per-term',
    bug: '(b) grant a vote to every candidate with an up-to-date log, even after voting in that term',
    edits: [
      {
        file: 'src/raft/election.ts',
        find: 'const canVote = r.vote === m.from ||',
        replace: 'const canVote = true ||',
      },
    ],
  },
  {
    name: 'skip-log-check',
    bug: '(c) grant votes without checking that the candidate log is at least as up-to-date',
    edits: [
      {
        file: 'src/raft/election.ts',
        find: 'if (canVote && r.log.isUpToDate(m.index, m.logTerm)) {',
        replace: 'if (canVote) {',
      },
    ],
  },
  {
    name: 'ack-before-persist',
    bug: '(d) send the Ready messages (vote grants, append acknowledgements) before the write is durable',
    edits: [
      {
        file: 'test/sim/sim-node.ts',
        find: "    // 2. Send.\n    for (const m of rd.messages) if (!(this.sentEarly && m.type === 'app')) this.host.send(m);\n",
        replace: '',
      },
      {
        file: 'test/sim/sim-node.ts',
        find: '    this.writing = true;\n',
        replace: '    for (const m of rd.messages) host.send(m);\n    this.writing = true;\n',
      },
    ],
  },
  {
    name: 'conf-change-before-own-commit',
    bug: '(e) let a new leader change membership before it has committed an entry of its term',
    edits: [
      {
        file: 'src/raft/raft.ts',
        find: 'if (this.log.term(this.log.committed) !== this.term) {',
        replace: 'if (false) {',
      },
    ],
  },
  {
    name: 'two-pending-conf-changes',
    bug: '(f) allow a second membership change while one is uncommitted',
    edits: [
      {
        file: 'src/raft/raft.ts',
        find: 'if (this.confs.currentIndex() > this.log.committed) {',
        replace: 'if (false) {',
      },
    ],
  },
  // Bugs in the server's own RaftDriver, caught by the production-driver runs (test/sim/server).
  {
    name: 'driver-ack-before-fsync',
    bug: '(g) the driver sends a Ready\'s messages (votes, append acknowledgements) before its write is durable',
    edits: [
      {
        file: 'src/server/raft-driver.ts',
        find: "const early = node.role === 'leader' ? rd.messages.filter(mayLeaveBeforePersist) : [];",
        replace: 'const early = rd.messages.slice();',
      },
      {
        file: 'src/server/raft-driver.ts',
        find: 'this.d.send(early.length > 0 ? rd.messages.filter((m) => !mayLeaveBeforePersist(m)) : rd.messages);',
        replace: '',
      },
    ],
  },
  {
    name: 'driver-apply-before-commit',
    bug: '(h) the driver applies the entries it appends, before they are committed',
    edits: [
      {
        file: 'src/server/raft-driver.ts',
        find: 'if (rd.committedEntries.length > 0) this.d.apply.enqueue(rd.committedEntries);',
        replace: 'if (rd.entries.length > 0) this.d.apply.enqueue(rd.entries);',
      },
    ],
  },
  {
    name: 'driver-skip-fsync',
    bug: '(i) the driver never asks for an fsync (acknowledged entries sit in the page cache)',
    edits: [
      {
        file: 'src/server/raft-driver.ts',
        find: "await this.durably('persist', () => storage.persist(write, rd.mustSync));",
        replace: "await this.durably('persist', () => storage.persist(write, false));",
      },
    ],
  },
  // Bugs in the server's Applier, caught by the production-driver runs through its state checks.
  {
    name: 'applier-compact-without-sync',
    bug: '(j) the Applier lets the Raft log be compacted without first syncing the state (a power loss then loses applied entries the log no longer has)',
    edits: [
      {
        file: 'src/server/applier.ts',
        find: `this.d.state
        .sync()`,
        replace: 'Promise.resolve()',
      },
    ],
  },
];

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
