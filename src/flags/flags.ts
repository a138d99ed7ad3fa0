import { parseArgs } from 'node:util';
import { RosterError } from '../util/errors.js';
import { boolFlagValue, intFlagValue } from '../util/flag-values.js';

export interface FlagSpec {
  readonly [flag: string]: { readonly kind: 'string' | 'int' | 'bool'; readonly help: string; readonly required?: boolean };
}

export type FlagValues = Record<string, string | number | boolean>;

/** One argument of a command line, as Node's tokenizer (util.parseArgs) split it. */
export type FlagToken =
  /** `--name`, `--name value` or `--name=value`; `value` is undefined when none was given. */
  | { readonly kind: 'flag'; readonly name: string; readonly value: string | undefined; readonly inline: boolean }
  /** Anything else before `--`, including `-x` (no Roster command has short flags but -h). */
  | { readonly kind: 'word'; readonly value: string }
  /** `--` itself; what follows is all words. */
  | { readonly kind: 'end' };

/**
 * Splits `argv` with util.parseArgs's tokenizer. `takesValue` names the flags that take a value
 * (a flag not listed takes one only as `--flag=value`). The tokenizer is run lenient (strict:
 * false) so that every caller reports mistakes in its own words, and a boolean may be written
 * `--flag=false`, which parseArgs's strict mode refuses.
 */
export function flagTokens(argv: readonly string[], takesValue: Iterable<string>): FlagToken[] {
  const options: Record<string, { type: 'string' }> = {};
  for (const name of takesValue) options[name] = { type: 'string' };
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: FlagToken[] = [];
  let lastIndex = -1;
  for (const t of tokens) {
    if (t.index === lastIndex) continue; // the rest of a group of short flags (-abc): one word
    lastIndex = t.index;
    if (t.kind === 'option-terminator') out.push({ kind: 'end' });
    else if (t.kind === 'positional') out.push({ kind: 'word', value: t.value });
    else if (!t.rawName.startsWith('--')) out.push({ kind: 'word', value: argv[t.index]! });
    else out.push({ kind: 'flag', name: t.name, value: t.value, inline: t.inlineValue === true });
  }
  return out;
}

/** Parses --flag value / --flag=value / --bool; unknown flags and bad values are clear errors. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): FlagValues {
  const out: FlagValues = {};
  const valued = Object.keys(spec).filter((name) => spec[name]!.kind !== 'bool');
  for (const t of flagTokens(argv, valued)) {
    if (t.kind === 'end') throw new RosterError('INVALID_ARGUMENT', 'unexpected argument "--"');
    if (t.kind === 'word') throw new RosterError('INVALID_ARGUMENT', `unexpected argument "${t.value}"`);
    const s = spec[t.name];
    if (s === undefined) throw new RosterError('INVALID_ARGUMENT', `unknown flag --${t.name} (see --help)`);
    if (s.kind === 'bool') {
      const v = t.value ?? 'true';
      const b = boolFlagValue(v);
      if (b === undefined) throw new RosterError('INVALID_ARGUMENT', `--${t.name} is true or false, got "${v}"`);
      out[t.name] = b;
      continue;
    }
    if (t.value === undefined) throw new RosterError('INVALID_ARGUMENT', `--${t.name} needs a value`);
    if (s.kind === 'int') {
      const n = intFlagValue(t.value);
      if (n === undefined) throw new RosterError('INVALID_ARGUMENT', `--${t.name} needs an integer, got "${t.value}"`);
      out[t.name] = n;
    } else {
      out[t.name] = t.value;
    }
  }
  return out;
}

export function usage(command: string, spec: FlagSpec): string {
  // A value's placeholder by its kind (a bool takes none), and "(required)" where the flag must be given.
  const named = Object.entries(spec).map(([k, s]) => [`--${k}${s.kind === 'bool' ? '' : s.kind === 'int' ? ' N' : ' VALUE'}`, `${s.required === true ? '(required) ' : ''}${s.help}`] as const);
  const width = Math.max(...named.map(([n]) => n.length)) + 2;
  return [`usage: ${command} [flags]`, '', ...named.map(([n, help]) => `  ${n.padEnd(width)}${help}`)].join('\n');
}
