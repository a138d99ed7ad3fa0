/**
 * The status half of scripts/cluster.sh: for each server folder, its PID and, from the server
 * itself (etcd's Maintenance.Status), its Raft role, term and indexes; for each client agent
 * folder, its PID and addresses. A cluster started with --tls is asked over TLS with the CLI's
 * certificate from DIR/tls (its servers require one). Aligned columns, or --json.
 */
import * as grpc from '@grpc/grpc-js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { columns } from '../src/cli/columns.js';
import { etcdProto } from '../src/proto/etcd-proto.js';

interface Row {
  name: string;
  /** server: a Raft member; client: a client agent. */
  kind: 'server' | 'client';
  pid: number | null;
  running: boolean;
  peerAddr: string;
  clientAddr: string;
  role: string;
  term: number | null;
  raftIndex: number | null;
  appliedIndex: number | null;
  error?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The cluster's CLI credentials when it has a CA (cluster.sh --tls), else plaintext. */
function credentialsFor(dir: string): grpc.ChannelCredentials {
  const tls = join(dir, 'tls');
  if (!existsSync(join(tls, 'roster-agent-ca.pem'))) return grpc.credentials.createInsecure();
  const read = (f: string): Buffer => readFileSync(join(tls, f));
  return grpc.credentials.createSsl(read('roster-agent-ca.pem'), read('cli/dc1-cli-roster-0-key.pem'), read('cli/dc1-cli-roster-0.pem'));
}

async function status(clientAddr: string, credentials: grpc.ChannelCredentials): Promise<{ leader: string; memberId: string; term: number; index: number; applied: number }> {
  const Client = etcdProto().etcdserverpb.Maintenance;
  // With TLS, the certificate is checked for the name every server's carries (an IP as the TLS
  // server name is deprecated in Node); the CA check is the same.
  const client = new Client(clientAddr, credentials, { 'grpc.ssl_target_name_override': 'server.dc1.roster' });
  try {
    return await new Promise((resolve, reject) => {
      client.Status({}, { deadline: Date.now() + 1500 }, (err, res) => {
        if (err || res === undefined) return reject(err ?? new Error('no response'));
        resolve({ leader: res.leader, memberId: res.header?.memberId ?? '', term: Number(res.raftTerm), index: Number(res.raftIndex), applied: Number(res.raftAppliedIndex) });
      });
    });
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const [dir = '.cluster', asJson = 'false'] = process.argv.slice(2);
  if (!existsSync(dir)) {
    console.error(`no cluster under ${dir}`);
    process.exit(1);
  }
  const numbered = (prefix: string): string[] => readdirSync(dir).filter((n) => new RegExp(`^${prefix}\\d+$`).test(n)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const names = numbered('n');
  const rows: Row[] = [];
  const credentials = credentialsFor(dir);
  for (const name of names) {
    const i = name.slice(1);
    const pidFile = join(dir, name, 'pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : null;
    const running = pid !== null && alive(pid);
    const row: Row = { name, kind: 'server', pid, running, peerAddr: `127.0.0.${i}:8300`, clientAddr: `127.0.0.${i}:8502`, role: running ? 'unknown' : 'stopped', term: null, raftIndex: null, appliedIndex: null };
    if (running) {
      try {
        const s = await status(row.clientAddr, credentials);
        row.role = s.leader === '0' ? 'no leader' : s.leader === s.memberId ? 'leader' : 'follower';
        row.term = s.term;
        row.raftIndex = s.index;
        row.appliedIndex = s.applied;
      } catch (err) {
        row.error = (err as Error).message;
      }
    }
    rows.push(row);
  }
  for (const name of numbered('a')) {
    // Agent aJ runs on 127.0.0.(10+J): gossip on 8301, its local API on 8500 (cluster.sh start).
    const host = `127.0.0.${10 + Number(name.slice(1))}`;
    const pidFile = join(dir, name, 'pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : null;
    const running = pid !== null && alive(pid);
    rows.push({ name, kind: 'client', pid, running, peerAddr: `${host}:8301`, clientAddr: `${host}:8500`, role: running ? 'agent' : 'stopped', term: null, raftIndex: null, appliedIndex: null });
  }
  if (asJson === 'true') {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  if (existsSync(join(dir, 'tls', 'roster-agent-ca.pem'))) console.log(`TLS: on (asked with ${join(dir, 'tls', 'cli')}'s certificate)`);
  const cell = (v: number | null): string => (v === null ? '-' : String(v));
  // Servers: the Raft port and the API; agents: the gossip port and their local API.
  const table = rows.map((r) => [r.name, r.kind, cell(r.pid), r.error === undefined ? r.role : `${r.role} (${r.error.split('\n')[0]})`, cell(r.term), cell(r.raftIndex), cell(r.appliedIndex), r.peerAddr, r.clientAddr]);
  console.log(columns(['NAME', 'KIND', 'PID', 'ROLE', 'TERM', 'INDEX', 'APPLIED', 'PEER/GOSSIP', 'API'], table));
}

void main();
