/**
 * npm run sim:gossip [-- --members 50,200 --seeds N --start S --loss 0.05 --profile lan|fast-lan
 *   --suspicion-mult M --suspicion-k K --suspicion-max-mult X --lifeguard both|on|off --slow-x F
 *   --breakdown --json]
 *
 * Runs the gossip scenarios (see scenarios.ts) for each pool size, with Lifeguard on and off,
 * over seeds S..S+N-1, and prints the medians (worst in brackets) with each target judged on the
 * worst seed. A seed replays exactly: --members 200 --seeds 1 --start 7 reruns seed 7 alone.
 * --profile picks a named gossip profile (src/gossip/config.ts); the --suspicion-* flags
 * override single values on top of it.
 */
import { GOSSIP_PROFILES, resolveGossipConfig, suspicionBoundsMs, suspicionConfirmations, type GossipConfig, type GossipProfile } from '../../../src/gossip/config.js';
import { runScenario, type ScenarioResult } from './scenarios.js';

interface Args {
  members: number[];
  seeds: number;
  start: number;
  loss: number;
  profile: GossipProfile;
  overrides: Partial<GossipConfig>;
  lifeguard: boolean[];
  slowX: number;
  json: boolean;
  breakdown: boolean;
}

const USAGE = 'usage: npm run sim:gossip -- [--members 50,200] [--seeds N] [--start S] [--loss P] [--profile lan|fast-lan] [--suspicion-mult M] [--suspicion-k K] [--suspicion-max-mult X] [--lifeguard both|on|off] [--slow-x F] [--breakdown] [--json]';

