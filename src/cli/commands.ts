/**
 * Every `roster` command, as data: its words, arguments, flags and help. The parser checks a
 * command line against this table, and `--help` prints from it, so a command's help and what it
 * accepts cannot drift apart.
 */

export interface FlagDef {
  /** The value's placeholder ("ID", "MS"); absent for a flag that takes no value. */
  readonly value?: string;
  readonly help: string;
  /** The command fails without it. */
  readonly required?: boolean;
  /**
   * Takes a comma-separated list and may be given more than once; the parser joins every
   * occurrence with commas, so `--x a --x b` and `--x a,b` mean the same.
   */
  readonly list?: boolean;
}

/**
 * Which way a command talks: to a server's client API, to the local agent's API, or to nobody:
 * 'local' runs in the CLI itself (roster tls), 'none' in the agent (bin/roster.mjs routes it).
 */
export type Reach = 'server' | 'agent' | 'local' | 'none';

export interface CommandDef {
  /** The command's words: "kv put", "operator raft list-peers". */
  readonly name: string;
  /** Positional arguments as in the synopsis ("KEY VALUE", "FILE", "[NAME]"). */
  readonly args: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** One line for `roster --help`. */
  readonly summary: string;
  /** What it does, for its own help (sentences, may span lines). */
  readonly about: string;
  readonly flags: Readonly<Record<string, FlagDef>>;
  readonly reach: Reach;
  /** Accepts --format table|json (it prints something). */
  readonly output: boolean;
  /** Takes a command after `--` (roster lock). */
  readonly exec?: boolean;
  /** The section of `roster --help` it is listed in. */
  readonly section: string;
}

const flag = (help: string, value?: string, required = false): FlagDef => ({ help, ...(value === undefined ? {} : { value }), ...(required ? { required } : {}) });
/** A flag that takes a comma-separated list and may be repeated (FlagDef.list). */
const listFlag = (help: string, value: string): FlagDef => ({ help: `${help} (comma-separated, or repeat the flag)`, value, list: true });

const COUNT = flag('stop after N changes, in every watch command alike: the listing printed first is not one (default: run until Ctrl-C)', 'N');

/** Flags every command of a kind accepts. */
const GLOBAL_FLAGS: Readonly<Record<'endpoint' | 'endpoints' | 'agent' | 'format' | 'help' | 'version' | TlsFlag | TokenFlag, FlagDef>> = {
  endpoint: flag("a server's client address (default 127.0.0.1:8502, or $ROSTER_ENDPOINT)", 'HOST:PORT'),
  endpoints: flag('servers to try in turn, following the leader for writes (or $ROSTER_ENDPOINTS)', 'HOST:PORT,...'),
  agent: flag("the local agent's API address, its --api-addr (default 127.0.0.1:8500, or $ROSTER_AGENT)", 'HOST:PORT'),
  format: flag('output format (default table)', 'table|json'),
  help: flag("show this command's help"),
  version: flag("print Roster's version"),
  token: flag('the ACL token (its secret id) to send with every call (or $ROSTER_TOKEN; default: the anonymous token)', 'SECRET'),
  'token-file': flag('read the ACL token from the first line of FILE (or $ROSTER_TOKEN_FILE)', 'FILE'),
  'ca-file': flag('dial over TLS, trusting this CA (PEM; or $ROSTER_CACERT)', 'FILE'),
  'cert-file': flag('the certificate to present where servers require one (verify_incoming; or $ROSTER_CLIENT_CERT)', 'FILE'),
  'key-file': flag('its key (or $ROSTER_CLIENT_KEY)', 'FILE'),
  'tls-server-name': flag("a name the server's certificate must carry instead of the host dialed, e.g. server.dc1.roster (or $ROSTER_TLS_SERVER_NAME)", 'NAME'),
};

/** The TLS flags of every command that dials a server or an agent. */
type TlsFlag = 'ca-file' | 'cert-file' | 'key-file' | 'tls-server-name';
const TLS_FLAG_NAMES: readonly TlsFlag[] = ['ca-file', 'cert-file', 'key-file', 'tls-server-name'];

