import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runSeed, type SimResult } from './simulation.js';
import { summarize, type SeedOutcome } from './summary.js';

/**
 * npm run sim -- --seeds N [--start S] [--jobs J]   run N seeds from S and print a summary
 * npm run sim -- --seed X [--trace]                  replay one seed (with its whole trace)
 */
interface Args {
  seeds: number;
  start: number;
  jobs: number;
  seed: number | undefined;
  trace: boolean;
  worker: boolean;
}

const USAGE = 'usage: npm run sim -- --seeds N [--start S] [--jobs J] | --seed X [--trace]';

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: 100, start: 1, jobs: 2, seed: undefined, trace: false, worker: false };
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
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  return args;
}

function outcome(r: SimResult): SeedOutcome {
  return { seed: r.seed, ok: r.ok, property: r.property, message: r.message, stats: r.stats };
}

function printFailure(r: SimResult): void {
  console.log(`\nFAIL seed ${r.seed}: ${r.property}`);
  console.log(`  ${r.message}`);
  console.log(`  scenario: ${r.scenario}`);
  if (r.trace !== undefined) console.log(`--- trace (last lines) ---\n${r.trace}\n--- end of trace ---`);
  console.log(`  replay: npm run sim -- --seed ${r.seed} --trace`);
}

/** Runs seeds in [from, to) in this process, reporting each outcome to the parent. */
function runWorker(from: number, to: number): void {
  for (let s = from; s < to; s++) {
    const r = runSeed(s);
    process.send!({ outcome: outcome(r), failure: r.ok ? undefined : r });
  }
  process.disconnect();
}

async function runMany(args: Args): Promise<number> {
  const began = performance.now();
  const outcomes: SeedOutcome[] = [];
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
        const child = fork(self, ['--worker', '--start', String(from), '--seeds', String(to - from)], { execArgv: process.execArgv });
        child.on('message', (msg: { outcome: SeedOutcome; failure?: SimResult }) => {
          outcomes.push(msg.outcome);
          if (msg.failure !== undefined) failures.push(msg.failure);
          if (outcomes.length % 500 === 0) process.stderr.write(`  ${outcomes.length}/${args.seeds} seeds\n`);
        });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker for seeds ${from}..${to - 1} exited with ${code}`))));
      });
    }),
  );
  failures.sort((a, b) => a.seed - b.seed);
  for (const f of failures.slice(0, 3)) printFailure(f);
  const wallSeconds = (performance.now() - began) / 1000;
  console.log(summarize(outcomes, wallSeconds, jobs));
  return failures.length === 0 ? 0 : 1;
}

function replay(seed: number, trace: boolean): number {
  const r = runSeed(seed, { trace });
  if (trace && r.ok) console.log(`seed ${seed} passed; run with a failing seed to see its trace`);
  if (!r.ok) printFailure(r);
  else console.log(`seed ${seed}: ok  ${r.scenario}\n  ${JSON.stringify(r.stats)}`);
  return r.ok ? 0 : 1;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) {
    runWorker(args.start, args.start + args.seeds);
    return 0;
  }
  if (args.seed !== undefined) return replay(args.seed, args.trace);
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