function parse(argv: string[]): Args {
  const a: Args = { members: [50, 200], seeds: 3, start: 1, loss: 0.05, profile: 'lan', overrides: {}, lifeguard: [true, false], slowX: 3, json: false, breakdown: false };
  const o: { -readonly [K in keyof GossipConfig]?: GossipConfig[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${f} needs a value\n${USAGE}`);
      return x;
    };
    if (f === '--json') a.json = true;
    else if (f === '--breakdown') a.breakdown = true;
    else if (f === '--members') a.members = v().split(',').map(Number);
    else if (f === '--seeds') a.seeds = Number(v());
    else if (f === '--start') a.start = Number(v());
    else if (f === '--loss') a.loss = Number(v());
    else if (f === '--slow-x') a.slowX = Number(v());
    else if (f === '--profile') {
      const p = v();
      if (!(p in GOSSIP_PROFILES)) throw new Error(`--profile: one of ${Object.keys(GOSSIP_PROFILES).join(', ')}`);
      a.profile = p as GossipProfile;
    } else if (f === '--lifeguard') {
      const l = v();
      if (!['both', 'on', 'off'].includes(l)) throw new Error('--lifeguard: both, on or off');
      a.lifeguard = l === 'both' ? [true, false] : [l === 'on'];
    } else if (f === '--suspicion-mult') o.suspicionMult = Number(v());
    else if (f === '--suspicion-k') o.suspicionConfirmations = Number(v());
    else if (f === '--suspicion-max-mult') o.suspicionMaxTimeoutMult = Number(v());
    else throw new Error(USAGE);
  }
  a.overrides = o;
  if (!a.members.every((n) => Number.isInteger(n) && n >= 6)) throw new Error('--members takes sizes of at least 6');
  if (!(Number.isInteger(a.seeds) && a.seeds > 0)) throw new Error('--seeds must be a positive whole number');
  if (!(a.loss >= 0 && a.loss < 1)) throw new Error('--loss must be in [0, 1)');
  if (!(a.slowX >= 0)) throw new Error('--slow-x must be a non-negative number');
  resolveGossipConfig({ ...GOSSIP_PROFILES[a.profile], ...a.overrides }); // refuses bad values by name
  return a;
}

/** The issue's targets, judged on the worst seed. */
const TARGET = { crashKnownMs: 10_000, joinKnownMs: 5000 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
};
const worst = (xs: (number | undefined)[]): number => (xs.some((x) => x === undefined) ? Infinity : Math.max(...(xs as number[])));
const secs = (xs: (number | undefined)[]): string => {
  const ok = xs.filter((x): x is number => x !== undefined);
  const missing = xs.length - ok.length;
  if (ok.length === 0) return 'never';
  return `${(median(ok) / 1000).toFixed(1)} s [${(Math.max(...ok) / 1000).toFixed(1)}]${missing > 0 ? ` (${missing} never)` : ''}`;
};
const s1 = (ms: number | undefined): string => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

function describe(c: GossipConfig, members: number): string {
  const { minMs } = suspicionBoundsMs(c, members);
  return `probe ${c.probeIntervalMs}/${c.probeTimeoutMs} ms, suspicion mult ${c.suspicionMult} (min ${(minMs / 1000).toFixed(1)} s at ${members}), max mult ${c.suspicionMaxTimeoutMult} (${((minMs * c.suspicionMaxTimeoutMult) / 1000).toFixed(1)} s), K ${suspicionConfirmations(c)} confirmations, retransmit mult ${c.retransmitMult}, gossip ${c.gossipIntervalMs} ms to ${c.gossipNodes}`;
}

function main(): void {
  const a = parse(process.argv.slice(2));
  const base = { ...GOSSIP_PROFILES[a.profile], ...a.overrides };
  const rows: string[] = [];
  const all: Record<string, ScenarioResult[]> = {};
  const wallStarted = Date.now();
  for (const members of a.members) {
    for (const lifeguard of a.lifeguard) {
      const results: ScenarioResult[] = [];
      for (let seed = a.start; seed < a.start + a.seeds; seed++) {
        const started = Date.now();
        results.push(runScenario({ members, seed, loss: a.loss, lifeguard, config: base, slowX: a.slowX }));
        process.stderr.write(`  ${members} members, Lifeguard ${lifeguard ? 'on ' : 'off'}, seed ${seed}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
      all[`${members}/${lifeguard ? 'lifeguard' : 'swim'}`] = results;
      const sum = (f: (r: ScenarioResult) => number): number => results.reduce((s, r) => s + f(r), 0);
      const crashOk = worst(results.map((r) => r.crashKnownMs)) <= TARGET.crashKnownMs;
      const deathsOk = sum((r) => r.falseDeaths) === 0;
      const joinOk = worst(results.map((r) => r.joinConvergedMs)) <= TARGET.joinKnownMs;
      const closest = Math.min(...results.map((r) => r.slow.closestCallMs ?? Infinity));
      const worstRefute = Math.max(...results.map((r) => r.slow.worstRefuteMs ?? 0));
      rows.push(
        `| ${members} | ${lifeguard ? 'on' : 'off'} | ${secs(results.map((r) => r.crashKnownMs))} | ${verdict(crashOk)} | ${sum((r) => r.falseDeaths)} (${sum((r) => r.slow.deaths)}) | ${verdict(deathsOk)} | ${secs(results.map((r) => r.joinConvergedMs))} | ${verdict(joinOk)} | ${(Math.min(...results.map((r) => r.crashReach)) * 100).toFixed(0)}% | ${sum((r) => r.slow.suspected)} (${sum((r) => r.slow.suspicions)}) | ${s1(worstRefute)} s | ${Number.isFinite(closest) ? `${s1(closest)} s` : '-'} | ${sum((r) => r.falseSuspicions)} | ${secs(results.map((r) => r.leaveKnownMs))} | ${sum((r) => r.leaveSeenAsFailed)} | ${secs(results.map((r) => r.partitionHealedMs))} | ${median(results.map((r) => r.packetsPerMemberPerSecond)).toFixed(1)} |`,
      );
    }
  }
  if (a.json) {
    console.log(JSON.stringify(all, null, 2));
    return;
  }
  const cfg = resolveGossipConfig(base);
  const overridden = Object.keys(a.overrides).length > 0 ? ` with ${JSON.stringify(a.overrides)}` : '';
  console.log(`\nProfile ${a.profile}${overridden}: ${describe(cfg, Math.max(...a.members))}.`);
  console.log(`${a.seeds} seed(s) from ${a.start}, ${(a.loss * 100).toFixed(0)}% UDP loss, 1-10 ms delay; one member starved throughout (reads each packet up to ${a.slowX}x the probe timeout = ${(a.slowX * cfg.probeTimeoutMs) / 1000} s late, its timers as late), watched ${s1(Math.min(...Object.values(all).flat().map((r) => r.slowWatchedMs)))} s or more per seed. Wall time ${((Date.now() - wallStarted) / 1000).toFixed(0)} s.`);
  console.log('Times: median [worst] of the seeds. Targets judged on the worst seed: (a) crash known by every live member within 10 s; (b) no live member declared dead (the starved one\'s share in brackets); (c) a join known by all within 5 s.\n');
  console.log('| members | Lifeguard | crash known by all | (a) ≤10 s | false deaths (starved) | (b) none | join known by all | (c) ≤5 s | crash reach at 15 s (min) | starved: suspected (suspicions held) | starved: slowest refutation | starved: closest call (timer left) | false suspicions | leave known by all | leave seen as failed | partition healed | packets/member/s |');
  console.log('|---:|---|---:|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  const deaths = Object.entries(all).flatMap(([run, rs]) => rs.flatMap((r) => r.falseDeathDetail.map((d) => `${run} seed ${r.seed}: ${d}`)));
  if (deaths.length > 0) console.log(`\nFalse deaths: ${deaths.join('; ')}.`);
  if (a.breakdown) printBreakdown(all);
}

/** Per seed: where the crash's detection time went. */
function printBreakdown(all: Record<string, ScenarioResult[]>): void {
  console.log("\nCrash breakdown, per seed (seconds from the crash): first suspicion; members whose own failed probe was counted before the first death (first 4); the first declarer's suspicion start, confirmations counted of K expected (with when), the timeout that gave and how long it actually waited; first death; members that declared on their own timer; dissemination to all; known by all.\n");
  console.log('| run | seed | first suspect | detections (first 4) | declarer start | confirmations | timeout applied | waited | first dead | own timer | dissemination | known by all |');
  console.log('|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const [run, results] of Object.entries(all)) {
    for (const r of results) {
      const c = r.crash;
      const det = `${c.detections.length}: ${c.detections.slice(0, 4).map((d) => s1(d.ms)).join(', ')}`;
      const conf = `${c.declarerConfirmationsMs.length}/${c.declarerExpected ?? '-'}${c.declarerConfirmationsMs.length > 0 ? ` @ ${c.declarerConfirmationsMs.map(s1).join(', ')}` : ''}`;
      console.log(`| ${run} | ${r.seed} | ${s1(c.firstSuspectMs)} | ${det} | ${s1(c.declarerStartMs)} | ${conf} | ${s1(c.declarerTimeoutMs)} | ${s1(c.declarerWaitedMs)} | ${s1(c.firstDeadMs)} | ${c.ownTimer} | ${s1(c.disseminationMs)} | ${s1(r.crashKnownMs)} |`);
    }
  }
}

main();