/** The ACL token flags of every command that dials a server or an agent. */
type TokenFlag = 'token' | 'token-file';
const TOKEN_FLAG_NAMES: readonly TokenFlag[] = ['token', 'token-file'];

interface Def extends Omit<CommandDef, 'minArgs' | 'maxArgs' | 'flags' | 'output' | 'reach'> {
  readonly flags?: Readonly<Record<string, FlagDef>>;
  readonly output?: boolean;
  readonly reach?: Reach;
}

/** min/max positional arguments from the synopsis: "[X]" is optional, "X..." repeats. */
function define(d: Def): CommandDef {
  const parts = d.args.split(' ').filter((p) => p !== '');
  const min = parts.filter((p) => !p.startsWith('[')).length;
  const max = parts.some((p) => p.endsWith('...') || p.endsWith('...]')) ? Number.POSITIVE_INFINITY : parts.length;
  return { flags: {}, output: true, reach: 'server', ...d, minArgs: min, maxArgs: max };
}

const KV = 'Keys and values (etcd v3 KV)';
const REG = 'Catalog, health, leases';
const WATCH = 'Watches';
const COORD = 'Locks';
const AGENT = 'The local agent (its API, --agent)';
const OPS = 'Operating the cluster';
const TLS = 'Certificates (TLS between members)';
const ACL = 'Access control (ACL tokens and policies)';

const TOKEN_ID = flag("the token's accessor id", 'ACCESSOR', true);
const POLICY_NAMES = listFlag('link the policies with these names', 'NAME');
const POLICY_IDS = listFlag('link the policies with these ids', 'ID');
const RULES = 'the rules, HCL or JSON as Consul writes them; @FILE reads them from FILE, - from stdin';
const POLICY_REF = { id: flag("the policy's id", 'ID'), name: flag("the policy's name (instead of --id)", 'NAME') };

const TLS_DIR = flag('the folder to write the files in (default: the current one)', 'DIR');

export const TXN_FORMAT = `The transaction is three sections separated by blank lines, as in etcdctl's interactive txn:
compares, then the operations to run if every compare holds, then those to run otherwise.
Lines starting with # are comments. Quote keys and values with "..." (JSON escapes) when
they hold spaces.

  compares:     value("KEY") = "VALUE"    version("KEY") > 0    mod("KEY") < 10
                create("KEY") = 0         lease("KEY") = ID
                (operators: = != < >; create 0 means "the key does not exist")
  operations:   put KEY VALUE [--lease ID]    get KEY [--prefix]    del KEY [--prefix]

It prints SUCCESS or FAILURE, then one result per operation run. Example:

  printf 'version("cfg") = 0\\n\\nput cfg v1\\n\\nget cfg\\n' | roster kv txn`;

