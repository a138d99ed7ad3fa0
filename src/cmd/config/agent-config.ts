import { checkTargetsOption } from '../../agent/checks/check-targets.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { isRosterError } from '../../util/errors.js';
import type { FlagSpec, FlagValues } from '../../flags/flags.js';
import type { ConfigLayer } from './config-file.js';
import { configServices } from './config-services.js';
import { configTemplates } from './config-templates.js';
import type { TemplateSpec } from '../../template/template-runner.js';
import { envConfig } from './env-config.js';
import { mergeFlags } from './merge.js';

/** The agent's configuration, from every source. */
export interface AgentConfig {
  /** The settings in force, as parseFlags gives flags (keys are flag names: 'data-dir'). */
  readonly flags: FlagValues;
  /** Where each setting came from (`/etc/roster/a.json: data_dir`, `ROSTER_DATA_DIR`, `--data-dir`). */
  readonly origins: Readonly<Record<string, string>>;
  /** Services the config files define, checked, to register with the local agent at startup. */
  readonly services: readonly RegisterServiceRequest__Output[];
  /** Templates the config files define, checked, for the agent to render (roster template's). */
  readonly templates: readonly TemplateSpec[];
}

export interface ConfigSources {
  /** Config files' contents, lowest precedence first (--config-file files, then --config-dir files). */
  readonly files: readonly { readonly source: string; readonly text: string }[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The command line's flags (parseFlags). */
  readonly cli: FlagValues;
  /** The agent's flags: what a file or the environment may set. */
  readonly spec: FlagSpec;
}

/**
 * Files (already parsed, lowest precedence first) < environment < command line, each value
 * type-checked, the files' services validated. Pure. Config files are parsed apart
 * (agent-config-files.ts) so that an agent started without any never loads their schemas.
 */
export function agentConfigOf(layers: readonly ConfigLayer[], s: Omit<ConfigSources, 'files'>): AgentConfig {
  const { flags, origins } = mergeFlags(layers, envConfig(s.env, s.spec), s.cli);
  const apiAddr = flags['api-addr'] === undefined ? undefined : String(flags['api-addr']);
  const services = configServices(
    layers.flatMap((l) => l.services),
    { apiAddr, enableScriptChecks: flags['enable-script-checks'] === true, ...checkTargetsOption(flags) },
  );
  const templates = configTemplates(layers.flatMap((l) => l.templates), apiAddr);
  return { flags, origins, services, templates };
}

/**
 * An error about a setting (a RosterError whose `field` is a flag, like --gossip-addr's) that came
 * from a config file or the environment: its message also says where the value was set.
 */
export function withOrigin(err: unknown, origins: Readonly<Record<string, string>>): unknown {
  if (!isRosterError(err) || typeof err.details.field !== 'string') return err;
  const origin = origins[err.details.field.replace(/^--/, '')];
  if (origin === undefined || origin.startsWith('--')) return err;
  err.message = `${err.message} (set in ${origin})`;
  return err;
}
