/**
 * The systems under test, each a 3-server cluster on loopback, started and stopped by PID:
 * Roster (this checkout) without TLS and with it (client and peer TLS, client certificates
 * required), and etcd 3.4 (Debian's etcd-server) with fsync on, heartbeat 100 ms, election
 * 1000 ms. Each gets its own 127.x.y.z range so they never share an address.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Etcd3, IOptions } from 'etcd3';
import { aclProto } from '../../src/proto/acl-proto.js';
import { etcdClient, type ClientSpec, type ClientTls } from './client-spec.js';
import { processCpuSeconds } from './cpu.js';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Server {
  readonly name: string;
  readonly client: string;
  readonly args: readonly string[];
  readonly command: string;
  proc: ChildProcess | undefined;
  /** Roster without TLS: its /metrics (host:port), for where a put's time goes. */
  readonly http?: string;
}

export interface Cluster {
  readonly system: 'roster' | 'etcd';
  /** Client and peer TLS, client certificates required (Roster only). */
  readonly tls: boolean;
  /** ACLs on, default deny, the client holding a token with one key_prefix write rule (Roster only). */
  readonly acl?: boolean;
  readonly servers: Server[];
  /** How a client reaches it (TLS credentials, ACL token), for the load workers. */
  readonly spec: ClientSpec;
  /** A client of these hosts, with the cluster's credentials when it has TLS. */
  client(hosts: readonly string[], options?: Partial<IOptions>): Etcd3;
  /** CPU seconds (user + system) each running server has used since it started. */
  cpuSeconds(): number[];
  start(s: Server): Promise<void>;
  kill9(s: Server): void;
  leader(): Promise<Server>;
  rssMiB(): number[];
  stop(): Promise<void>;
}

