import { RosterError } from '../../util/errors.js';
import type { FlagSpec } from '../../util/flags.js';

/** The flags that name configuration sources; they are repeatable, so they are taken out before parseFlags. */
export const CONFIG_FLAGS: FlagSpec = {
  'config-file': { kind: 'string', help: 'a JSON config file (repeatable; later files override earlier ones)' },
  'config-dir': { kind: 'string', help: 'a directory of JSON config files: every *.json in it, in lexical order, after the --config-file files (repeatable)' },
};

interface ConfigArgs {
  /** --config-file values, in command-line order. */
  readonly files: readonly string[];
  /** --config-dir values, in command-line order. */
  readonly dirs: readonly string[];
  /** Every other argument, for parseFlags. */
  readonly rest: readonly string[];
}

/**
 * Takes --config-file and --config-dir (as `--flag value` or `--flag=value`, any number of times)
 * out of `argv`. `spec` says which other flags take a value, so a value is never mistaken for a flag.
 */
export function extractConfigArgs(argv: readonly string[], spec: FlagSpec): ConfigArgs {
  const files: string[] = [];
  const dirs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : '';
    if (name === 'config-file' || name === 'config-dir') {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new RosterError('INVALID_ARGUMENT', `--${name} needs a value`);
      (name === 'config-file' ? files : dirs).push(value);
      continue;
    }
    rest.push(arg);
    // A flag that takes its value as the next argument: keep the pair together.
    const kind = spec[name]?.kind;
    if (eq < 0 && kind !== undefined && kind !== 'bool' && i + 1 < argv.length) rest.push(argv[++i]!);
  }
  return { files, dirs, rest };
}

/** The environment variable for a flag: data-dir -> ROSTER_DATA_DIR. */
export function envVarOf(flag: string): string {
  return `ROSTER_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** The config-file key for a flag: data-dir -> data_dir. */
export function fileKeyOf(flag: string): string {
  return flag.replace(/-/g, '_');
}

/** The part of `roster agent --help` after the flags: config files, environment, precedence. */
export function configHelp(): string {
  return [
    '',
    '',
    'Configuration: every flag can also be set',
    '  in a JSON config file, under its name in snake_case: {"data_dir": "/var/lib/roster", "bootstrap_expect": 3}',
    '    (strings, integers and true/false as the flag takes them; unknown keys are errors);',
    '    "services": [{"name": "web", "port": 8080, "checks": [{"http": "http://127.0.0.1:8080/health", "interval_ms": 5000}]}]',
    '    (or "service": {...}) registers services on this agent at startup (needs api_addr / --api-addr);',
    `  in the environment, as ROSTER_ and its name in upper snake case: ${envVarOf('data-dir')}, ${envVarOf('gossip-addr')}, ${envVarOf('bootstrap-expect')}.`,
    'Precedence: config files (in order: --config-file files, then --config-dir files; later wins) < environment < flags.',
  ].join('\n');
}
