import { RosterError } from '../../util/errors.js';
import { flagTokens, type FlagSpec } from '../../flags/flags.js';

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
  const valued = [...Object.keys(spec).filter((name) => spec[name]!.kind !== 'bool'), 'config-file', 'config-dir'];
  for (const t of flagTokens(argv, valued)) {
    if (t.kind !== 'flag') {
      rest.push(t.kind === 'end' ? '--' : t.value);
    } else if (t.name === 'config-file' || t.name === 'config-dir') {
      if (t.value === undefined || t.value === '') throw new RosterError('INVALID_ARGUMENT', `--${t.name} needs a value`);
      (t.name === 'config-file' ? files : dirs).push(t.value);
    } else if (t.inline) {
      rest.push(`--${t.name}=${t.value ?? ''}`);
    } else {
      // A flag that took its value as the next argument: keep the pair together for parseFlags.
      rest.push(`--${t.name}`, ...(t.value === undefined ? [] : [t.value]));
    }
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
