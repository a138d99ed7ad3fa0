import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Endpoints } from '../client/endpoints.js';
import { OperatorClient, type RaftPeer } from '../client/operator-client.js';
import { columns } from './columns.js';
import { DATA_HELP, runDataCommand } from './data-commands.js';
import { UsageError } from './usage-error.js';

/**
 * The `roster` command (operator part). `roster agent ...` and `roster snapshot restore ...`
 * run in the agent (bin/roster.mjs routes them); everything here talks to a running server.
 */
const HELP: Record<string, string> = {
  '': `usage: roster <command> [flags]

commands:
  agent [--server] ...                      run a client agent, or a server (roster agent --help)
  members                                   the gossip pool as the server sees it: name, address, status, role, incarnation
  operator raft list-peers                  every member: address, voter/learner, leader, match index, last contact
  operator raft add-learner NAME PEER_ADDR  add a non-voting member (start it with --initial-cluster-state existing)
  operator raft promote NAME                make a caught-up learner a voter
  operator raft remove-peer NAME            remove a member
  operator raft transfer-leader NAME        hand leadership to NAME
${DATA_HELP}
  snapshot save FILE                        write a consistent image of the state to FILE
  snapshot inspect FILE                     check a snapshot file whole; print its index, term, members, records
  snapshot restore FILE --name N --data-dir D --initial-cluster n1=h:p,...
                                            prepare a member of a NEW cluster from FILE

global flags:
  --endpoint HOST:PORT   a server's client address (default 127.0.0.1:8502, or $ROSTER_ENDPOINT)
  --format table|json    output format (default table)
  --help                 help for any command`,
};


interface Parsed {
  words: string[];
  flags: Record<string, string | boolean>;
}

/** Flags that take no value. */
const BOOL_FLAGS = new Set(['help', 'prefix', 'passing']);

function parse(argv: string[]): Parsed {
  const words: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      words.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (BOOL_FLAGS.has(name)) flags[name] = eq < 0 ? true : a.slice(eq + 1) !== 'false';
    else if (eq >= 0) flags[name] = a.slice(eq + 1);
    else {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = v;
    }
  }
  if (flags.format !== undefined && flags.format !== 'table' && flags.format !== 'json') throw new UsageError('--format must be table or json');
  return { words, flags };
}

function peersTable(peers: readonly RaftPeer[]): string {
  const head = ['NAME', 'MEMBER ID', 'PEER ADDR', 'CLIENT ADDR', 'MEMBERSHIP', 'LEADER', 'MATCH', 'LAST CONTACT', 'REPLICATION'];
  const rows = peers.map((p) => [p.name, p.memberId, p.peerAddr, p.clientAddr || '-', p.membership, p.leader ? 'yes' : '', String(p.matchIndex), p.lastContactMs < 0 ? 'never' : `${p.lastContactMs}ms`, p.replication || '-']);
  return columns(head, rows);
}

async function saveSnapshot(client: OperatorClient, file: string): Promise<number> {
  const tmp = `${file}.part`;
  const out = createWriteStream(tmp);
  let total = 0;
  let got = 0;
  try {
    for await (const chunk of client.snapshot()) {
      if (chunk.totalBytes > 0) total = chunk.totalBytes;
      got += chunk.data.length;
      if (!out.write(chunk.data)) await new Promise<void>((r) => out.once('drain', () => r()));
      if (process.stderr.isTTY && total > 0) {
        const f = got / total;
        process.stderr.write(`\r  saving [${'#'.repeat(Math.round(f * 30)).padEnd(30, '.')}] ${Math.round(f * 100)}%`);
      }
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (process.stderr.isTTY) process.stderr.write('\n');
    await rename(tmp, file);
    return got;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

async function run(argv: string[]): Promise<number> {
  const { words, flags } = parse(argv);
  if (words.length === 0 || (flags.help === true && words.length <= 1)) {
    console.log(HELP['']!);
    return words.length === 0 && flags.help !== true ? 2 : 0;
  }
  const endpoint = String(flags.endpoint ?? process.env.ROSTER_ENDPOINT ?? '127.0.0.1:8502');
  const json = flags.format === 'json';
  const [group, sub, cmd, ...rest] = words;
  if (flags.help === true) {
    const general = HELP['']!;
    console.log(general.split('\n').filter((l) => l.includes(`${group} ${sub ?? ''}`.trim())).join('\n') || general);
    return 0;
  }
  const endpoints = new Endpoints([endpoint]);
  try {
    const done = await runDataCommand({ words, flags, endpoints, json });
    if (done !== undefined) return done;
  } finally {
    endpoints.close();
  }
  for (const f of Object.keys(flags)) if (!['help', 'endpoint', 'format'].includes(f)) throw new UsageError(`unknown flag --${f}`);
  const client = new OperatorClient(endpoint);
  try {
    if (group === 'operator' && sub === 'raft') {
      const need = (n: number, usage: string): void => {
        if (rest.length !== n) throw new UsageError(`usage: roster operator raft ${cmd} ${usage}`);
      };
      let peers: readonly RaftPeer[];
      switch (cmd) {
        case 'list-peers':
          need(0, '');
          peers = (await client.raftPeers()).peers;
          break;
        case 'add-learner':
          need(2, 'NAME PEER_ADDR');
          peers = (await client.addLearner(rest[0]!, rest[1]!)).peers;
          break;
        case 'promote':
          need(1, 'NAME');
          peers = (await client.promote(rest[0]!)).peers;
          break;
        case 'remove-peer':
          need(1, 'NAME');
          peers = (await client.remove(rest[0]!)).peers;
          break;
        case 'transfer-leader':
          need(1, 'NAME');
          peers = (await client.transferLeader(rest[0]!)).peers;
          break;
        default:
          throw new UsageError(`unknown command: operator raft ${cmd ?? ''} (see roster --help)`);
      }
      console.log(json ? JSON.stringify(peers, null, 2) : peersTable(peers));
      return 0;
    }
    if (group === 'members') {
      if (sub !== undefined) throw new UsageError('usage: roster members');
      const { members } = await client.members();
      if (json) console.log(JSON.stringify(members, null, 2));
      else console.log(columns(['NAME', 'ADDRESS', 'STATUS', 'ROLE', 'INCARNATION', 'DC'], members.map((m) => [m.name, m.addr, m.status, m.role, String(m.incarnation), m.datacenter])));
      return 0;
    }
    if (group === 'snapshot' && sub === 'save') {
      if (cmd === undefined || rest.length > 0) throw new UsageError('usage: roster snapshot save FILE');
      const bytes = await saveSnapshot(client, cmd);
      console.log(json ? JSON.stringify({ file: cmd, bytes }) : `saved ${bytes} bytes to ${cmd}`);
      return 0;
    }
    throw new UsageError(`unknown command: ${words.join(' ')} (see roster --help)`);
  } finally {
    client.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as { details?: string; message?: string };
    process.stderr.write(`roster: ${e.details ?? e.message ?? String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
