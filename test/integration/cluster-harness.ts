import * as grpc from '@grpc/grpc-js';
import { PLAINTEXT, type Dialer } from '../../src/client/dialer.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registryProto } from '../../src/proto/registry-proto.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** An error's message, or any other thrown value as JSON, for failure messages. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : JSON.stringify(err);
}

/** A free TCP port on `host`, below the ephemeral range (the same as startTestRegistry's). */
export { freePort } from '../../src/testing/free-port.js';
import { freePort } from '../../src/testing/free-port.js';

export interface ServerProc {
  readonly name: string;
  readonly host: string;
  readonly peerAddr: string;
  readonly clientAddr: string;
  readonly dataDir: string;
  /** Set with uidBase: the user id the process runs as. */
  readonly uid?: number;
  /** Set when the cluster gossips. */
  readonly gossipAddr?: string;
  /** Set with serverApi: the server's agent API. */
  readonly apiAddr?: string;
  /** Set with http: the server's /metrics and /health (served once it is ready). */
  readonly httpAddr?: string;
  proc: ChildProcess | undefined;
  log: string[];
}

/** A client agent process (a gossip member). */
export interface AgentProc {
  readonly name: string;
  readonly gossipAddr: string;
  proc: ChildProcess | undefined;
  log: string[];
}

export interface ClusterOptions {
  readonly servers: number;
  /** Loopback hosts 127.0.0.<base+1>... (distinct per test file so files can run in parallel). */
  readonly hostBase: number;
  readonly snapshotEvery?: number;
  /** Entries kept below each compaction point (--snapshot-keep-tail). */
  readonly snapshotKeepTail?: number;
  readonly extraArgs?: readonly string[];
  /** Servers gossip (each on its own address, joining through the first), with these extra flags. */
  readonly gossip?: { readonly extraArgs: readonly string[] };
  /**
   * Servers found the cluster by gossip (--bootstrap-expect N) instead of --initial-cluster;
   * each joins gossip through the next server only.
   */
  readonly bootstrapExpect?: number;
  /** Each server is also an agent for its host (--api-addr on a free port). */
  readonly serverApi?: boolean;
  /** Each server serves /metrics and /health (--http-addr on a free port). */
  readonly http?: boolean;
  /** How long a started process may take to print its ready line (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** Extra environment for every server process (e.g. ROSTER_FAILPOINTS). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Server n<i> runs as user id uidBase+i (needs root): iptables' owner match can then tell the
   * members' outgoing connections apart, which all come from 127.0.0.1 (test/nemesis partitions).
   */
  readonly uidBase?: number;
  /**
   * TLS on every port: each server's and agent's TLS flags, and how the harness dials servers.
   * Without it, servers run with --insecure-peers (no TLS).
   */
  readonly tls?: { serverArgs(name: string): string[]; agentArgs(name: string): string[]; readonly dial: Dialer };
}

type Unary = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => grpc.ClientUnaryCall;

/**
 * Real `roster agent --server` processes on 127.0.0.x with free ports and temporary data dirs.
 * Everything started here is stopped by PID and removed in `destroy()`.
 */
export class TestCluster {
  readonly servers: ServerProc[] = [];
  private readonly root: string;
  private clients = new Map<string, grpc.Client>();
  initialCluster = '';
  /** This cluster's --initial-cluster-token: unique per founding, as a deployment's should be (a test founding again sets a new one). */
  token = randomBytes(8).toString('hex');

  private constructor(private readonly opts: ClusterOptions) {
    this.root = mkdtempSync(join(tmpdir(), 'roster-it-'));
    if (opts.uidBase !== undefined) chmodSync(this.root, 0o755);
  }

  static async start(opts: ClusterOptions): Promise<TestCluster> {
    const c = await TestCluster.prepare(opts);
    await Promise.all(c.servers.map((s) => c.launch(s, 'new')));
    await c.waitForLeader();
    return c;
  }

