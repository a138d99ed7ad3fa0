import type { FlagValues } from '../../flags/flags.js';
import { envVarOf, fileKeyOf } from './config-args.js';
import type { ConfigLayer } from './config-file.js';

export interface MergedFlags {
  /** Every setting, as parseFlags would give it. */
  readonly flags: FlagValues;
  /** Where each setting's value came from: `/etc/roster/a.json: data_dir`, `ROSTER_DATA_DIR` or `--data-dir`. */
  readonly origins: Readonly<Record<string, string>>;
}

/**
 * The settings in force: config files in the order given (a later file overrides an earlier one),
 * then the environment, then the command line. Flags are merged value by value, never as a whole.
 */
export function mergeFlags(layers: readonly ConfigLayer[], env: FlagValues, cli: FlagValues): MergedFlags {
  const flags: FlagValues = {};
  const origins: Record<string, string> = {};
  const apply = (values: FlagValues, origin: (flag: string) => string): void => {
    for (const [flag, v] of Object.entries(values)) {
      flags[flag] = v;
      origins[flag] = origin(flag);
    }
  };
  for (const layer of layers) apply(layer.values, (flag) => `${layer.source}: ${fileKeyOf(flag)}`);
  apply(env, envVarOf);
  apply(cli, (flag) => `--${flag}`);
  return { flags, origins };
}
