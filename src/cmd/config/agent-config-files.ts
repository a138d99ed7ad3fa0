import { agentConfigOf, type AgentConfig, type ConfigSources } from './agent-config.js';
import { parseConfigFile } from './config-file.js';

/**
 * The agent's configuration from config files' texts, the environment and the command line.
 * Apart from agent-config.ts because parsing files loads zod (about 14 MiB of a process's
 * memory), which an agent started without config files should not pay for.
 */
export function agentConfig(s: ConfigSources): AgentConfig {
  return agentConfigOf(
    s.files.map((f) => parseConfigFile(f.source, f.text, s.spec)),
    s,
  );
}