  /** The cluster's servers defined (addresses, data dirs), none started: launch them in any order. */
  static async prepare(opts: ClusterOptions): Promise<TestCluster> {
    const c = new TestCluster(opts);
    for (let i = 1; i <= opts.servers; i++) await c.define(i);
    c.initialCluster = c.servers.map((s) => `${s.name}=${s.peerAddr}`).join(',');
    return c;
  }

  private async define(i: number): Promise<ServerProc> {
    const host = `127.0.0.${this.opts.hostBase + i}`;
    const s: ServerProc = {
      name: `n${i}`,
      host,
      peerAddr: `${host}:${await freePort(host)}`,
      clientAddr: `${host}:${await freePort(host)}`,
      ...(this.opts.gossip !== undefined ? { gossipAddr: `${host}:${await freePort(host)}` } : {}),
      ...(this.opts.serverApi === true ? { apiAddr: `${host}:${await freePort(host)}` } : {}),
      ...(this.opts.http === true ? { httpAddr: `${host}:${await freePort(host)}` } : {}),
      dataDir: join(this.root, `n${i}`),
      ...(this.opts.uidBase !== undefined ? { uid: this.opts.uidBase + i } : {}),
      proc: undefined,
      log: [],
    };
    if (s.uid !== undefined) {
      mkdirSync(s.dataDir);
      chownSync(s.dataDir, s.uid, s.uid);
    }
    this.servers.push(s);
    return s;
  }

  /** Adds the definition of one more server (not started). */
  async addServer(): Promise<ServerProc> {
    return this.define(this.servers.length + 1);
  }

  server(name: string): ServerProc {
    const s = this.servers.find((x) => x.name === name);
    if (s === undefined) throw new Error(`no server ${name}`);
    return s;
  }

  /** The gossip address a server joins through: the first server, or with bootstrap-expect the next one. */
  private joinAddrFor(s: ServerProc): string {
    if (this.opts.bootstrapExpect === undefined) return this.servers[0]!.gossipAddr!;
    const i = this.servers.indexOf(s);
    return this.servers[(i + 1) % this.servers.length]!.gossipAddr!;
  }

  /** Starts (or restarts) a server process and waits until it is ready; `extraArgs` for this start only. */
  launch(s: ServerProc, state: 'new' | 'existing', name = s.name, extraArgs: readonly string[] = []): Promise<void> {
    const args = [
      '--import',
      'tsx',
      join(ROOT, 'src/cmd/main.ts'),
      '--server',
      '--name',
      name,
      '--data-dir',
      s.dataDir,
      '--peer-addr',
      s.peerAddr,
      '--client-addr',
      s.clientAddr,
      ...(this.opts.bootstrapExpect !== undefined ? ['--bootstrap-expect', String(this.opts.bootstrapExpect)] : ['--initial-cluster', this.initialCluster, '--initial-cluster-token', this.token, '--initial-cluster-state', state]),
      ...(this.opts.snapshotEvery !== undefined ? ['--snapshot-every', String(this.opts.snapshotEvery)] : []),
      ...(this.opts.snapshotKeepTail !== undefined ? ['--snapshot-keep-tail', String(this.opts.snapshotKeepTail)] : []),
      ...(this.opts.tls === undefined ? ['--insecure-peers'] : this.opts.tls.serverArgs(name)),
      ...(this.opts.extraArgs ?? []),
      ...(s.apiAddr !== undefined ? ['--api-addr', s.apiAddr] : []),
      ...(s.httpAddr !== undefined ? ['--http-addr', s.httpAddr] : []),
      ...(s.gossipAddr !== undefined ? ['--gossip-addr', s.gossipAddr, '--join', this.joinAddrFor(s), ...(this.opts.gossip?.extraArgs ?? [])] : []),
      ...extraArgs,
    ];
    return spawnUntilReady(s, s.name, args, this.opts.readyTimeoutMs, this.opts.env, s.uid);
  }

  readonly agents: AgentProc[] = [];

