import { RosterError } from './errors.js';
import { boolFlagValue, intFlagValue } from './flag-values.js';

export interface FlagSpec {
  readonly [flag: string]: { readonly kind: 'string' | 'int' | 'bool'; readonly help: string };
}

export type FlagValues = Record<string, string | number | boolean>;

/** Parses --flag value / --flag=value / --bool; unknown flags and bad values are clear errors. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): FlagValues {
  const out: FlagValues = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new RosterError('INVALID_ARGUMENT', `unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (s === undefined) throw new RosterError('INVALID_ARGUMENT', `unknown flag --${name} (see --help)`);
    if (s.kind === 'bool') {
      const v = eq < 0 ? 'true' : arg.slice(eq + 1);
      const b = boolFlagValue(v);
      if (b === undefined) throw new RosterError('INVALID_ARGUMENT', `--${name} is true or false, got "${v}"`);
      out[name] = b;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new RosterError('INVALID_ARGUMENT', `--${name} needs a value`);
    if (s.kind === 'int') {
      const n = intFlagValue(raw);
      if (n === undefined) throw new RosterError('INVALID_ARGUMENT', `--${name} needs an integer, got "${raw}"`);
      out[name] = n;
    } else {
      out[name] = raw;
    }
  }
  return out;
}

export function usage(command: string, spec: FlagSpec): string {
  const width = Math.max(...Object.keys(spec).map((k) => k.length)) + 4;
  return [`usage: ${command} [flags]`, '', ...Object.entries(spec).map(([k, s]) => `  --${k.padEnd(width)}${s.help}`)].join('\n');
}
