import { commandHelp, commandsUnder, findCommand, FLAG_TAKES_VALUE, flagsOf, generalHelp, groupHelp, LIST_FLAGS, synopsis, type CommandDef } from './commands.js';
import { UsageError } from './usage-error.js';
import { boolFlagValue, intFlagValue } from '../util/flag-values.js';
import { flagTokens, type FlagToken } from '../flags/flags.js';
import { VERSION } from '../util/version.js';

export type Flags = Record<string, string | boolean>;

/** A command line checked against the command table. */
export type CommandLine =
  | {
      readonly kind: 'help';
      readonly text: string;
      /** 0 when help was asked for; 2 when the command line said nothing (help goes to stderr). */
      readonly exitCode: 0 | 2;
    }
  | {
      readonly kind: 'run';
      readonly command: CommandDef;
      /** The command's words, then its positional arguments. */
      readonly words: string[];
      readonly args: string[];
      readonly flags: Flags;
      /** What follows `--` for a command that runs one (roster lock). */
      readonly exec: string[];
      readonly json: boolean;
    };

/** What `roster help ...` / `--help` shows for these words. */
function helpFor(words: readonly string[]): CommandLine {
  if (words.length === 0) return { kind: 'help', text: generalHelp(), exitCode: 0 };
  const found = findCommand(words);
  // A command followed by its arguments ("roster kv put k v --help") still means that command.
  if (found !== undefined) return { kind: 'help', text: commandHelp(found.command), exitCode: 0 };
  if (commandsUnder(words).length > 0) return { kind: 'help', text: groupHelp(words), exitCode: 0 };
  throw new UsageError(`unknown command: ${words.join(' ')} (see roster --help)`);
}

/**
 * Parses `roster ...` arguments: words, --flag VALUE / --flag=VALUE / --bool[=false], and for
 * roster lock the command after `--` (for other commands, words after `--` are arguments even
 * if they start with --). A list flag (FlagDef.list) given twice keeps both, joined by a comma;
 * any other flag keeps its last value. Every mistake is a UsageError naming it, in one line.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const tokens = flagTokens(argv, [...FLAG_TAKES_VALUE].filter(([, takes]) => takes).map(([name]) => name));
  const endAt = tokens.findIndex((t) => t.kind === 'end');
  const before = endAt < 0 ? tokens : tokens.slice(0, endAt);
  const after = endAt < 0 ? [] : tokens.slice(endAt + 1).map((t) => (t.kind === 'word' ? t.value : ''));
  const isHelpToken = (t: FlagToken): boolean => (t.kind === 'flag' && t.name === 'help') || (t.kind === 'word' && t.value === '-h');
  const wantsHelp = before.some(isHelpToken) || (before[0]?.kind === 'word' && before[0].value === 'help');
  if (before.some((t) => t.kind === 'flag' && t.name === 'version')) return { kind: 'help', text: `roster ${VERSION}`, exitCode: 0 };

  const words: string[] = [];
  const flags: Flags = {};
  for (const t of before) {
    if (isHelpToken(t)) continue;
    if (t.kind !== 'flag') {
      if (t.kind === 'word') words.push(t.value);
      continue;
    }
    const { name } = t;
    const takesValue = FLAG_TAKES_VALUE.get(name);
    if (takesValue === undefined) {
      if (wantsHelp) continue;
      const found = findCommand(words);
      const hint = didYouMean(name, found === undefined ? FLAG_TAKES_VALUE.keys() : Object.keys(flagsOf(found.command)));
      throw new UsageError(`unknown flag --${name}${found === undefined ? ` (${hint}see roster --help)` : ` for roster ${found.command.name} (${hint}see roster ${found.command.name} --help)`}`);
    }
    if (!takesValue) {
      const b = t.value === undefined ? true : boolFlagValue(t.value);
      if (b === undefined) throw new UsageError(`--${name} is true or false, got ${JSON.stringify(t.value)}`);
      flags[name] = b;
      continue;
    }
    if (t.value === undefined) {
      if (wantsHelp) continue;
      throw new UsageError(`--${name} needs a value`);
    }
    const earlier = flags[name];
    flags[name] = LIST_FLAGS.has(name) && typeof earlier === 'string' ? `${earlier},${t.value}` : t.value;
  }

  if (wantsHelp) return helpFor(words[0] === 'help' ? words.slice(1) : words);
  if (words.length === 0) {
    if (Object.keys(flags).length > 0) throw new UsageError('no command given (see roster --help)');
    return { kind: 'help', text: generalHelp(), exitCode: 2 };
  }

  const found = findCommand(words);
  if (found === undefined) {
    const sub = commandsUnder(words.slice(0, 1));
    if (sub.length > 0 && words.length === 1) {
      throw new UsageError(`${words[0]} needs a subcommand: ${sub.map((c) => c.name.slice(words[0]!.length + 1)).join(', ')} (see roster ${words[0]} --help)`);
    }
    const group = commandsUnder(words.slice(0, 2)).length > 0 ? words.slice(0, 2) : words.slice(0, 1);
    throw new UsageError(`unknown command: ${words.join(' ')} (see roster ${commandsUnder(group).length > 0 ? `${group.join(' ')} ` : ''}--help)`);
  }
  const { command } = found;
  const allowed = flagsOf(command);
  for (const f of Object.keys(flags)) {
    if (f === 'format' && allowed.format === undefined && FLAG_TAKES_VALUE.has('format')) throw new UsageError(`roster ${command.name} prints nothing of its own to format${command.exec === true ? " (its output is its command's)" : ''}: leave out --format`);
    if (allowed[f] === undefined) throw new UsageError(`unknown flag --${f} for roster ${command.name} (${didYouMean(f, Object.keys(allowed))}see roster ${command.name} --help)`);
  }
  const args = command.exec === true ? found.rest : [...found.rest, ...after];
  if (args.length < command.minArgs || args.length > command.maxArgs) throw new UsageError(`usage: ${synopsis(command)}`);
  const exec = command.exec === true ? after : [];
  if (command.exec === true && exec.length === 0) throw new UsageError(`usage: ${synopsis(command)} (the command to run goes after --)`);
  for (const [k, f] of Object.entries(command.flags)) {
    if (f.required === true && flags[k] === undefined) throw new UsageError(`--${k} is required (usage: ${synopsis(command)})`);
  }
  if (flags.format !== undefined && flags.format !== 'table' && flags.format !== 'json') throw new UsageError('--format must be table or json');
  return { kind: 'run', command, words: [...command.name.split(' '), ...args], args, flags, exec, json: flags.format === 'json' };
}

/** "did you mean --X? " for the known flag closest to `name` (a third of its letters apart at most), else ''. */
function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : `did you mean --${best}? `;
}

/** Levenshtein's distance: the fewest one-letter insertions, deletions and changes from a to b. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** A flag's value as a whole number (undefined when absent); a UsageError when it is not one. */
export function wholeNumber(v: string | boolean | undefined, flag: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? intFlagValue(v) : undefined;
  if (n === undefined || n < min) throw new UsageError(`--${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return n;
}