  /**
   * Starts a client agent on `host`, joining the servers' gossip (every server, or the `seeds`
   * given), and waits until it is ready.
   */
  async startAgent(name: string, host: string, extraArgs: readonly string[] = [], seeds?: readonly string[]): Promise<AgentProc> {
    const a: AgentProc = this.agents.find((x) => x.name === name) ?? { name, gossipAddr: `${host}:${await freePort(host)}`, proc: undefined, log: [] };
    if (!this.agents.includes(a)) this.agents.push(a);
    const seedList = seeds ?? this.servers.map((s) => s.gossipAddr).filter((x): x is string => x !== undefined);
    const args = ['--import', 'tsx', join(ROOT, 'src/cmd/main.ts'), 'agent', '--name', name, '--gossip-addr', a.gossipAddr, '--join', seedList.join(','), ...(this.opts.gossip?.extraArgs ?? []), ...(this.opts.tls?.agentArgs(name) ?? []), ...extraArgs];
    await spawnUntilReady(a, `agent ${name}`, args, this.opts.readyTimeoutMs);
    return a;
  }

  /** Sends a signal to an agent; SIGTERM makes it leave gracefully and exit. */
  signalAgent(a: AgentProc, signal: NodeJS.Signals): void {
    a.proc?.kill(signal);
    if (signal === 'SIGKILL') a.proc = undefined;
  }

