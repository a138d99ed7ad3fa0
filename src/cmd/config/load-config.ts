import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlagSpec, FlagValues } from '../../flags/flags.js';
import { agentConfigOf, type AgentConfig } from './agent-config.js';
import { configError } from './config-error.js';

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? '';

async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (code(err) === 'ENOENT') throw configError(path, undefined, 'no such config file');
    if (code(err) === 'EISDIR') throw configError(path, undefined, 'is a directory, not a config file (use --config-dir for a directory)');
    throw configError(path, undefined, `cannot read the config file: ${(err as Error).message}`);
  }
}

/** The *.json files of a config dir (following symlinks, as Kubernetes mounts them), in lexical order. */
export async function configDirFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (code(err) === 'ENOENT') throw configError(dir, undefined, 'no such config directory');
    if (code(err) === 'ENOTDIR') throw configError(dir, undefined, 'is not a directory (use --config-file for a file)');
    throw configError(dir, undefined, `cannot read the config directory: ${(err as Error).message}`);
  }
  const json = names.filter((n) => n.endsWith('.json')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: string[] = [];
  for (const n of json) {
    const path = join(dir, n);
    const st = await stat(path).catch((err: unknown) => {
      throw configError(path, undefined, `cannot read the config file: ${(err as Error).message}`);
    });
    if (st.isFile()) files.push(path); // a directory named *.json is not a config file
  }
  return files;
}

/** Reads the config files (--config-file ones, then each --config-dir's) and builds the agent's configuration. */
export async function loadAgentConfig(o: { files: readonly string[]; dirs: readonly string[]; env: Readonly<Record<string, string | undefined>>; cli: FlagValues; spec: FlagSpec }): Promise<AgentConfig> {
  const paths = [...o.files];
  for (const d of o.dirs) paths.push(...(await configDirFiles(d)));
  if (paths.length === 0) return agentConfigOf([], o);
  const files = await Promise.all(paths.map(async (source) => ({ source, text: await readConfigFile(source) })));
  // Loaded only now: the config-file schemas (zod) cost memory an agent without files never needs.
  const { agentConfig } = await import('./agent-config-files.js');
  return agentConfig({ files, env: o.env, cli: o.cli, spec: o.spec });
}
