import { isRosterError } from '../util/errors.js';
import { runClientAgent } from './client-agent.js';
import { withOrigin } from './config/agent-config.js';
import { CONFIG_FLAGS, configHelp, extractConfigArgs } from './config/config-args.js';
import { loadAgentConfig } from './config/load-config.js';
import { parseFlags, usage, type FlagSpec } from './flags.js';
import { GOSSIP_FLAGS } from './gossip/gossip-flags.js';
import { jsonLogger, type LogLevel } from './json-logger.js';
import { inspectSnapshot, restoreFromSnapshot } from './restore.js';
import { AUTOPILOT_DEFAULTS } from './server/autopilot.js';
import { runServer } from './server/run-server.js';
import { SERVER_DEFAULTS } from './server/server-config.js';

const SPEC: FlagSpec = {
  server: { kind: 'bool', help: 'run as a server; without it, a client agent (gossip member)' },
  name: { kind: 'string', help: 'this member\'s name, unique in the cluster (e.g. n1)' },
  'data-dir': { kind: 'string', help: 'a server: where the Raft log and the state live (LevelDB); an agent: where the services applications registered and maintenance mode survive restarts (optional)' },
  'peer-addr': { kind: 'string', help: 'host:port for other servers (default 127.0.0.1:8300)' },
  'client-addr': { kind: 'string', help: 'host:port of the gRPC API, etcd v3 compatible (default 127.0.0.1:8502)' },
  'initial-cluster': { kind: 'string', help: 'founding members: n1=host:port,n2=host:port,... (peer addresses)' },
  'autopilot-stabilization-ms': { kind: 'int', help: `a new server votes once caught up and healthy this long (default ${AUTOPILOT_DEFAULTS.stabilizationMs})` },
  'autopilot-dead-server-ms': { kind: 'int', help: `a server failed this long leaves the raft membership, if a quorum remains (default ${AUTOPILOT_DEFAULTS.deadServerMs})` },
  'bootstrap-expect': { kind: 'int', help: 'found the cluster once this many servers are seen in gossip (instead of --initial-cluster; needs --gossip-addr)' },
  'initial-cluster-state': { kind: 'string', help: '"new" to found the cluster, "existing" to join one (default new)' },
  'snapshot-every': { kind: 'int', help: `compact the Raft log every N applied entries (default ${SERVER_DEFAULTS.snapshotEvery})` },
  'watch-max-pending-kib': { kind: 'int', help: `cut off a watch stream whose client leaves this many KiB unread (default ${SERVER_DEFAULTS.watchMaxPendingBytes / 1024})` },
  'tick-ms': { kind: 'int', help: `Raft tick (default ${SERVER_DEFAULTS.tickMs}); elections after 8-16 ticks` },
  'api-addr': { kind: 'string', help: 'host:port of the local agent API for applications on this host (off unless given; a server with it is also an agent)' },
  'enable-script-checks': { kind: 'bool', help: 'let applications register command checks (args): they run any program as this agent\'s user (default off)' },
  'http-addr': { kind: 'string', help: 'host:port for GET /metrics (Prometheus) and GET /health (off unless given)' },
  'log-level': { kind: 'string', help: 'debug, info, warn or error (default info)' },
  ...GOSSIP_FLAGS,
  help: { kind: 'bool', help: 'show this help' },
};

async function restore(argv: string[]): Promise<number> {
  const spec: FlagSpec = {
    name: { kind: 'string', help: "the new member's name" },
    'data-dir': { kind: 'string', help: 'an empty data dir to prepare' },
    'initial-cluster': { kind: 'string', help: 'the NEW cluster: n1=host:port,... (peer addresses)' },
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
  const r = await restoreFromSnapshot({ file, name: String(f.name), dataDir: String(f['data-dir']), initialCluster: String(f['initial-cluster']) });
  console.log(`restored ${r.records} records at index ${r.index} (term ${r.term}) into ${String(f['data-dir'])}; new cluster id ${r.clusterId}; start it with roster agent --server`);
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
  // Config files < ROSTER_* environment < flags; see src/agent/config/.
  const sources = extractConfigArgs(args, SPEC);
  const cli = parseFlags(sources.rest, SPEC);
  if (cli.help === true) {
    console.log(usage('roster agent [--server]', { ...CONFIG_FLAGS, ...SPEC }) + configHelp());
    return 0;
  }
  const cfg = await loadAgentConfig({ files: sources.files, dirs: sources.dirs, env: process.env, cli, spec: SPEC });
  origins = cfg.origins;
  const f = cfg.flags;
  const level = String(f['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`--log-level must be debug, info, warn or error`);
  const name = String(f.name ?? '');
  const logger = jsonLogger(name, level);
  if (f.server !== true) return runClientAgent(f, name, logger, cfg.services);
  return runServer(f, name, logger, cfg.services);
}

/** Where each setting came from, for errors about a value set in a config file or the environment. */
let origins: Readonly<Record<string, string>> = {};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = withOrigin(e, origins);
    const msg = isRosterError(err) || err instanceof Error ? err.message : String(err);
    process.stderr.write(`roster: ${msg}\n`);
    process.exit(2);
  },
);
