/**
 * npm run sim:gossip [-- --members 50,200 --seeds N --loss 0.05 --json]
 *
 * Runs the gossip scenarios (see scenarios.ts) for each pool size, with Lifeguard on and off,
 * over seeds 1..N, and prints the medians (worst in brackets) beside the targets. A seed
 * replays exactly: --members 200 --seeds 1 --start 7 reruns seed 7 alone.
 */
import { runScenario, type ScenarioResult } from './scenarios.js';

interface Args {
  members: number[];
  seeds: number;
  start: number;
  loss: number;
  suspicionMult: number | undefined;
  json: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = { members: [50, 200], seeds: 3, start: 1, loss: 0.05, suspicionMult: undefined, json: false };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--json') a.json = true;
    else if (f === '--members') a.members = argv[++i]!.split(',').map(Number);
    else if (f === '--seeds') a.seeds = Number(argv[++i]);
    else if (f === '--start') a.start = Number(argv[++i]);
    else if (f === '--loss') a.loss = Number(argv[++i]);
    else if (f === '--suspicion-mult') a.suspicionMult = Number(argv[++i]);
    else throw new Error('usage: npm run sim:gossip -- [--members 50,200] [--seeds N] [--start S] [--loss P] [--suspicion-mult M] [--json]');
  }
  if (!a.members.every((n) => Number.isInteger(n) && n >= 6)) throw new Error('--members takes sizes of at least 6');
  if (!(Number.isInteger(a.seeds) && a.seeds > 0)) throw new Error('--seeds must be a positive whole number');
  if (!(a.loss >= 0 && a.loss < 1)) throw new Error('--loss must be in [0, 1)');
  if (a.suspicionMult !== undefined && !(Number.isInteger(a.suspicionMult) && a.suspicionMult > 0)) throw new Error('--suspicion-mult must be a positive whole number');
  return a;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
};
const secs = (xs: (number | undefined)[]): string => {
  const ok = xs.filter((x): x is number => x !== undefined);
  const missing = xs.length - ok.length;
  if (ok.length === 0) return 'never';
  return `${(median(ok) / 1000).toFixed(1)} s [${(Math.max(...ok) / 1000).toFixed(1)}]${missing > 0 ? ` (${missing} never)` : ''}`;
};

function main(): void {
  const a = parse(process.argv.slice(2));
  const rows: string[] = [];
  const all: Record<string, ScenarioResult[]> = {};
  for (const members of a.members) {
    for (const lifeguard of [true, false]) {
      const results: ScenarioResult[] = [];
      for (let seed = a.start; seed < a.start + a.seeds; seed++) {
        const started = Date.now();
        results.push(runScenario({ members, seed, loss: a.loss, lifeguard, config: { suspicionMult: a.suspicionMult } }));
        process.stderr.write(`  ${members} members, Lifeguard ${lifeguard ? 'on ' : 'off'}, seed ${seed}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
      all[`${members}/${lifeguard ? 'lifeguard' : 'swim'}`] = results;
      const sum = (f: (r: ScenarioResult) => number): number => results.reduce((s, r) => s + f(r), 0);
      rows.push(
        `| ${members} | ${lifeguard ? 'on' : 'off'} | ${secs(results.map((r) => r.joinConvergedMs))} | ${secs(results.map((r) => r.crashKnownMs))} | ${(Math.min(...results.map((r) => r.crashReach)) * 100).toFixed(0)}% | ${sum((r) => r.falseDeaths)} | ${sum((r) => r.falseSuspicions)} | ${secs(results.map((r) => r.leaveKnownMs))} | ${sum((r) => r.leaveSeenAsFailed)} | ${secs(results.map((r) => r.partitionHealedMs))} | ${median(results.map((r) => r.packetsPerMemberPerSecond)).toFixed(1)} |`,
      );
    }
  }
  if (a.json) {
    console.log(JSON.stringify(all, null, 2));
    return;
  }
  console.log(`\n${a.seeds} seed(s) from ${a.start}, ${(a.loss * 100).toFixed(0)}% UDP loss, 1-10 ms delay, suspicion multiplier ${a.suspicionMult ?? 'default (4)'}; one member starved (+up to 1.5 s on everything it sends and receives) throughout.`);
  console.log('Times: median [worst] of the seeds. False deaths and suspicions: totals over the seeds, live members only.\n');
  console.log('| members | Lifeguard | join known by all | crash known by all | crash reach (min) | false deaths | false suspicions | leave known by all | leave seen as failed | partition healed | packets/member/s |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log('\nTargets (200 members, 5% loss): crash known by every member within 10 s; no false death of a member up to 3x slower than the probe timeout; a join known by all within 5 s.');
}

main();
