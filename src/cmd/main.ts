import { VERSION } from '../util/version.js';
import { isRosterError, RosterError } from '../util/errors.js';
import { AGENT_FLAGS as SPEC } from './agent-flags.js';
import { runClientAgent } from '../agent/client-agent.js';
import { withOrigin } from './config/agent-config.js';
import { CONFIG_FLAGS, configHelp, extractConfigArgs } from './config/config-args.js';
import { loadAgentConfig } from './config/load-config.js';
import { parseFlags, usage, type FlagSpec } from '../flags/flags.js';
import { jsonLogger, type LogLevel } from './json-logger.js';
import { inspectSnapshot, restoreFromSnapshot } from './restore.js';
import { runServer } from '../server/run-server.js';


async function restore(argv: string[]): Promise<number> {
  const spec: FlagSpec = {
    name: { kind: 'string', help: "the new member's name" },
    'data-dir': { kind: 'string', help: 'an empty data dir to prepare' },
    'initial-cluster': { kind: 'string', help: 'the NEW cluster: n1=host:port,... (peer addresses)' },
    'initial-cluster-token': { kind: 'string', help: 'unique to this restore, the same for every member (needed with several members)' },
    help: { kind: 'bool', help: 'show this help' },
  };
  const file = argv[0];
  if (file === undefined || file.startsWith('--')) throw new Error(`usage: roster snapshot restore FILE --name N --data-dir D --initial-cluster n1=host:port,...`);
  const f = parseFlags(argv.slice(1), spec);
  if (f.help === true) {
    console.log(usage('roster snapshot restore FILE', spec));
    return 0;
  }
  for (const k of ['name', 'data-dir', 'initial-cluster']) if (f[k] === undefined) throw new Error(`--${k} is required`);
  const r = await restoreFromSnapshot({ file, name: String(f.name), dataDir: String(f['data-dir']), initialCluster: String(f['initial-cluster']), ...(f['initial-cluster-token'] === undefined ? {} : { token: String(f['initial-cluster-token']) }) });
  const retired = r.retiredServers.length === 0 ? '' : `; the old servers ${r.retiredServers.join(',')} leave the catalog once the new cluster has a leader`;
  console.log(`restored ${r.records} records at index ${r.index} (term ${r.term}) into ${String(f['data-dir'])}; new cluster id ${r.clusterId}${retired}; start it with roster agent --server`);
  return 0;
}

/** roster snapshot inspect FILE [--format json]: what a snapshot file holds, after checking it whole. */
async function inspect(argv: string[]): Promise<number> {
  const file = argv[0];
  const f = parseFlags(argv.slice(1), { format: { kind: 'string', help: 'table or json' }, help: { kind: 'bool', help: 'show this help' } });
  if (file === undefined || file.startsWith('--') || f.help === true) {
    console.log('usage: roster snapshot inspect FILE [--format table|json]');
    return f.help === true ? 0 : 2;
  }
  if (f.format !== undefined && f.format !== 'table' && f.format !== 'json') throw new Error('--format must be table or json');
  const info = await inspectSnapshot(file);
  if (f.format === 'json') console.log(JSON.stringify(info, null, 2));
  else {
    const rows: [string, string][] = [
      ['index', String(info.index)],
      ['term', String(info.term)],
      ['cluster id', info.clusterId],
      ['voters', info.voters.join(',')],
      ['learners', info.learners.join(',') || '-'],
      ['records', String(info.records)],
      ['size', `${info.bytes} bytes`],
      ['verified', 'yes (checksum and record count match)'],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(12)}${v}`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'snapshot' && argv[1] === 'restore') return restore(argv.slice(2));
  if (argv[0] === 'snapshot' && argv[1] === 'inspect') return inspect(argv.slice(2));
  const args = argv[0] === 'agent' ? argv.slice(1) : argv;
  // Config files < ROSTER_* environment < flags; see src/cmd/config/.
  const sources = extractConfigArgs(args, SPEC);
  const cli = parseFlags(sources.rest, SPEC);
  if (cli.help === true) {
    console.log(usage('roster agent [--server]', { ...CONFIG_FLAGS, ...SPEC }) + configHelp());
    return 0;
  }
  if (cli.version === true) {
    console.log(`roster ${VERSION}`);
    return 0;
  }
  const cfg = await loadAgentConfig({ files: sources.files, dirs: sources.dirs, env: process.env, cli, spec: SPEC });
  origins = cfg.origins;
  const f = cfg.flags;
  const level = String(f['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`--log-level must be debug, info, warn or error`);
  const name = String(f.name ?? '');
  if (name === '') throw new RosterError('INVALID_CONFIG', "--name is required: this member's name, unique in the cluster (for example --name n1)", { field: 'name' });
  const logger = jsonLogger(name, level);
  if (f.server !== true) return runClientAgent(f, name, logger, cfg.services, cfg.templates);
  return runServer(f, name, logger, cfg.services, cfg.templates);
}

/** What to do about a failure to start that names only its system call (a port in use, a missing file). */
function hintFor(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return ' (the address is in use: is another Roster already running? stop it, or give this one other addresses: --peer-addr, --client-addr, --gossip-addr, --api-addr, --http-addr, --dns-addr)';
  if (code === 'EACCES') return ' (permission denied: a port below 1024 needs root, and a data dir must be writable by this user)';
  return '';
}

/** Where each setting came from, for errors about a value set in a config file or the environment. */
let origins: Readonly<Record<string, string>> = {};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = withOrigin(e, origins);
    const msg = isRosterError(err) || err instanceof Error ? err.message : String(err);
    const missing = (err as { code?: unknown; path?: unknown }).code === 'ENOENT' ? (err as { path?: unknown }).path : undefined;
    // A missing file is named plainly, not as the system call that found it missing.
    process.stderr.write(`roster: ${typeof missing === 'string' ? `no such file: ${missing} (check the path)` : `${msg}${hintFor(err)}`}\n`);
    process.exit(2);
  },
);
