import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rename, rm } from 'node:fs/promises';
import { Endpoints } from '../client/endpoints.js';
import type { Dialer } from '../client/dialer.js';
import { cliDialer } from './tls-options.js';
import { ProgressBar } from '../terminal/progress-bar.js';
import { OperatorClient, type RaftPeer } from '../client/operator-client.js';
import { runAgentCommand } from './agent-commands.js';
import { runAclCommand } from './acl-commands.js';
import { AclClient } from '../client/acl-client.js';
import { parseCommandLine } from './args.js';
import { columns } from './columns.js';
import { errorText } from './error-text.js';
import { runDataCommand, watchKeys } from './data-commands.js';
import { runLock } from './lock-command.js';
import { runTlsCommand } from './tls-commands.js';
import { KeyringIncomplete, runKeygen, runKeyringCommand } from './keyring-commands.js';
import { runTxn } from './txn.js';
import { UsageError } from './usage-error.js';
import { runWatch } from './watch-command.js';
import { runTemplate } from './template-command.js';
import { endpointList } from './endpoint-list.js';

/**
 * The `roster` command. `roster agent ...` and `roster snapshot restore|inspect ...` run in the
 * agent (bin/roster.mjs routes them); everything here talks to a running server, or to the local
 * agent (leave, maint), but for roster tls, which makes certificate files here. Which commands exist, their arguments, flags and help: commands.ts.
 */

/** Deadline of each call to a server or agent. */
const TIMEOUT_MS = 10_000;

/** Deadline of roster keyring, which waits for every member of the pool. */
const KEYRING_TIMEOUT_MS = 60_000;

/** The server this run talks to, for error messages. */
let server: string | undefined;

function peersTable(peers: readonly RaftPeer[]): string {
  const head = ['NAME', 'MEMBER ID', 'PEER ADDR', 'CLIENT ADDR', 'MEMBERSHIP', 'LEADER', 'MATCH', 'LAST CONTACT', 'REPLICATION'];
  const rows = peers.map((p) => [p.name, p.memberId, p.peerAddr, p.clientAddr || '-', p.membership, p.leader ? 'yes' : '', String(p.matchIndex), p.lastContactMs < 0 ? 'never' : `${p.lastContactMs}ms`, replicationCell(p)]);
  return columns(head, rows);
}

/** What remove-peer says of the removed member's place in the gossip pool (MembershipResponse.gossip). */
const GOSSIP_AFTER_REMOVE: Readonly<Record<string, (name: string) => string>> = {
  left: (n) => `${n} also left the gossip pool and the catalog`,
  alive: (n) => `${n} still answers in the gossip pool: stop it, then run roster force-leave ${n}`,
  unknown: (n) => `${n} is not in the gossip pool`,
};

/** The replication state, and failing snapshots in short (the whole error is in --format json). */
function replicationCell(p: RaftPeer): string {
  const state = p.replication || '-';
  if (p.snapshotFailures === 0) return state;
  const error = p.lastSnapshotError.length > 60 ? `${p.lastSnapshotError.slice(0, 57)}...` : p.lastSnapshotError;
  return `${state} (snapshot failed ${p.snapshotFailures}x, last ${p.lastSnapshotFailureMs}ms ago: ${error})`;
}

