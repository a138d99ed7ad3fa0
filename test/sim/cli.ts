import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runSeed, runSeedProduction, type SimResult } from './simulation.js';
import { summarize, type SeedOutcome } from './summary.js';

/**
 * npm run sim -- --seeds N [--start S] [--jobs J] [--driver D]   run N seeds from S, print a summary
 * npm run sim -- --seed X [--trace] [--driver D]                 replay one seed (with its whole trace)
 *
 * --driver: `model` (the simulator's own Ready loop), `production` (the server's RaftDriver and
 * LevelRaftStorage on a simulated disk with faults), or `both` (the default: each seed twice).
 */
type Driver = 'model' | 'production';

interface Args {
  seeds: number;
  start: number;
  jobs: number;
  seed: number | undefined;
  trace: boolean;
  worker: boolean;
  drivers: readonly Driver[];
}

const USAGE = 'usage: npm run sim -- --seeds N [--start S] [--jobs J] [--driver model|production|both] | --seed X [--trace] [--driver ...]';

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: 100, start: 1, jobs: 2, seed: undefined, trace: false, worker: false, drivers: ['model', 'production'] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} needs a non-negative integer\n${USAGE}`);
      return v;
    };
    if (flag === '--seeds') args.seeds = num();
    else if (flag === '--start') args.start = num();
    else if (flag === '--jobs') args.jobs = Math.max(1, num());
    else if (flag === '--seed') args.seed = num();
    else if (flag === '--trace') args.trace = true;
    else if (flag === '--worker') args.worker = true;
    else if (flag === '--driver') {
      const d = argv[++i];
      if (d !== 'model' && d !== 'production' && d !== 'both') throw new Error(`--driver is model, production or both, not ${JSON.stringify(d ?? '')}\n${USAGE}`);
      args.drivers = d === 'both' ? ['model', 'production'] : [d];
    }
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  return args;
}

function runOne(seed: number, driver: Driver, trace = false): Promise<SimResult> {
  return driver === 'model' ? Promise.resolve(runSeed(seed, { trace })) : runSeedProduction(seed, { trace });
}

function outcome(r: SimResult): SeedOutcome {
  return { seed: r.seed, ok: r.ok, property: r.property, message: r.message, stats: r.stats };
}

function printFailure(r: SimResult): void {
  console.log(`\nFAIL seed ${r.seed}: ${r.property} (${r.driver} driver)`);
  console.log(`  ${r.message}`);
  console.log(`  scenario: ${r.scenario}`);
  if (r.trace !== undefined) console.log(`--- trace (last lines) ---\n${r.trace}\n--- end of trace ---`);
  console.log(`  replay: npm run sim -- --seed ${r.seed} --driver ${r.driver} --trace`);
}

/** Runs seeds in [from, to) in this process, reporting each outcome to the parent. */
async function runWorker(from: number, to: number, drivers: readonly Driver[]): Promise<void> {
  for (let s = from; s < to; s++) {
    for (const driver of drivers) {
      const r = await runOne(s, driver);
      process.send!({ driver, outcome: outcome(r), failure: r.ok ? undefined : r });
    }
  }
  process.disconnect();
}

async function runMany(args: Args): Promise<number> {
  const began = performance.now();
  const outcomes = new Map<Driver, SeedOutcome[]>(args.drivers.map((d) => [d, []]));
  let reported = 0;
  const failures: SimResult[] = [];
  const end = args.start + args.seeds;
  const jobs = Math.min(args.jobs, args.seeds);
  const per = Math.ceil(args.seeds / jobs);
  const self = fileURLToPath(import.meta.url);
  await Promise.all(
    Array.from({ length: jobs }, (_, j) => {
      const from = args.start + j * per;
      const to = Math.min(end, from + per);
      return new Promise<void>((resolve, reject) => {
        const driverFlag = args.drivers.length === 2 ? 'both' : args.drivers[0]!;
        const child = fork(self, ['--worker', '--start', String(from), '--seeds', String(to - from), '--driver', driverFlag], { execArgv: process.execArgv });
        child.on('message', (msg: { driver: Driver; outcome: SeedOutcome; failure?: SimResult }) => {
          outcomes.get(msg.driver)!.push(msg.outcome);
          if (msg.failure !== undefined) failures.push(msg.failure);
          if (++reported % 500 === 0) process.stderr.write(`  ${reported}/${args.seeds * args.drivers.length} runs\n`);
        });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker for seeds ${from}..${to - 1} exited with ${code}`))));
      });
    }),
  );
  failures.sort((a, b) => a.seed - b.seed);
  for (const f of failures.slice(0, 3)) printFailure(f);
  const wallSeconds = (performance.now() - began) / 1000;
  for (const [driver, list] of outcomes) console.log(summarize(list, wallSeconds, jobs, driver));
  return failures.length === 0 ? 0 : 1;
}

async function replay(seed: number, trace: boolean, drivers: readonly Driver[]): Promise<number> {
  let failed = 0;
  for (const driver of drivers) {
    const r = await runOne(seed, driver, trace);
    if (trace && r.ok) console.log(`--- trace of seed ${seed} (${driver} driver) ---\n${r.trace ?? ''}\n--- end of trace ---`);
    if (!r.ok) {
      failed++;
      printFailure(r);
    } else console.log(`seed ${seed}: ok (${driver} driver)  ${r.scenario}\n  ${JSON.stringify(r.stats)}`);
  }
  return failed === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) {
    await runWorker(args.start, args.start + args.seeds, args.drivers);
    return 0;
  }
  if (args.seed !== undefined) return replay(args.seed, args.trace, args.drivers);
  return runMany(args);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  },
);