export const COMMANDS: readonly CommandDef[] = [
  define({ section: KV, name: 'kv put', args: 'KEY VALUE', summary: 'write a key', about: 'Write VALUE to KEY, replacing any value it had.', flags: { lease: flag('attach the key to this lease (decimal id): it is deleted when the lease ends', 'ID') } }),
  define({ section: KV, name: 'kv get', args: 'KEY', summary: 'read a key (or every key under a prefix)', about: 'Print the value of KEY alone (as consul kv get), or with --prefix each key under it and then its value on the next line (as etcdctl); --detailed prints a table of keys, values and the revision of their last change. Fails if the key does not exist (unless --prefix).', flags: { prefix: flag('read every key that starts with KEY'), detailed: flag('a table of keys, values and revisions') } }),
  define({ section: KV, name: 'kv del', args: 'KEY', summary: 'delete a key (or a prefix)', about: 'Delete KEY and print how many keys were deleted.', flags: { prefix: flag('delete every key that starts with KEY') } }),
  define({ section: KV, name: 'kv watch', args: 'KEY', summary: 'print changes to a key as they happen', about: 'Print each change to KEY as "PUT key value" or "DELETE key" (a JSON line each with --format json), as it happens.', flags: { prefix: flag('watch every key that starts with KEY'), count: COUNT } }),
  define({ section: KV, name: 'kv txn', args: '', summary: 'run an etcd transaction read from stdin (or --file)', about: `Run one etcd transaction (KV.Txn), atomically: if every compare holds, the success operations, else the failure ones.\n\n${TXN_FORMAT}`, flags: { file: flag('read the transaction from FILE instead of stdin', 'FILE') } }),

  define({ section: REG, name: 'catalog services', args: '', summary: 'every service: tags, instances, passing', about: 'List every registered service with its tags, how many instances it has and how many of them pass their checks.' }),
  define({ section: REG, name: 'catalog nodes', args: '', summary: 'every node: address, datacenter, source', about: 'List every node in the catalog with its address, datacenter and source: agent (a member of the gossip pool keeps it), registration (made by registering a service on it; it goes with its last service) or catalog (registered itself with no agent; it stays until deregistered).' }),
  define({
    section: REG,
    name: 'services register',
    args: 'NAME',
    summary: 'register a service instance, through the local agent when one answers',
    about: "Register an instance of service NAME. Through the local agent (--agent, $ROSTER_AGENT, default 127.0.0.1:8500) when one answers: it lands on the agent's node, the agent runs its --http, --tcp or --ttl-ms check and keeps it in the catalog. With --node (an external node), or when no agent answers, straight into the catalog on that node (this host's name by default), with at most a TTL check. It says which.",
    flags: {
      port: flag('the port it listens on (1-65535)', 'P', true),
      id: flag('the instance id, unique on its node (default NAME through an agent, NAME-NODE in the catalog)', 'ID'),
      address: flag("where to reach it (default: the node's address)", 'A'),
      tags: flag('comma-separated tags', 'a,b'),
      http: flag('an HTTP check the agent runs: 2xx passing, 429 warning, else critical', 'URL'),
      tcp: flag('a TCP check the agent runs: a connection accepted is passing', 'HOST:PORT'),
      'ttl-ms': flag('a TTL check: critical unless renewed within MS', 'MS'),
      'interval-ms': flag('how often the agent runs the --http or --tcp check (default 10000)', 'MS'),
      agent: flag("the local agent's API address (default 127.0.0.1:8500, or $ROSTER_AGENT)", 'HOST:PORT'),
      node: flag('register in the catalog on this node, not through the agent (an external node)', 'N'),
      'node-address': flag("with --node: the node's address (default 127.0.0.1)", 'A'),
    },
  }),
  define({ section: REG, name: 'services deregister', args: 'ID', summary: 'remove a service instance', about: 'Remove the service instance ID (and its checks) from the catalog.', flags: { node: flag("the node it is on (default: this host's name)", 'N') } }),
  define({ section: REG, name: 'health', args: 'SERVICE', summary: "a service's instances and their health", about: 'List the instances of SERVICE: node, address, port and the worst status of their checks.', flags: { passing: flag('only instances whose checks all pass') } }),
  define({ section: REG, name: 'lease grant', args: 'TTL_SECONDS', summary: 'grant an etcd lease', about: 'Grant a lease that expires unless kept alive within TTL_SECONDS; keys and instances attached to it go when it ends.' }),
  define({ section: REG, name: 'lease revoke', args: 'ID', summary: 'revoke a lease (its keys and instances go with it)', about: 'Revoke the lease ID now: every key and service instance attached to it is deleted.' }),
  define({ section: REG, name: 'lease list', args: '', summary: 'every live lease', about: 'List the ids of every live lease.' }),

  define({ section: WATCH, name: 'watch service', args: 'NAME', summary: "print a service's instances, then each change", about: 'Watch the instances of service NAME: print all of them, then each instance added, changed (health, address, tags...) or removed, as it happens.', flags: { passing: flag('only instances whose checks all pass'), tag: flag('only instances with this tag', 'TAG'), count: COUNT } }),
  define({ section: WATCH, name: 'watch services', args: '', summary: 'print the list of services, then each change', about: 'Watch the list of services: print every service (tags, instances, passing), then each service added, changed or removed.', flags: { count: COUNT } }),
  define({ section: WATCH, name: 'watch key', args: 'PREFIX', summary: 'print each change to the keys under a prefix', about: 'Watch every key that starts with PREFIX and print each change as "PUT key value" or "DELETE key" (as roster kv watch PREFIX --prefix).', flags: { count: COUNT } }),
  define({ section: WATCH, name: 'watch checks', args: '', summary: 'print health checks (in a state), then each change', about: 'Watch health checks, every one or those in a state: print them, then each check that enters, changes in or leaves the set.', flags: { state: flag('only checks in this state: passing, warning or critical', 'STATE'), service: flag("only this service's checks", 'SERVICE'), count: COUNT } }),
  define({
    section: WATCH,
    name: 'template',
    args: 'TEMPLATE DEST',
    summary: 'keep a file rendered from the registry (as consul-template), running a command after each change',
    about:
      'Render the Liquid template TEMPLATE into DEST, then again whenever anything it reads changes (followed through watch streams, never polled): healthy or all instances of a service ({% assign web = "web" | service %}, "tag.web", "any", "key=value" node meta), the service list ("" | services), nodes ("" | nodes), keys ("cfg/x" | key, key_or_default) and prefixes ("cfg/" | tree). DEST is written atomically (a temporary file, fsync, rename; its mode and owner kept) and only when the render changed; then --exec runs (retried until it succeeds). While a server cannot confirm the data with the leader, or the stream is broken, the last render stays; so does it when a service that had instances has none, unless --allow-empty.',
    flags: {
      exec: flag('a shell command to run after each change of DEST (a reload: haproxy -sf, systemctl reload)', 'CMD'),
      'exec-timeout-ms': flag('how long --exec may run before it is stopped and counted failed (default 30000)', 'MS'),
      wait: flag('quiescence, as consul-template: render once the data has been quiet for MIN, at most MAX after the first change (Go durations: 2s:10s; default 0s, no wait)', 'MIN:MAX'),
      once: flag('render once (when the data is fresh), run --exec once, and exit with its outcome'),
      dry: flag('print each render to stdout instead of writing DEST, and run nothing'),
      'allow-empty': flag('write a render in which a service that had instances has none (default: keep the last render)'),
    },
    output: false,
  }),

  define({
    section: COORD,
    name: 'lock',
    args: 'NAME',
    exec: true,
    output: false,
    summary: 'run a command while holding a lock',
    about:
      'Take the lock NAME (a KV key, held by a session of this host\'s node), waiting while someone else holds it, then run CMD ARGS... and release the lock when it exits. ' +
      "Exits with CMD's exit code. If the lock is lost while CMD runs (the session ended), CMD gets SIGTERM (SIGKILL 10 s later) and roster exits 1. " +
      'SIGINT, SIGTERM and SIGHUP are passed on to CMD.',
    flags: {
      'ttl-ms': flag("the session's TTL: how long the lock outlives this process going silent (default 10000, at least 1000)", 'MS'),
      'timeout-ms': flag('give up (exit 1) if the lock is not acquired within MS (default: wait forever)', 'MS'),
      'lock-delay-ms': flag('after a holder\'s session ends without releasing, nobody takes the lock for MS (default 15000; 0: none)', 'MS'),
      node: flag("the node the session belongs to (default: this host's name)", 'N'),
    },
  }),

  define({ section: AGENT, name: 'leave', args: '', reach: 'agent', summary: 'make the local agent leave the cluster gracefully and stop', about: 'Ask the agent at --agent to leave the gossip pool gracefully (its node is deregistered, not marked failed) and stop.' }),
  define({ section: AGENT, name: 'force-leave', args: 'NODE', reach: 'agent', summary: 'declare a failed member left (Serf\'s force-leave)', about: 'Ask the agent at --agent to declare NODE, a member its gossip holds failed, left: the whole pool hears it and the leader deregisters the node now, instead of keeping it critical until it is reaped (24 h). A live member is refused (it would refute it).' }),
  define({ section: AGENT, name: 'join', args: 'ADDRESS', reach: 'agent', summary: 'make the local agent join a gossip pool through ADDRESS', about: 'Ask the agent at --agent to exchange its gossip state with the member at ADDRESS (host:port, port 8301 by default): pools that formed apart merge.' }),
  define({ section: AGENT, name: 'maint enable', args: '', reach: 'agent', summary: 'put this node (or one service) in maintenance', about: 'Put the agent\'s node, or with --service one of its services, in maintenance: a critical check keeps it out of healthy queries until `roster maint disable`.', flags: { service: flag('only this service instance (default: the whole node)', 'ID'), reason: flag('why, shown in the maintenance check\'s output', 'TEXT') } }),
  define({ section: AGENT, name: 'maint disable', args: '', reach: 'agent', summary: 'end maintenance of this node (or one service)', about: 'End the maintenance of the agent\'s node, or with --service of one of its services.', flags: { service: flag('only this service instance (default: the whole node)', 'ID') } }),

  define({ section: OPS, name: 'members', args: '', summary: 'the gossip pool: name, address, status, role, incarnation', about: 'List the gossip pool as the answering server sees it: name, address, status, role, incarnation and datacenter of every member.' }),
  define({
    section: OPS,
    name: 'keyring',
    args: '',
    summary: 'gossip encryption keys: install, use (make primary), remove, list, on every member',
    about:
      'Change or list the gossip keyring of every alive member of the pool (servers and client agents): the answering server asks each one over gossip (encrypted) and reports each answer. ' +
      'It fails (exit 1) unless every alive member confirmed. A rotation: --install NEW, --use NEW, --remove OLD. Keys show as fingerprints (sha256:...), never in full.',
    flags: {
      install: flag('add KEY to every keyring (accepted, not yet used to encrypt)', 'KEY'),
      use: flag('make the installed KEY the primary everywhere (everything is encrypted with it)', 'KEY'),
      remove: flag('remove KEY everywhere (refused where it is the primary)', 'KEY'),
      list: flag('list the keys: how many members hold each, and use it as primary'),
    },
  }),
  define({ section: OPS, name: 'keygen', args: '', reach: 'local', summary: 'print a new gossip encryption key (32 bytes, base64)', about: 'Print a new random 32-byte key (AES-256), base64, for encrypt or roster keyring --install. Made here, no server.' }),
  define({ section: OPS, name: 'operator raft list-peers', args: '', summary: 'every Raft member: address, voter/learner, leader, match, last contact', about: 'List every Raft member: addresses, voter or learner, which one leads, the match index and last contact the leader reports, replication state.' }),
  define({ section: OPS, name: 'operator raft add-learner', args: 'NAME PEER_ADDR', summary: 'add a non-voting member', about: 'Add NAME at PEER_ADDR as a learner (it receives the log but does not vote). Start it with --initial-cluster-state existing, then promote it.' }),
  define({ section: OPS, name: 'operator raft promote', args: 'NAME', summary: 'make a caught-up learner a voter', about: 'Make the learner NAME a voting member once it has caught up with the leader.' }),
  define({ section: OPS, name: 'operator raft remove-peer', args: 'NAME', summary: 'remove a member', about: 'Remove the member NAME from the Raft membership.' }),
  define({ section: OPS, name: 'operator raft transfer-leader', args: 'NAME', summary: 'hand leadership to a member', about: 'Make the voter NAME the leader (the current leader hands over).' }),
  define({ section: OPS, name: 'snapshot save', args: 'FILE', summary: 'write a consistent image of the state to FILE', about: 'Write a consistent image of the whole state (from the answering server) to FILE, atomically.' }),
  define({ section: OPS, name: 'snapshot inspect', args: 'FILE', reach: 'none', summary: 'check a snapshot file whole; print what it holds', about: 'Check FILE whole (checksum, record count) and print its index, term, cluster id, members and record count. Reads the file only.' }),
  define({
    section: OPS,
    name: 'snapshot restore',
    args: 'FILE',
    reach: 'none',
    output: false,
    summary: 'prepare a member of a NEW cluster from FILE',
    about: 'Prepare the data dir of a member of a NEW cluster from the snapshot FILE; then start it with roster agent --server.',
    flags: { name: flag("the new member's name", 'N', true), 'data-dir': flag('an empty data dir to prepare', 'D', true), 'initial-cluster': flag('the NEW cluster: n1=host:port,... (peer addresses)', 'n1=h:p,...', true), 'initial-cluster-token': flag('unique to this restore, the same for every member (needed with several members)', 'T') },
  }),
  define({
    section: TLS,
    name: 'tls ca create',
    args: '',
    reach: 'local',
    output: false,
    summary: 'make a certificate authority: roster-agent-ca.pem and its key',
    about:
      'Make a self-signed certificate authority (RSA 2048) and write roster-agent-ca.pem and roster-agent-ca-key.pem (readable by its owner only), refusing to overwrite either. ' +
      'Keep the key safe: whoever holds it can make certificates every member trusts. Then make certificates with roster tls cert create.',
    flags: {
      domain: flag("the cluster's domain, named in the default common name (default roster)", 'D'),
      days: flag('how long it is valid (default 1825: five years)', 'N'),
      'common-name': flag('its subject\'s common name (default "Roster Agent CA DOMAIN" and a random suffix)', 'NAME'),
      dir: TLS_DIR,
    },
  }),
  define({
    section: TLS,
    name: 'tls cert create',
    args: '',
    reach: 'local',
    output: false,
    summary: 'make a server, client or CLI certificate signed by the CA',
    about:
      'Make a certificate and key signed by the CA, for a server (DNS server.DC.DOMAIN and localhost, IP 127.0.0.1; server and client auth), ' +
      'a client agent (client.DC.DOMAIN, localhost, IP 127.0.0.1; client and server auth) or the CLI (cli.DC.DOMAIN; client auth only). ' +
      'It writes DC-server-roster-N.pem and DC-server-roster-N-key.pem (client, cli likewise), N the first index not taken, so it never overwrites one.',
    flags: {
      server: flag('a server certificate'),
      client: flag("a client agent's certificate"),
      cli: flag("the roster CLI's certificate"),
      dc: flag('the datacenter (default dc1)', 'DC'),
      domain: flag("the cluster's domain, the last part of the member's name (default roster)", 'D'),
      days: flag('how long it is valid (default 365)', 'N'),
      node: flag("a server's name (its --name): adds NAME.server.DC.DOMAIN, the identity its Raft peers check; a server with TLS needs it", 'NAME'),
      'additional-dnsname': listFlag('more DNS names to put in it', 'NAME'),
      'additional-ipaddress': listFlag('more IP addresses to put in it', 'IP'),
      ca: flag("the CA's certificate (default roster-agent-ca.pem in --dir)", 'FILE'),
      key: flag("the CA's key (default roster-agent-ca-key.pem in --dir)", 'FILE'),
      dir: TLS_DIR,
    },
  }),

  define({
    section: ACL,
    name: 'acl bootstrap',
    args: '',
    summary: 'make the first management token (once per cluster)',
    about:
      'Create the first management token and print it, secret id included: keep it safe, it may do anything. Allowed once per cluster; a second bootstrap is refused with a reset index. ' +
      "Lost it? Write that index into <data-dir>/acl-bootstrap-reset on the leader's data dir and bootstrap again (README, Access control).",
  }),
  define({
    section: ACL,
    name: 'acl token create',
    args: '',
    summary: 'create a token linked to policies',
    about: 'Create a token, print it with its secret id. Its rights are the union of its policies\' rules; without policies it may do only what the default policy allows.',
    flags: { description: flag('what the token is for', 'TEXT'), 'policy-name': POLICY_NAMES, 'policy-id': POLICY_IDS, 'expires-ttl': flag('the token stops working this long after it is created: a Go duration such as 1h or 30m', 'DURATION'), accessor: flag('the accessor id to give it (a UUID; default: drawn)', 'ID'), secret: flag('the secret id to give it (a UUID; default: drawn)', 'ID') },
  }),
  define({ section: ACL, name: 'acl token list', args: '', summary: 'every token (without secrets)', about: 'List every token: accessor id, description, policies, expiry. Secrets are never listed. Needs acl:read.' }),
  define({ section: ACL, name: 'acl token read', args: '', summary: 'one token, or the caller\'s own (--self)', about: 'Print the token with accessor id --id (needs acl:read), or with --self the token this command runs with.', flags: { id: flag("the token's accessor id", 'ACCESSOR'), self: flag('the token this command sends (--token)') } }),
  define({
    section: ACL,
    name: 'acl token update',
    args: '',
    summary: "change a token's description or policies",
    about: "Change the token --id: what is not given is kept. Policies given replace the token's, or with --merge-policies are added to them.",
    flags: { id: TOKEN_ID, description: flag('the new description', 'TEXT'), 'policy-name': POLICY_NAMES, 'policy-id': POLICY_IDS, 'merge-policies': flag("add the policies given to the token's instead of replacing them") },
  }),
  define({ section: ACL, name: 'acl token delete', args: '', summary: 'delete a token (it stops working everywhere)', about: 'Delete the token --id: every call with its secret is refused from the next apply on, and watches opened with it end.', flags: { id: TOKEN_ID } }),
  define({ section: ACL, name: 'acl policy create', args: '', summary: 'create a policy from rules', about: 'Create a policy. Rules name resources (key_prefix, service, node, session, agent, operator, acl...) and a level (read, write, list, deny); the most specific rule wins.', flags: { name: flag('its name, unique', 'NAME', true), rules: flag(RULES, 'RULES', true), description: flag('what it is for', 'TEXT') } }),
  define({ section: ACL, name: 'acl policy list', args: '', summary: 'every policy', about: 'List every policy: id, name, description. Needs acl:read.' }),
  define({ section: ACL, name: 'acl policy read', args: '', summary: 'one policy and its rules', about: 'Print the policy named by --id or --name, with its rules.', flags: POLICY_REF }),
  define({ section: ACL, name: 'acl policy update', args: '', summary: "change a policy's rules, name or description", about: 'Change the policy named by --id or --name: what is not given is kept. Tokens linked to it follow at once.', flags: { ...POLICY_REF, 'new-name': flag('rename it', 'NAME'), rules: flag(RULES, 'RULES'), description: flag('the new description', 'TEXT') } }),
  define({ section: ACL, name: 'acl policy delete', args: '', summary: 'delete a policy (tokens linked to it lose its rules)', about: 'Delete the policy named by --id or --name.', flags: POLICY_REF }),

  define({ section: OPS, name: 'agent', args: '', reach: 'none', output: false, summary: 'run a client agent, or with --server a server', about: 'Run a Roster agent: a client agent (a gossip member, with a local API given --api-addr), or with --server a server. Its flags: roster agent --help.' }),
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command named by the longest leading run of `words`, and the words after it. */
export function findCommand(words: readonly string[]): { command: CommandDef; rest: string[] } | undefined {
  for (let n = Math.min(3, words.length); n > 0; n--) {
    const command = BY_NAME.get(words.slice(0, n).join(' '));
    if (command !== undefined) return { command, rest: words.slice(n) };
  }
  return undefined;
}

/** Commands under a group ("kv", "operator raft"); empty when `words` is no group. */
export function commandsUnder(words: readonly string[]): CommandDef[] {
  const prefix = `${words.join(' ')} `;
  return words.length === 0 ? [] : COMMANDS.filter((c) => c.name.startsWith(prefix));
}

/** Every flag a command accepts, its own and the global ones for its kind. */
export function flagsOf(c: CommandDef): Readonly<Record<string, FlagDef>> {
  return {
    ...c.flags,
    ...(c.reach === 'server' ? { endpoint: GLOBAL_FLAGS.endpoint, endpoints: GLOBAL_FLAGS.endpoints } : {}),
    ...(c.reach === 'agent' ? { agent: GLOBAL_FLAGS.agent } : {}),
    ...(c.reach === 'server' || c.reach === 'agent' ? Object.fromEntries([...TOKEN_FLAG_NAMES, ...TLS_FLAG_NAMES].map((f) => [f, GLOBAL_FLAGS[f]])) : {}),
    ...(c.output ? { format: GLOBAL_FLAGS.format } : {}),
    help: GLOBAL_FLAGS.help,
  };
}

/** Whether each flag name of any command takes a value (a name means the same everywhere). */
export const FLAG_TAKES_VALUE: ReadonlyMap<string, boolean> = new Map(COMMANDS.flatMap((c) => Object.entries(flagsOf(c)).map(([k, f]) => [k, f.value !== undefined] as const)));

/** The flags that take a list and may be repeated (FlagDef.list). */
export const LIST_FLAGS: ReadonlySet<string> = new Set(COMMANDS.flatMap((c) => Object.entries(c.flags).filter(([, f]) => f.list === true).map(([k]) => k)));

export function synopsis(c: CommandDef): string {
  const own = Object.entries(c.flags).map(([k, f]) => {
    const text = f.value === undefined ? `--${k}` : `--${k} ${f.value}`;
    return f.required === true ? text : `[${text}]`;
  });
  return ['roster', c.name, c.args, ...own, ...(c.exec === true ? ['-- CMD [ARGS...]'] : [])].filter((p) => p !== '').join(' ');
}

function flagLines(flags: Readonly<Record<string, FlagDef>>): string[] {
  const left = Object.entries(flags).map(([k, f]) => [f.value === undefined ? `--${k}` : `--${k} ${f.value}`, f.help] as const);
  const width = Math.max(...left.map(([l]) => l.length)) + 3;
  return left.map(([l, h]) => `  ${l.padEnd(width)}${h}`);
}

/** Wraps lines longer than `width` at spaces (shorter lines, such as examples, stay as written). */
function wrap(text: string, width = 96): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const out: string[] = [];
      let rest = line;
      while (rest.length > width) {
        const cut = rest.lastIndexOf(' ', width);
        if (cut <= 0) break;
        out.push(rest.slice(0, cut));
        rest = rest.slice(cut + 1);
      }
      return [...out, rest];
    })
    .join('\n');
}

