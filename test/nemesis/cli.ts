/**
 * `npm run test:nemesis -- [--servers 3] [--seconds 60] [--reads linearizable|serializable]
 *   [--clients 8] [--keys 8] [--seed N] [--faults kill,pause,isolate,split] [--out DIR]`
 *
 * Exit status: 0 when the history is linearizable; with --reads serializable (the negative
 * control: stale reads allowed by design) 0 when the checker flags it. 1 otherwise, 2 when the
 * checker ran out of time, 64 on bad arguments.
 */
import { FAULT_KINDS, type FaultKind } from './faults.js';
import { runNemesisTest } from './run.js';

interface Args {
  servers: number;
  seconds: number;
  reads: 'linearizable' | 'serializable';
  clients: number;
  keys: number;
  seed: number | undefined;
  faults: FaultKind[] | undefined;
  out: string | undefined;
}

function usage(message: string): never {
  console.error(`test:nemesis: ${message} (usage: npm run test:nemesis -- --servers 3 --seconds 60 [--reads serializable])`);
  process.exit(64);
}

function intFlag(name: string, text: string | undefined, min: number, max: number): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < min || n > max) usage(`--${name} wants a whole number from ${min} to ${max}, not ${JSON.stringify(text ?? '')}`);
  return n;
}

function parse(argv: readonly string[]): Args {
  const a: Args = { servers: 3, seconds: 60, reads: 'linearizable', clients: 8, keys: 8, seed: undefined, faults: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    switch (flag) {
      case '--servers':
        a.servers = intFlag('servers', value, 3, 7);
        break;
      case '--seconds':
        a.seconds = intFlag('seconds', value, 5, 3600);
        break;
      case '--clients':
        a.clients = intFlag('clients', value, 1, 64);
        break;
      case '--keys':
        a.keys = intFlag('keys', value, 1, 64);
        break;
      case '--seed':
        a.seed = intFlag('seed', value, 0, 2 ** 31 - 1);
        break;
      case '--reads':
        if (value !== 'linearizable' && value !== 'serializable') usage(`--reads is linearizable or serializable, not ${JSON.stringify(value ?? '')}`);
        a.reads = value;
        break;
      case '--faults': {
        const kinds = (value ?? '').split(',');
        const bad = kinds.find((k) => !(FAULT_KINDS as readonly string[]).includes(k));
        if (bad !== undefined) usage(`--faults takes a list of ${FAULT_KINDS.join(', ')}; ${JSON.stringify(bad)} is none of them`);
        a.faults = kinds as FaultKind[];
        break;
      }
      case '--out':
        if (value === undefined) usage('--out wants a directory');
        a.out = value;
        break;
      default:
        usage(`unknown flag ${JSON.stringify(flag)}`);
    }
  }
  return a;
}

const args = parse(process.argv.slice(2));
let emergency: (() => void) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`test:nemesis: ${signal}: healing partitions and ending the servers`);
    emergency?.();
    process.exit(130);
  });
}
const control = args.reads === 'serializable';
const result = await runNemesisTest({
  servers: args.servers,
  seconds: args.seconds,
  reads: args.reads,
  clients: args.clients,
  keys: args.keys,
  hostBase: 190,
  ...(args.seed !== undefined ? { seed: args.seed } : {}),
  ...(args.faults !== undefined ? { faults: args.faults } : {}),
  ...(args.out !== undefined ? { outDir: args.out } : {}),
  ...(control ? { faults: ['isolate'] as FaultKind[] } : {}),
  onCleanup: (fn) => (emergency = fn),
});
console.log(result.summary);
const verdict = result.check.verdict;
if (control) {
  console.log(verdict === 'not-linearizable' ? 'negative control: serializable reads under partitions were flagged, as they must be' : `negative control FAILED: serializable reads under partitions came out ${verdict}`);
  process.exitCode = verdict === 'not-linearizable' ? 0 : 1;
} else {
  process.exitCode = verdict === 'linearizable' ? 0 : verdict === 'unknown' ? 2 : 1;
}