async function saveSnapshot(client: OperatorClient, file: string): Promise<number> {
  const tmp = `${file}.part`;
  const out = createWriteStream(tmp);
  const bar = new ProgressBar('saving');
  let total = 0;
  let got = 0;
  try {
    for await (const chunk of client.snapshot()) {
      if (chunk.totalBytes > 0) total = chunk.totalBytes;
      got += chunk.data.length;
      if (!out.write(chunk.data)) await new Promise<void>((r) => out.once('drain', () => r()));
      if (total > 0) bar.update(got / total);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    bar.done();
    await rename(tmp, file);
    return got;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

async function run(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help') {
    (line.exitCode === 0 ? process.stdout : process.stderr).write(`${line.text}\n`);
    return line.exitCode;
  }
  const { command, words, args, flags, json } = line;
  if (command.reach === 'agent') return runAgentCommand({ name: command.name, args, flags, json, timeoutMs: TIMEOUT_MS });
  if (command.name === 'keygen') return runKeygen();
  if (command.reach === 'local') return runTlsCommand(command.name, flags);
  if (command.reach === 'none') return runInAgentProgram(argv);
  const list = endpointList(flags, process.env);
  server = list.join(', ');
  const [group, sub, cmd] = command.name.split(' ');
  const dial = cliDialer(flags);
  if (group === 'keyring') {
    // The server asks every member in turn (5 s each at most, 32 at once): a large pool with
    // members down takes longer than one call's usual deadline.
    return onFirstReachable(list, async (endpoint) => {
      const client = new OperatorClient(endpoint, KEYRING_TIMEOUT_MS, dial);
      try {
        return await runKeyringCommand(client, flags, json);
      } finally {
        client.close();
      }
    });
  }
  if (group === 'acl') {
    return onFirstReachable(list, async (endpoint) => {
      const client = new AclClient(endpoint, TIMEOUT_MS, dial);
      try {
        return await runAclCommand({ name: command.name, flags, json, client });
      } finally {
        client.close();
      }
    });
  }
  if (group === 'operator' || group === 'members' || (group === 'snapshot' && sub === 'save')) return onFirstReachable(list, (endpoint) => runOperatorCommand(command.name, args, json, endpoint, dial));
  const endpoints = new Endpoints(list, dial);
  try {
    if (command.name === 'kv txn') return await runTxn({ file: flags.file === undefined ? undefined : String(flags.file), endpoints, json, timeoutMs: TIMEOUT_MS });
    if (command.name === 'lock') return await runLock({ name: args[0]!, exec: line.exec, flags, endpoints, timeoutMs: TIMEOUT_MS });
    if (command.name === 'watch key') return await watchKeys({ words, flags, endpoints, json }, args[0]!, true);
    if (command.name === 'template') return await runTemplate({ args, flags, endpoints });
    if (group === 'watch') return await runWatch({ what: sub!, args, flags, endpoints, json });
    const done = await runDataCommand({ words, flags, endpoints, json });
    if (done !== undefined) return done;
  } finally {
    endpoints.close();
  }
  throw new UsageError(`unknown command: ${[group, sub, cmd].filter((w) => w !== undefined).join(' ')} (see roster --help)`);
}

/**
 * `roster agent` and `roster snapshot inspect|restore` read and write data dirs with the storage
 * code, which the CLI does not load: they run in the agent's program beside this one (dist/cmd,
 * or src/cmd when run from the sources), as a child with this terminal, and its exit code is ours.
 * bin/roster.mjs sends them there directly; this is for `node dist/cli/main.js snapshot ...`.
 */
function runInAgentProgram(argv: readonly string[]): number {
  const entry = ['../cmd/main.js', '../cmd/main.ts'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p));
  if (entry === undefined) throw new UsageError(`roster ${argv.slice(0, 2).join(' ')} runs in the agent's program, which is not beside this CLI: run it with bin/roster.mjs`);
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const r = spawnSync(process.execPath, [...loader, entry, ...argv], { stdio: 'inherit' });
  if (r.error !== undefined) throw r.error;
  return r.status ?? 1;
}

/**
 * Runs `fn` against the first server of `list` that can be reached: a server that cannot be
 * connected to never saw the call, so the next one is tried; any other failure is the answer.
 */
async function onFirstReachable<T>(list: readonly string[], fn: (endpoint: string) => Promise<T>): Promise<T> {
  for (const [i, endpoint] of list.entries()) {
    try {
      return await fn(endpoint);
    } catch (err) {
      if (i === list.length - 1 || !isUnreachable(err)) throw err;
    }
  }
  throw new Error('no endpoint given');
}

function isUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; details?: unknown };
  return e.code === 14 && typeof e.details === 'string' && e.details.includes('No connection established');
}

async function runOperatorCommand(name: string, rest: readonly string[], json: boolean, endpoint: string, dial: Dialer): Promise<number> {
  const client = new OperatorClient(endpoint, TIMEOUT_MS, dial);
  try {
    if (name.startsWith('operator raft ')) {
      let peers: readonly RaftPeer[];
      let note = '';
      switch (name) {
        case 'operator raft list-peers':
          peers = (await client.raftPeers()).peers;
          break;
        case 'operator raft add-learner':
          peers = (await client.addLearner(rest[0]!, rest[1]!)).peers;
          break;
        case 'operator raft promote':
          peers = (await client.promote(rest[0]!)).peers;
          break;
        case 'operator raft remove-peer': {
          const removed = await client.remove(rest[0]!);
          peers = removed.peers;
          note = GOSSIP_AFTER_REMOVE[removed.gossip]?.(rest[0]!) ?? '';
          break;
        }
        case 'operator raft transfer-leader':
          peers = (await client.transferLeader(rest[0]!)).peers;
          break;
        default:
          throw new UsageError(`unknown command: ${name} (see roster operator raft --help)`);
      }
      console.log(json ? JSON.stringify(peers, null, 2) : peersTable(peers));
      if (note !== '') (json ? process.stderr : process.stdout).write(`${note}\n`);
      return 0;
    }
    if (name === 'members') {
      const { members } = await client.members();
      if (json) console.log(JSON.stringify(members, null, 2));
      else console.log(columns(['NAME', 'ADDRESS', 'STATUS', 'ROLE', 'INCARNATION', 'DC'], members.map((m) => [m.name, m.addr, m.status, m.role, String(m.incarnation), m.datacenter])));
      return 0;
    }
    if (name === 'snapshot save') {
      const file = rest[0]!;
      const bytes = await saveSnapshot(client, file);
      console.log(json ? JSON.stringify({ file, bytes }) : `saved ${bytes} bytes to ${file}`);
      return 0;
    }
    throw new UsageError(`unknown command: ${name} (see roster --help)`);
  } finally {
    client.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`roster: ${err instanceof KeyringIncomplete ? err.message : errorText(err, server)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
