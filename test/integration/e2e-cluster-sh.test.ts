import * as grpc from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProto } from '../../src/proto/agent-proto.js';
import { eventually } from './cluster-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;
type Answer = { instances: { id: string; node: string; status: string }[]; stale: boolean };

/** etcdctl (Debian's etcd-client, as the benchmark's etcd) with only the flags given: no ETCDCTL_* from the environment. */
function etcdctl(...args: string[]): { status: number | null; stdout: string; out: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETCDCTL_')));
  const r = spawnSync('etcdctl', ['--dial-timeout=2s', '--command-timeout=3s', '--endpoints', '127.0.0.1:8502,127.0.0.2:8502', ...args], { encoding: 'utf8', env: { ...env, ETCDCTL_API: '3' }, timeout: 30_000 });
  if (r.error !== undefined) throw new Error(`etcdctl: ${r.error.message} (apt-get install etcd-client)`);
  return { status: r.status, stdout: r.stdout, out: `${r.stdout}${r.stderr}` };
}

/** The export lines of `cluster.sh env` as variables. */
function exportsOf(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n').filter((l) => l.trim().startsWith('export '))) {
    for (const pair of line.trim().slice('export '.length).split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) vars[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return vars;
}

function cluster(dir: string, ...args: string[]): string {
  const r = spawnSync(join(ROOT, 'scripts/cluster.sh'), [...args, '--dir', dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * The deployed topology from scripts/cluster.sh (servers on 127.0.0.1-3, client agents on
 * 127.0.0.11-12 with their local API on :8500): an app registered through one agent with an
 * HTTP check, watched through the other agent.
 */
describe('end to end with scripts/cluster.sh: 3 servers, 2 agents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-e2e-'));
  let app: Server;
  let healthy = true;
  let port = 0;
  const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
  const a1 = new Ctor('127.0.0.11:8500', grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
  const a2 = new Ctor('127.0.0.12:8500', grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
  const call = <T>(c: grpc.Client & Record<string, Unary>, method: string, req: unknown): Promise<T> =>
    new Promise((res, rej) => c[method]!(req, { deadline: Date.now() + 10_000 }, (err, r) => (err ? rej(err) : res(r as T))));

  let startedOut = '';
  beforeAll(async () => {
    startedOut = cluster(dir, 'start', '--servers', '3', '--clients', '2');
    app = createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end(healthy ? 'ok' : 'broken'));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    port = (app.address() as { port: number }).port;
  }, 150_000);
  afterAll(() => {
    a1.close();
    a2.close();
    app?.close();
    try {
      cluster(dir, 'stop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('start names the members it started or found running; status lists servers and agents in aligned columns; the built CLI saves and inspects a snapshot', () => {
    const members = ['n1', 'n2', 'n3', 'a1', 'a2'];
    const pids = members.map((m) => Number(readFileSync(join(dir, m, 'pid'), 'utf8')));
    for (const [i, m] of members.entries()) expect(startedOut).toContain(`started ${m} (pid ${pids[i]})\n`);
    const again = cluster(dir, 'start');
    for (const [i, m] of members.entries()) expect(again).toContain(`${m} already running (pid ${pids[i]})\n`);
    const lines = cluster(dir, 'status').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +KIND +PID +ROLE +TERM +INDEX +APPLIED +PEER\/GOSSIP +API$/);
    expect(lines.slice(1).map((l) => l.split(/ +/)[0])).toEqual(members);
    expect(lines[4]).toMatch(new RegExp(`^a1 +client +${pids[3]} +agent +- +- +- +127\\.0\\.0\\.11:8301 +127\\.0\\.0\\.11:8500$`));
    expect(lines[1]).toMatch(new RegExp(`^n1 +server +${pids[0]} +(leader|follower|no leader) +\\d+ +\\d+ +\\d+ +127\\.0\\.0\\.1:8300 +127\\.0\\.0\\.1:8502$`));
    // Aligned: every column starts where its heading does, on every line.
    const starts = [...lines[0]!.matchAll(/\S+/g)].map((m) => m.index);
    for (const line of lines.slice(1)) for (const at of starts.slice(1)) expect(line[at - 1] === ' ' && line[at] !== ' ', `${JSON.stringify(line)} at ${at}`).toBe(true);
    // snapshot save and inspect from the built CLI (node dist/cli/main.js), not only through bin/roster.mjs.
    const cli = (...args: string[]): string => {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) throw new Error(`roster ${args.join(' ')} (${r.status}): ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    const file = join(dir, 'e2e.snap');
    expect(cli('snapshot', 'save', file, '--endpoint', '127.0.0.1:8502')).toMatch(/^saved \d+ bytes to /);
    const info = JSON.parse(cli('snapshot', 'inspect', file, '--format', 'json')) as { voters: string[]; records: number };
    expect(info.voters).toEqual(['n1', 'n2', 'n3']);
    expect(info.records).toBeGreaterThan(0);
  }, 120_000);

  it('a failing check leaves the healthy set seen through the other agent within interval + 1 s; with all servers killed that agent answers from its cache, marked stale; restarted servers bring it up to date', async () => {
    await eventually('agent a1 synced with a server', async () => call(a1, 'RegisterService', { service: { name: 'e2e-web', port }, checks: [{ http: `http://127.0.0.1:${port}/`, intervalMs: 1000 }] }).then(() => true), 30_000);
    const seen: Answer[] = [];
    const stream = (a2 as unknown as { WatchInstances: (req: unknown) => grpc.ClientReadableStream<Answer> }).WatchInstances({ service: 'e2e-web' });
    stream.on('data', (a: Answer) => seen.push(a));
    stream.on('error', () => undefined);
    const last = (): Answer | undefined => seen[seen.length - 1];
    try {
      await eventually('healthy through a2', async () => (last()?.instances.map((i) => `${i.node}/${i.id}`).join() === 'a1/e2e-web' ? true : undefined), 30_000);
      healthy = false;
      const t0 = Date.now();
      await eventually('gone from the healthy set', async () => (last()?.instances.length === 0 ? true : undefined), 10_000, 20);
      const took = Date.now() - t0;
      console.log(`through scripts/cluster.sh: the other agent's watcher saw the failing check after ${took} ms (interval 1000 ms)`);
      expect(took).toBeLessThan(2000);
      healthy = true;
      await eventually('healthy again', async () => (last()?.instances.length === 1 ? true : undefined), 10_000);
      // kill -9 every server (the PIDs this test's cluster.sh wrote).
      for (const n of ['n1', 'n2', 'n3']) process.kill(Number(readFileSync(join(dir, n, 'pid'), 'utf8')), 'SIGKILL');
      const cached = await eventually('answered from the cache, stale', async () => {
        const a = await call<Answer>(a2, 'Instances', { service: 'e2e-web' });
        return a.stale ? a : undefined;
      }, 20_000);
      expect(cached.instances.map((i) => `${i.node}/${i.id}:${i.status}`)).toEqual(['a1/e2e-web:passing']);
      cluster(dir, 'start');
      await eventually('up to date again', async () => ((await call<Answer>(a2, 'Instances', { service: 'e2e-web' })).stale ? undefined : true), 30_000);
      healthy = false;
      await eventually('follows changes after the outage', async () => ((await call<Answer>(a2, 'Instances', { service: 'e2e-web' })).instances.length === 0 ? true : undefined), 15_000);
    } finally {
      stream.cancel();
    }
  }, 120_000);
});

/**
 * The secure topology (scripts/cluster.sh start --tls): every port TLS with client certificates
 * required, agents checking the servers' name; the certificates made once under DIR/tls.
 */
describe('end to end with scripts/cluster.sh --tls: 3 servers, 1 agent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-e2e-tls-'));
  const tls = join(dir, 'tls');
  let started = '';
  beforeAll(() => {
    started = cluster(dir, 'start', '--tls', '--servers', '3', '--clients', '1');
  }, 150_000);
  afterAll(() => {
    try {
      cluster(dir, 'stop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forms; etcdctl with the CLI certificate writes and reads, without one (or without the CA) is refused; the CLI and an agent work over TLS; status asks over TLS; a restart reuses the certificates; stop ends every member', async () => {
    const env = exportsOf(cluster(dir, 'env'));
    // start says how to point the CLI and etcdctl at it: the same lines as `env`.
    for (const v of ['ROSTER_CACERT', 'ROSTER_CLIENT_CERT', 'ROSTER_CLIENT_KEY', 'ETCDCTL_CACERT', 'ETCDCTL_CERT', 'ETCDCTL_KEY']) {
      expect(started).toContain(`${v}=${env[v]}`);
      expect(existsSync(env[v]!), `${v} names a file`).toBe(true);
    }
    expect(readdirSync(tls).sort()).toEqual(['a1', 'cli', 'n1', 'n2', 'n3', 'roster-agent-ca-key.pem', 'roster-agent-ca.pem', ...(existsSync(join(tls, 'gossip.key')) ? ['gossip.key'] : [])].sort());
    const agentHelp = spawnSync(process.execPath, [join(ROOT, 'dist/cmd/main.js'), 'agent', '--help'], { encoding: 'utf8' }).stdout;
    // A gossip key exactly when this build's agent can use one.
    expect(existsSync(join(tls, 'gossip.key'))).toBe(/^\s+--encrypt\s/m.test(agentHelp));
    if (existsSync(join(tls, 'gossip.key'))) expect(Buffer.from(readFileSync(join(tls, 'gossip.key'), 'utf8').trim(), 'base64')).toHaveLength(32);

    const withCerts = ['--cacert', env.ETCDCTL_CACERT!, '--cert', env.ETCDCTL_CERT!, '--key', env.ETCDCTL_KEY!];
    const put = await eventually('etcdctl put over TLS', async () => {
      const r = etcdctl(...withCerts, 'put', 'e2e/tls', 'secret');
      return r.status === 0 ? r : undefined;
    }, 30_000);
    expect(put.out).toContain('OK');
    expect(etcdctl(...withCerts, 'get', 'e2e/tls', '--print-value-only').stdout.trim()).toBe('secret');
    const plaintext = etcdctl('get', 'e2e/tls');
    expect(plaintext.status).not.toBe(0);
    expect(plaintext.out).not.toContain('secret');
    const noClientCert = etcdctl('--cacert', env.ETCDCTL_CACERT!, 'get', 'e2e/tls');
    expect(noClientCert.status).not.toBe(0);
    expect(noClientCert.out).not.toContain('secret');

    // The CLI through its environment variables; the agent in the pool reached servers over TLS
    // (verify_outgoing, checking server.dc1.roster), and registers through its TLS API.
    const cliEnv = { ...process.env, ROSTER_ENDPOINT: '127.0.0.2:8502', ROSTER_CACERT: env.ROSTER_CACERT!, ROSTER_CLIENT_CERT: env.ROSTER_CLIENT_CERT!, ROSTER_CLIENT_KEY: env.ROSTER_CLIENT_KEY! };
    const roster = (...args: string[]): string => {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args, '--format', 'json'], { encoding: 'utf8', env: cliEnv, timeout: 30_000 });
      if (r.status !== 0) throw new Error(`roster ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    await eventually('four members alive', async () => {
      const members = JSON.parse(roster('members')) as { name: string; status: string }[];
      return members.filter((m) => m.status === 'alive').map((m) => m.name).sort().join() === 'a1,n1,n2,n3' ? true : undefined;
    }, 30_000);
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    const read = (f: string): Buffer => readFileSync(f);
    const a1 = new Ctor('127.0.0.11:8500', grpc.credentials.createSsl(read(env.ROSTER_CACERT!), read(env.ROSTER_CLIENT_KEY!), read(env.ROSTER_CLIENT_CERT!)), { 'grpc.ssl_target_name_override': 'client.dc1.roster' }) as unknown as grpc.Client & Record<string, Unary>;
    try {
      await eventually('registered through a1', () => new Promise<true>((res, rej) => a1.RegisterService!({ service: { name: 'e2e-tls', port: 9 } }, { deadline: Date.now() + 5000 }, (err) => (err ? rej(err) : res(true)))), 30_000);
    } finally {
      a1.close();
    }
    await eventually('in the catalog', async () => (roster('catalog', 'services').includes('e2e-tls') ? true : undefined), 30_000);

    const statusOf = (): { name: string; kind: string; running: boolean; role: string }[] => (JSON.parse(cluster(dir, 'status', '--json')) as { name: string; kind: string; running: boolean; role: string }[]).filter((r) => r.kind === 'server');
    const roles = await eventually('status: one leader, two followers', async () => {
      const rows = statusOf();
      const r = rows.map((x) => x.role).sort().join();
      return r === 'follower,follower,leader' ? rows : undefined;
    }, 20_000);
    expect(roles.map((r) => r.name)).toEqual(['n1', 'n2', 'n3']);

    // Stop and start again (without --tls: the cluster stays secure) with the same certificates.
    const before = ['roster-agent-ca.pem', 'n1/dc1-server-roster-0.pem', 'a1/dc1-client-roster-0.pem', 'cli/dc1-cli-roster-0.pem'].map((f) => readFileSync(join(tls, f), 'utf8'));
    const pids = ['n1', 'n2', 'n3', 'a1'].map((m) => Number(readFileSync(join(dir, m, 'pid'), 'utf8')));
    cluster(dir, 'stop');
    for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid} ended`).toThrow();
    for (const m of ['n1', 'n2', 'n3', 'a1']) expect(existsSync(join(dir, m, 'pid'))).toBe(false);
    expect(cluster(dir, 'start')).toContain('TLS on every port');
    expect(['roster-agent-ca.pem', 'n1/dc1-server-roster-0.pem', 'a1/dc1-client-roster-0.pem', 'cli/dc1-cli-roster-0.pem'].map((f) => readFileSync(join(tls, f), 'utf8'))).toEqual(before);
    expect(readdirSync(join(tls, 'n1'))).toEqual(['dc1-server-roster-0-key.pem', 'dc1-server-roster-0.pem']);
    const again = await eventually('the value after the restart', async () => {
      const r = etcdctl(...withCerts, 'get', 'e2e/tls', '--print-value-only');
      return r.status === 0 ? r.stdout.trim() : undefined;
    }, 30_000);
    expect(again).toBe('secret');
    expect(etcdctl('get', 'e2e/tls').status).not.toBe(0);
  }, 150_000);
});

/**
 * scripts/cluster.sh start --acl: ACLs in deny mode everywhere, the management token bootstrapped
 * into DIR/acl, each agent with its own token; ACLs stay on across a restart without --acl.
 */
describe('end to end with scripts/cluster.sh --acl: 3 servers, 1 agent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-e2e-acl-'));
  let started = '';
  beforeAll(() => {
    started = cluster(dir, 'start', '--acl', '--servers', '3', '--clients', '1');
  }, 150_000);
  afterAll(() => {
    try {
      cluster(dir, 'stop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bootstraps the management token into its folder; the CLI needs it, etcdctl without a token is refused; the agent registers with its own token; a restart keeps ACLs on', async () => {
    const env = exportsOf(cluster(dir, 'env'));
    const management = join(dir, 'acl', 'management.token');
    expect(env.ROSTER_TOKEN_FILE).toBe(management);
    expect(started).toContain(management);
    expect(readFileSync(management, 'utf8').trim()).toMatch(/^[0-9a-f-]{36}$/);
    expect(statSync(management).mode & 0o077).toBe(0);
    expect(readdirSync(join(dir, 'acl')).sort()).toEqual(['a1.token', 'management.token']);

    const roster = (args: readonly string[], extra: Record<string, string> = {}): { status: number | null; out: string; err: string } => {
      const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ROSTER_')));
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { encoding: 'utf8', env: { ...clean, ROSTER_ENDPOINT: '127.0.0.2:8502', ...extra }, timeout: 30_000 });
      return { status: r.status, out: r.stdout, err: r.stderr };
    };
    const asOperator = (...args: string[]): string => {
      const r = roster(args, { ROSTER_TOKEN_FILE: management });
      if (r.status !== 0) throw new Error(`roster ${args.join(' ')}: ${r.out}${r.err}`);
      return r.out;
    };
    asOperator('kv', 'put', 'e2e/acl', 'guarded');
    const anonymous = roster(['kv', 'get', 'e2e/acl']);
    expect(anonymous.status).toBe(1);
    expect(anonymous.err).toContain('key:read');
    const plain = etcdctl('get', 'e2e/acl');
    expect(plain.status).not.toBe(0);
    expect(plain.out).toContain('permission denied');
    expect(plain.out).not.toContain('guarded');

    // The agent's own token keeps its node in the catalog (node "a1" write), and lets it sync a
    // service an application registers through it with a token of its own.
    await eventually('a1 in the catalog', async () => (asOperator('catalog', 'nodes').includes('a1') ? true : undefined), 30_000);
    asOperator('acl', 'policy', 'create', '--name', 'e2e-app', '--rules', 'service "e2e-acl" { policy = "write" }');
    const appToken = (JSON.parse(asOperator('acl', 'token', 'create', '--policy-name', 'e2e-app', '--format', 'json')) as { SecretID: string }).SecretID;
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    const a1 = new Ctor('127.0.0.11:8500', grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null) => void) => void>;
    const register = (token?: string): Promise<void> => {
      const md = new grpc.Metadata();
      if (token !== undefined) md.set('x-roster-token', token);
      return new Promise((res, rej) => a1.RegisterService!({ service: { name: 'e2e-acl', port: 9 } }, md, { deadline: Date.now() + 5000 }, (err) => (err ? rej(err) : res())));
    };
    try {
      await expect(register()).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
      await register(appToken);
    } finally {
      a1.close();
    }
    await eventually('the app in the catalog', async () => (asOperator('catalog', 'services').includes('e2e-acl') ? true : undefined), 30_000);

    cluster(dir, 'stop');
    expect(cluster(dir, 'start')).toContain('ACLs on, default policy deny');
    const again = await eventually('read after the restart', async () => {
      const r = roster(['kv', 'get', 'e2e/acl', '--format', 'json'], { ROSTER_TOKEN_FILE: management });
      return r.status === 0 ? r.out : undefined;
    }, 30_000);
    expect(again).toContain('guarded');
    expect(roster(['kv', 'get', 'e2e/acl']).status).toBe(1);
  }, 150_000);
});