function waitForOutput(proc: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`${what} not ready in ${timeoutMs}ms: ${buf.slice(-500)}`)), timeoutMs);
    const on = (d: Buffer): void => {
      buf = (buf + d.toString()).slice(-4000);
      if (pattern.test(buf)) {
        clearTimeout(timer);
        res();
      }
    };
    proc.stdout?.on('data', on);
    proc.stderr?.on('data', on);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${what} exited with ${code}: ${buf.slice(-500)}`));
    });
  });
}

function makeCluster(system: 'roster' | 'etcd', dir: string, servers: Server[], ready: RegExp, tls?: ClientTls): Cluster {
  const c: Cluster = {
    system,
    tls: tls !== undefined,
    servers,
    spec: tls === undefined ? {} : { tls },
    client(hosts, options = {}) {
      return etcdClient(c.spec, hosts, options);
    },
    cpuSeconds() {
      return servers.map((s) => (s.proc?.pid === undefined ? 0 : processCpuSeconds(s.proc.pid)));
    },
    async start(s) {
      const proc = spawn(s.command, s.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      s.proc = proc;
      proc.once('exit', () => {
        if (s.proc === proc) s.proc = undefined;
      });
      await waitForOutput(proc, ready, `${system} ${s.name}`);
      // Keep draining output so a chatty server never blocks on a full pipe.
      proc.stdout?.resume();
      proc.stderr?.resume();
    },
    kill9(s) {
      s.proc?.kill('SIGKILL');
      s.proc = undefined;
    },
    async leader() {
      for (let i = 0; i < 200; i++) {
        for (const s of servers.filter((x) => x.proc !== undefined)) {
          const client = c.client([s.client], { dialTimeout: 500 });
          try {
            const st = await client.maintenance.status();
            if (st.leader !== '0' && st.leader === st.header.member_id) return s;
          } catch {
            // not up yet
          } finally {
            client.close();
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${system}: no leader`);
    },
    rssMiB() {
      return servers.map((s) => {
        if (s.proc?.pid === undefined) return 0;
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.proc.pid}/status`, 'utf8'));
        return m === null ? 0 : Math.round(Number(m[1]) / 1024);
      });
    },
    async stop() {
      await Promise.all(
        servers.map(async (s) => {
          const p = s.proc;
          if (p === undefined) return;
          const gone = new Promise<void>((r) => p.once('exit', () => r()));
          p.kill('SIGKILL');
          await gone;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return c;
}

function rosterCli(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`roster ${args.join(' ')}: ${r.stdout}${r.stderr}`);
}

/**
 * A CA, a server certificate per host (--node nI, the host's IP) and a CLI certificate under
 * dir (each in its own folder, so always -0), as scripts/cluster.sh --tls makes them.
 */
function makeCertificates(dir: string, hosts: readonly string[]): { serverFlags: (i: number) => string[]; client: ClientTls } {
  mkdirSync(dir, { recursive: true });
  rosterCli('tls', 'ca', 'create', '--dir', dir);
  const ca = ['--ca', join(dir, 'roster-agent-ca.pem'), '--key', join(dir, 'roster-agent-ca-key.pem')];
  hosts.forEach((h, i) => {
    mkdirSync(join(dir, `n${i + 1}`));
    rosterCli('tls', 'cert', 'create', '--server', '--node', `n${i + 1}`, '--additional-ipaddress', h, '--dir', join(dir, `n${i + 1}`), ...ca);
  });
  mkdirSync(join(dir, 'cli'));
  rosterCli('tls', 'cert', 'create', '--cli', '--dir', join(dir, 'cli'), ...ca);
  const pair = (folder: string, kind: string): [string, string] => [join(dir, folder, `dc1-${kind}-roster-0.pem`), join(dir, folder, `dc1-${kind}-roster-0-key.pem`)];
  const [cliCert, cliKey] = pair('cli', 'cli');
  return {
    serverFlags: (i) => {
      const [cert, key] = pair(`n${i + 1}`, 'server');
      return ['--ca-file', join(dir, 'roster-agent-ca.pem'), '--cert-file', cert, '--key-file', key, '--verify-incoming', '--verify-outgoing', '--verify-server-hostname'];
    },
    client: { ca: readFileSync(join(dir, 'roster-agent-ca.pem')), cert: readFileSync(cliCert), key: readFileSync(cliKey) },
  };
}

/**
 * A 3-server Roster cluster on 127.0.10.x, or with `tls` on 127.0.30.x: every listener TLS,
 * verify_incoming (so clients present the CLI certificate), peers mutually authenticated.
 */
export async function startRoster(base: string, options: { tls?: boolean; acl?: boolean } = {}): Promise<Cluster> {
  const tls = options.tls === true;
  const acl = options.acl === true;
  const dir = join(base, tls ? 'roster-tls' : acl ? 'roster-acl' : 'roster');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hosts = [1, 2, 3].map((i) => `127.0.${tls ? 30 : acl ? 40 : 10}.${i}`);
  const initial = hosts.map((h, i) => `n${i + 1}=${h}:8300`).join(',');
  const token = randomBytes(8).toString('hex');
  const certs = tls ? makeCertificates(join(dir, 'tls'), hosts) : undefined;
  const servers: Server[] = hosts.map((h, i) => ({
    name: `n${i + 1}`,
    client: `${h}:8502`,
    ...(certs === undefined ? { http: `${h}:8080` } : {}),
    command: process.execPath,
    // The compiled server (npm run build), as deployed: tsx's loader thread would add memory.
    // --expose-gc lets the watch bench ask a server to collect before it reads the live heap.
    args: ['--max-semi-space-size=4', '--expose-gc', ...extraNodeFlags(), join(ROOT, 'dist/cmd/main.js'), '--server', '--name', `n${i + 1}`, '--data-dir', join(dir, `n${i + 1}`), '--peer-addr', `${h}:8300`, '--client-addr', `${h}:8502`, '--initial-cluster', initial, '--initial-cluster-token', token, ...(certs === undefined ? ['--insecure-peers'] : certs.serverFlags(i)), ...(acl ? ['--acl-enabled', '--acl-default-policy', 'deny'] : []), ...(certs === undefined ? ['--http-addr', `${h}:8080`] : []), '--log-level', 'warn'],
    proc: undefined,
  }));
  const c = makeCluster('roster', dir, servers, / ready:/, certs?.client);
  await Promise.all(servers.map((s) => c.start(s)));
  const leader = await c.leader();
  if (!acl) return c;
  // Default deny, and the bench's client holds a token with one key_prefix write rule: the
  // cost of resolving and checking a token on every call, as a deployment would pay it.
  const secret = await benchToken(leader.client);
  const spec: ClientSpec = { ...c.spec, token: secret };
  return { ...c, acl: true, spec, client: (hosts2, opts = {}) => etcdClient(spec, hosts2, opts) };
}

/** Bootstraps ACLs on `addr` and returns a token that may write bench/ (and read it). */
async function benchToken(addr: string): Promise<string> {
  const Acl = aclProto().roster.acl.v1.Acl as unknown as grpc.ServiceClientConstructor;
  const client = new Acl(addr, grpc.credentials.createInsecure());
  type Reply = { token: { secretId: string } };
  const call = <T>(method: string, req: object, token?: string): Promise<T> =>
    new Promise((res, rej) => {
      const md = new grpc.Metadata();
      if (token !== undefined) md.set('x-roster-token', token);
      (client as unknown as Record<string, (r: object, m: grpc.Metadata, o: grpc.CallOptions, cb: (e: Error | null, v: unknown) => void) => void>)[method]!(req, md, { deadline: Date.now() + 5000 }, (e, v) => (e ? rej(e) : res(v as T)));
    });
  try {
    const mgmt = (await call<Reply>('Bootstrap', {})).token.secretId;
    await call('PolicyCreate', { name: 'bench', rules: 'key_prefix "bench/" { policy = "write" }' }, mgmt);
    return (await call<Reply>('TokenCreate', { description: 'bench client', policies: [{ name: 'bench' }] }, mgmt)).token.secretId;
  } finally {
    client.close();
  }
}

/**
 * Node flags for every Roster server from ROSTER_BENCH_NODE_FLAGS (space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the servers under a benchmark's load (Node
 * refuses --cpu-prof in NODE_OPTIONS). A profile is written when a server exits on SIGTERM.
 */
function extraNodeFlags(): string[] {
  return (process.env.ROSTER_BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
}

export function etcdAvailable(): boolean {
  return spawnSync('etcd', ['--version']).status === 0;
}

export async function startEtcd(base: string): Promise<Cluster> {
  const dir = join(base, 'etcd');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hosts = [1, 2, 3].map((i) => `127.0.20.${i}`);
  const initial = hosts.map((h, i) => `e${i + 1}=http://${h}:2380`).join(',');
  const servers: Server[] = hosts.map((h, i) => ({
    name: `e${i + 1}`,
    client: `${h}:2379`,
    command: 'etcd',
    args: [
      '--name',
      `e${i + 1}`,
      '--data-dir',
      join(dir, `e${i + 1}`),
      '--listen-client-urls',
      `http://${h}:2379`,
      '--advertise-client-urls',
      `http://${h}:2379`,
      '--listen-peer-urls',
      `http://${h}:2380`,
      '--initial-advertise-peer-urls',
      `http://${h}:2380`,
      '--initial-cluster',
      initial,
      '--initial-cluster-state',
      'new',
      '--heartbeat-interval',
      '100',
      '--election-timeout',
      '1000',
      '--log-level',
      'info',
      '--logger',
      'zap',
    ],
    proc: undefined,
  }));
  const c = makeCluster('etcd', dir, servers, /serving client traffic insecurely|ready to serve client requests/);
  await Promise.all(servers.map((s) => c.start(s)));
  await c.leader();
  return c;
}
