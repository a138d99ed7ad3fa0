import type { FlagSpec, FlagValues } from '../../flags/flags.js';
import { envVarOf } from './config-args.js';
import { configError } from './config-error.js';
import { NOT_SETTINGS } from './settings.js';
import { boolFlagValue, intFlagValue } from '../../util/flag-values.js';

/**
 * The agent settings in the environment: ROSTER_<FLAG IN UPPER SNAKE CASE> for each flag of
 * `spec` (ROSTER_DATA_DIR for --data-dir). Values are parsed as the flag would parse them; an
 * empty variable counts as unset. Other ROSTER_* variables (the CLI's ROSTER_ENDPOINT, scripts'
 * ones) are not the agent's and are left alone.
 */
export function envConfig(env: Readonly<Record<string, string | undefined>>, spec: FlagSpec): FlagValues {
  const out: FlagValues = {};
  for (const [flag, s] of Object.entries(spec)) {
    if (NOT_SETTINGS.has(flag)) continue;
    const name = envVarOf(flag);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (s.kind === 'bool') {
      const b = boolFlagValue(raw);
      if (b === undefined) throw configError(name, undefined, `expected true or false, got ${JSON.stringify(raw)}`);
      out[flag] = b;
    } else if (s.kind === 'int') {
      const n = intFlagValue(raw);
      if (n === undefined) throw configError(name, undefined, `expected an integer, got ${JSON.stringify(raw)}`);
      out[flag] = n;
    } else {
      out[flag] = raw;
    }
  }
  return out;
}