/** A command's own help: synopsis, what it does, its flags. */
export function commandHelp(c: CommandDef): string {
  return [`usage: ${synopsis(c)}`, '', wrap(c.about), '', 'flags:', ...flagLines(flagsOf(c))].join('\n');
}

const head = (c: CommandDef): string => `${c.name}${c.args === '' ? '' : ` ${c.args}`}${c.exec === true ? ' -- CMD...' : ''}`;

function listing(cs: readonly CommandDef[], all: readonly CommandDef[] = cs): string[] {
  const width = Math.max(...all.map((c) => head(c).length)) + 3;
  return cs.map((c) => `  ${head(c).padEnd(width)}${c.summary}`);
}

/** `roster kv --help`: the commands of a group. */
export function groupHelp(words: readonly string[]): string {
  const cs = commandsUnder(words);
  return [`usage: roster ${words.join(' ')} <command> [args] [flags]`, '', 'commands:', ...listing(cs), '', `roster ${words.join(' ')} <command> --help shows a command's own help.`].join('\n');
}

/** `roster --help`: every command by section, and the global flags. */
export function generalHelp(): string {
  const lines = ['usage: roster <command> [args] [flags]', ''];
  const sections = [...new Set(COMMANDS.map((c) => c.section))];
  for (const s of sections) lines.push(`${s}:`, ...listing(COMMANDS.filter((c) => c.section === s), COMMANDS), '');
  lines.push('global flags:', ...flagLines(GLOBAL_FLAGS), '', "roster <command> --help (or roster help <command>) shows a command's own help.");
  return lines.join('\n');
}
