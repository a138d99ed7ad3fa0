import type { FlagSpec } from '../flags/flags.js';
import { ACL_TOKEN_FLAGS } from '../agent/acl-tokens.js';
import { GOSSIP_FLAGS } from '../agent/gossip/gossip-flags.js';
import { TLS_FLAGS } from '../agent/tls-flags.js';
import { DISCOVERY_DEFAULTS } from '../agent/local/agent-discovery.js';
import { AUTOPILOT_DEFAULTS } from '../server/autopilot.js';
import { SELF_PRESERVATION_DEFAULTS } from '../server/self-preservation.js';
import { SERVER_DEFAULTS } from '../server/server-config.js';
import { HEALTH_DEFAULTS } from '../server/server-health.js';

/** Every setting of `roster agent` (server and client modes), as flags; config files and the environment use the same names. */
export const AGENT_FLAGS: FlagSpec = {
  server: { kind: 'bool', help: 'run as a server; without it, a client agent (gossip member)' },
  name: { kind: 'string', help: 'this member\'s name, unique in the cluster (e.g. n1)', required: true },
  'data-dir': { kind: 'string', help: 'a server: where the Raft log and the state live (LevelDB); an agent: where what applications registered, maintenance mode and TTL check statuses survive restarts (optional)' },
  'peer-addr': { kind: 'string', help: 'host:port for other servers (default 127.0.0.1:8300)' },
  'client-addr': { kind: 'string', help: 'host:port of the gRPC API, etcd v3 compatible (default 127.0.0.1:8502)' },
  'initial-cluster': { kind: 'string', help: 'founding members: n1=host:port,n2=host:port,... (peer addresses)' },
  'autopilot-stabilization-ms': { kind: 'int', help: `a new server votes once caught up and healthy this long (default ${AUTOPILOT_DEFAULTS.stabilizationMs})` },
  'autopilot-dead-server-ms': { kind: 'int', help: `a server failed this long leaves the raft membership, if a quorum remains (default ${AUTOPILOT_DEFAULTS.deadServerMs})` },
  'bootstrap-expect': { kind: 'int', help: 'found the cluster once this many servers are seen in gossip (instead of --initial-cluster; needs --gossip-addr)' },
  bootstrap: { kind: 'bool', help: 'found a new cluster of this server alone (a server with an empty data dir needs this, --initial-cluster, --bootstrap-expect or --initial-cluster-state existing)' },
  'initial-cluster-token': { kind: 'string', help: 'a value unique to this founding, the same on every founder (needed with an --initial-cluster of several servers): it makes the cluster id unique, so another cluster\'s data dir or server is refused' },
  'initial-cluster-state': { kind: 'string', help: '"new" to found the cluster, "existing" to join one (default new)' },
  'self-preservation-percent': { kind: 'int', help: `a server: when more than this % of the pool fails within the window, treat it as a network fault: deregister nothing, end no session until it is over (default ${SELF_PRESERVATION_DEFAULTS.share * 100}; 100 turns it off)` },
  'self-preservation-min-pool': { kind: 'int', help: `a server: smaller pools never enter self-preservation (default ${SELF_PRESERVATION_DEFAULTS.minPool})` },
  'self-preservation-window-ms': { kind: 'int', help: `a server: failures this close together count as one event (default ${SELF_PRESERVATION_DEFAULTS.windowMs})` },
  'self-preservation-hold-ms': { kind: 'int', help: `a server: a failed member's sessions end this long after its failure, unless self-preservation starts meanwhile (default ${SELF_PRESERVATION_DEFAULTS.holdMs})` },
  'snapshot-every': { kind: 'int', help: `compact the Raft log every N applied entries (default ${SERVER_DEFAULTS.snapshotEvery})` },
  'snapshot-keep-tail': { kind: 'int', help: `entries kept below each compaction point for followers slightly behind (default ${SERVER_DEFAULTS.snapshotKeepTail})` },
  'watch-max-pending-kib': { kind: 'int', help: `cut off a watch stream whose client leaves this many KiB unread (default ${SERVER_DEFAULTS.watchMaxPendingBytes / 1024})` },
  'max-response-bytes': { kind: 'int', help: `refuse a Range or read-only Txn answer larger than this, while it is read (default ${SERVER_DEFAULTS.maxResponseBytes})` },
  'max-watches-per-stream': { kind: 'int', help: `watches one watch stream may hold (default ${SERVER_DEFAULTS.maxWatchesPerStream})` },
  'max-streams-per-connection': { kind: 'int', help: `calls open at once on one client connection (default ${SERVER_DEFAULTS.maxStreamsPerConnection})` },
  'idle-connection-ms': { kind: 'int', help: `close a client connection idle this long (default ${SERVER_DEFAULTS.idleConnectionMs})` },
  'acl-enabled': { kind: 'bool', help: 'enforce ACL tokens (x-roster-token): a server on its client port, an agent on its local API (default off); bootstrap with `roster acl bootstrap`' },
  'acl-default-policy': { kind: 'string', help: 'a server with ACLs on: what no rule decides, allow or deny (default allow, as Consul; use deny in production)' },
  'tick-ms': { kind: 'int', help: `Raft tick (default ${SERVER_DEFAULTS.tickMs}); elections after 8-16 ticks` },
  'api-addr': { kind: 'string', help: 'host:port of the local agent API for applications on this host (off unless given; a server with it is also an agent)' },
  'check-allowed-hosts': { kind: 'string', help: 'where HTTP, TCP and gRPC checks may connect, redirects included: comma-separated CIDRs, addresses, host names, *.suffixes (default anywhere); others are refused at registration and critical when run' },
  'dns-addr': { kind: 'string', help: 'an agent: host:port of its DNS interface, UDP and TCP (default: the --api-addr host, port 8600; off to disable)' },
  domain: { kind: 'string', help: 'an agent: the DNS domain it answers for (default consul)' },
  'dns-service-ttl': { kind: 'int', help: 'an agent: TTL in seconds of service answers (default 0, as Consul)' },
  'dns-node-ttl': { kind: 'int', help: 'an agent: TTL in seconds of node answers (default 0)' },
  'dns-include-warning': { kind: 'bool', help: 'an agent: DNS answers include instances whose checks warn (default: passing only)' },
  recursor: { kind: 'string', help: 'an agent: comma-separated resolvers (host[:port]) for names outside the domain (default none: REFUSED)' },
  'enable-script-checks': { kind: 'bool', help: 'let applications register command checks (args): they run any program as this agent\'s user (default off)' },
  'cache-max-entries': { kind: 'int', help: `an agent: distinct discovery queries cached at once; beyond, the least recently used unwatched one is evicted (default ${DISCOVERY_DEFAULTS.maxEntries})` },
  'cache-idle-ms': { kind: 'int', help: `an agent: evict a discovery query nobody asked or watched for this long (default ${DISCOVERY_DEFAULTS.idleMs})` },
  'http-addr': { kind: 'string', help: 'host:port for GET /metrics (Prometheus) and GET /health (off unless given)' },
  'health-max-lag-entries': { kind: 'int', help: `a server's /health is 503 while its applied index is more than this many entries behind the commit index it knows (default ${HEALTH_DEFAULTS.maxLagEntries})` },
  'health-max-leader-contact-ms': { kind: 'int', help: "a follower's /health is 503 while it has not heard from the leader for this long (default: the longest election timeout, 16 ticks)" },
  'log-level': { kind: 'string', help: 'debug, info, warn or error (default info)' },
  ...GOSSIP_FLAGS,
  ...ACL_TOKEN_FLAGS,
  ...TLS_FLAGS,
  help: { kind: 'bool', help: 'show this help' },
  version: { kind: 'bool', help: "print Roster's version and exit" },
};