  /** Waits for an agent that was told to stop to exit. */
  async agentExited(a: AgentProc, timeoutMs = 10_000): Promise<void> {
    const p = a.proc;
    if (p === undefined || p.exitCode !== null) return;
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`agent ${a.name} did not exit`)), timeoutMs);
      p.once('exit', () => {
        clearTimeout(t);
        res();
      });
    });
  }

  kill9(s: ServerProc): void {
    s.proc?.kill('SIGKILL');
    s.proc = undefined;
    this.dropClient(s);
  }

  /** Waits until the process is gone (after kill9 or stop). */
  async stop(s: ServerProc): Promise<void> {
    const p = s.proc;
    if (p === undefined) return;
    // 'close', not 'exit': it comes once the output is read too, so the last log lines are in.
    const exited = new Promise<void>((r) => p.once('close', () => r()));
    p.kill('SIGTERM');
    await exited;
    s.proc = undefined;
    this.dropClient(s);
  }

  pause(s: ServerProc): void {
    s.proc?.kill('SIGSTOP');
  }

  resume(s: ServerProc): void {
    s.proc?.kill('SIGCONT');
  }

  wipe(s: ServerProc): void {
    rmSync(s.dataDir, { recursive: true, force: true });
  }

  /** A client of `Ctor` to `addr`, over TLS when the cluster has it. */
  private channel(Ctor: grpc.ServiceClientConstructor, addr: string): grpc.Client {
    const d = (this.opts.tls?.dial ?? PLAINTEXT)(addr);
    return new Ctor(addr, d.credentials, d.options);
  }

  /** Calls an etcd method on one server's client API. */
  call<T>(s: ServerProc, service: 'KV' | 'Cluster' | 'Maintenance' | 'Lease', method: string, req: unknown, opts: { timeoutMs?: number; metadata?: Record<string, string> } = {}): Promise<T> {
    const key = `${service}@${s.clientAddr}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const Ctor = etcdProto().etcdserverpb[service] as unknown as grpc.ServiceClientConstructor;
      client = this.channel(Ctor, s.clientAddr);
      this.clients.set(key, client);
    }
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(opts.metadata ?? {})) md.set(k, v);
    const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
    return new Promise<T>((res, rej) => {
      fn(req, md, { deadline: Date.now() + (opts.timeoutMs ?? 5000) }, (err, out) => (err ? rej(err) : res(out as T)));
    });
  }

  /** Calls a registry method (roster.registry.v1) on one server's client API. */
  rcall<T>(s: ServerProc, service: 'Catalog' | 'Health' | 'Sessions' | 'Locks', method: string, req: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
    const key = `r${service}@${s.clientAddr}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const Ctor = registryProto().roster.registry.v1[service] as unknown as grpc.ServiceClientConstructor;
      client = this.channel(Ctor, s.clientAddr);
      this.clients.set(key, client);
    }
    const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
    return new Promise<T>((res, rej) => {
      fn(req, new grpc.Metadata(), { deadline: Date.now() + (opts.timeoutMs ?? 5000) }, (err, out) => (err ? rej(err) : res(out as T)));
    });
  }

  /** A bidirectional LeaseKeepAlive stream to one server. */
  keepAliveStream(s: ServerProc): grpc.ClientDuplexStream<{ ID: string }, { ID: string; TTL: string }> {
    const Ctor = etcdProto().etcdserverpb.Lease as unknown as grpc.ServiceClientConstructor;
    const client = this.channel(Ctor, s.clientAddr);
    this.clients.set(`LeaseStream${this.clients.size}@${s.clientAddr}`, client);
    return (client as unknown as { LeaseKeepAlive: () => grpc.ClientDuplexStream<{ ID: string }, { ID: string; TTL: string }> }).LeaseKeepAlive();
  }

  async status(s: ServerProc): Promise<{ leader: string; memberId: string; term: number; index: number; applied: number; isLearner: boolean }> {
    const r = await this.call<{ leader: string; header: { memberId: string }; raftTerm: string; raftIndex: string; raftAppliedIndex: string; isLearner: boolean }>(s, 'Maintenance', 'Status', {}, { timeoutMs: 1500 });
    return { leader: r.leader, memberId: r.header.memberId, term: Number(r.raftTerm), index: Number(r.raftIndex), applied: Number(r.raftAppliedIndex), isLearner: r.isLearner };
  }

  /** The running server every running server agrees is leader; waits up to `timeoutMs`. */
  async waitForLeader(timeoutMs = 15_000, among = this.running()): Promise<ServerProc> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      try {
        const st = await Promise.all(among.map((s) => this.status(s)));
        const leaders = new Set(st.map((x) => x.leader));
        const id = st[0]!.leader;
        if (leaders.size === 1 && id !== '0') {
          const idx = st.findIndex((x) => x.memberId === id);
          if (idx >= 0) return among[idx]!;
        }
        last = st.map((x, i) => `${among[i]!.name}:${x.leader}@t${x.term}`).join(' ');
      } catch (err) {
        last = String(err);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no agreed leader within ${timeoutMs}ms: ${last}`);
  }

  running(): ServerProc[] {
    return this.servers.filter((s) => s.proc !== undefined);
  }

  private dropClient(s: ServerProc): void {
    for (const [k, c] of this.clients) {
      if (k.endsWith(`@${s.clientAddr}`)) {
        c.close();
        this.clients.delete(k);
      }
    }
  }

  async destroy(): Promise<void> {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    await Promise.all(
      [...this.servers, ...this.agents].map(async (s) => {
        const p = s.proc;
        if (p === undefined) return;
        p.kill('SIGCONT');
        p.kill('SIGKILL');
        await new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
      }),
    );
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Starts `node ARGS` as `p`'s process, keeping its last 2,000 log lines, and resolves once it
 * prints its ready line; rejects (with its last lines) if it exits first or is not ready in time.
 */
function spawnUntilReady(p: { proc: ChildProcess | undefined; log: string[] }, who: string, args: readonly string[], timeoutMs = 30_000, env?: Readonly<Record<string, string>>, uid?: number): Promise<void> {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  p.proc = proc;
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${who} not ready in ${timeoutMs / 1000}s:\n${p.log.slice(-10).join('\n')}`)), timeoutMs);
    const onLine = (chunk: Buffer): void => {
      const text = chunk.toString();
      p.log.push(...text.split('\n').filter((l) => l !== ''));
      // Bounded, but far above what a test reads back (a rolling restart's checks index into it).
      if (p.log.length > 50_000) p.log.splice(0, p.log.length - 50_000);
      if (text.includes(' ready:')) {
        clearTimeout(timer);
        res();
      }
    };
    proc.stdout.on('data', onLine);
    proc.stderr.on('data', onLine);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      if (p.proc === proc) p.proc = undefined;
      rej(new Error(`${who} exited with ${code}:\n${p.log.slice(-10).join('\n')}`));
    });
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs}ms${last === undefined ? '' : ` (last error: ${errorText(last)})`}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const enc = (s: string): Buffer => Buffer.from(s);
export const dec = (b: Uint8Array): string => Buffer.from(b).toString();
