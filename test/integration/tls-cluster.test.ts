import * as grpc from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RosterClient } from '../../src/client/roster-client.js';
import { tlsDialer } from '../../src/client/dialer.js';
import { agentProto } from '../../src/proto/agent-proto.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { clusterIdOf } from '../../src/server/identity.js';
import { PEER_CHANNEL_OPTIONS } from '../../src/transport/peer-channel.js';
import { createSocket } from 'node:dgram';
import { encodeGossip } from '../../src/transport/gossip-wire.js';
import { newGossipKey, seal } from '../../src/transport/gossip-crypto.js';
import { enc, eventually, freePort, TestCluster, type ServerProc } from './cluster-harness.js';
import { TlsFixture, type Pair } from './tls-fixture.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HOST_BASE = 15;
const hostOf = (name: string): string => `127.0.0.${HOST_BASE + Number(name.slice(1))}`;

/**
 * A cluster with TLS on every port (3 servers, 2 agents), every verification on: it forms and
 * serves etcdctl and the SDK with certificates, refuses whoever has none (or the wrong one), and
 * takes a new certificate on SIGHUP with no leader change.
 */
describe('a TLS cluster: 3 servers, 2 agents, mutual TLS everywhere', () => {
  let dir: string;
  let fx: TlsFixture;
  let c: TestCluster;
  const serverPairs = new Map<string, Pair>();
  const agentApis: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-tls-it-'));
    fx = new TlsFixture(join(dir, 'tls'));
    const serverPair = (name: string): Pair => {
      let p = serverPairs.get(name);
      if (p === undefined) serverPairs.set(name, (p = fx.server(name, hostOf(name))));
      return p;
    };
    c = await TestCluster.start({
      servers: 3,
      hostBase: HOST_BASE,
      http: true,
      // Gossip encrypted too: every port of the cluster is closed to whoever lacks the secrets.
      gossip: { extraArgs: ['--encrypt', newGossipKey()] },
      tls: { serverArgs: (name) => fx.serverArgs(serverPair(name)), agentArgs: (name) => fx.serverArgs(fx.client(name)), dial: fx.dialer() },
    });
    for (const [i, host] of ['127.0.0.19', '127.0.0.20'].entries()) {
      const api = `${host}:${await freePort(host)}`;
      agentApis.push(api);
      await c.startAgent(`tls-agent-${i + 1}`, host, ['--api-addr', api]);
    }
  }, 120_000);
  afterAll(async () => {
    await c?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const etcdctl = (s: ServerProc, cert: Pair | undefined, ...args: string[]): { code: number; out: string; err: string } => {
    const tlsArgs = ['--cacert', fx.caFile, ...(cert === undefined ? [] : ['--cert', cert.cert, '--key', cert.key])];
    const r = spawnSync('etcdctl', ['--endpoints', `https://${s.clientAddr}`, '--dial-timeout', '3s', '--command-timeout', '5s', ...tlsArgs, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
  };

  /** GET on a member's HTTPS port with `cert`; the status and body, or the error. */
  const https = (s: ServerProc, path: string, cert: Pair | undefined): Promise<string> =>
    new Promise((done) => {
      const req = request({ host: s.host, port: Number(s.httpAddr!.split(':')[1]), path, ca: readFileSync(fx.caFile), ...(cert === undefined ? {} : { cert: readFileSync(cert.cert), key: readFileSync(cert.key) }), timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => done(`${res.statusCode ?? 0} ${body}`));
      });
      req.on('error', (e) => done(`error: ${e.message}`));
      req.end();
    });

  const dropped = async (s: ServerProc, site: string, reason: string): Promise<number> => {
    const text = await https(s, '/metrics', fx.cli);
    const line = text.split('\n').find((l) => l.startsWith(`roster_dropped_total{site="${site}",reason="${reason}"}`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };

  it('forms; etcdctl with the CLI certificate writes and reads on every server; the SDK registers through an agent and discovers through the servers', async () => {
    const leader = await c.waitForLeader();
    expect((await c.status(leader)).leader).not.toBe('0');
    const put = etcdctl(c.servers[1]!, fx.cli, 'put', 'tls-key', 'over-tls');
    expect(put, put.err).toMatchObject({ code: 0, out: 'OK' });
    for (const s of c.servers) expect(etcdctl(s, fx.cli, 'get', 'tls-key', '--print-value-only')).toMatchObject({ code: 0, out: 'over-tls' });

    // The agents joined over TLS (their catalog nodes come from gossip through the servers).
    await eventually('both agents in the catalog', async () => {
      const nodes = await c.rcall<{ nodes: { name: string }[] }>(leader, 'Catalog', 'ListNodes', {});
      return ['tls-agent-1', 'tls-agent-2'].every((n) => nodes.nodes.some((x) => x.name === n)) ? true : undefined;
    }, 20_000);
    // The agent API serves TLS with the agent's client certificate (client.dc1.roster).
    const d = tlsDialer({ caFile: fx.caFile, certFile: fx.cli.cert, keyFile: fx.cli.key, serverName: 'client.dc1.roster' })(agentApis[0]!);
    const Agent = agentProto().roster.agent.v1.Agent;
    const agent = new Agent(agentApis[0]!, d.credentials, d.options);
    try {
      await new Promise<void>((ok, fail) => agent.RegisterService({ service: { name: 'tls-web', port: 8080 } }, { deadline: Date.now() + 10_000 }, (err) => (err ? fail(err) : ok())));
    } finally {
      agent.close();
    }
    const sdk = new RosterClient({ endpoints: c.servers.map((s) => s.clientAddr), tls: { caFile: fx.caFile, certFile: fx.cli.cert, keyFile: fx.cli.key, serverName: 'server.dc1.roster' } });
    try {
      const found = await eventually('tls-web discovered through the servers', async () => {
        const list = await sdk.instances('tls-web', { passingOnly: false });
        return list.length === 1 ? list : undefined;
      }, 20_000);
      expect(found[0]).toMatchObject({ node: 'tls-agent-1', port: 8080 });
    } finally {
      sdk.close();
    }
  }, 90_000);

  it('the roster CLI dials with --ca-file/--cert-file/--key-file or their environment variables; without them it fails in one line', () => {
    const roster = (args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } => {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/roster.mjs'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
      return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
    };
    const s = c.servers[2]!;
    expect(roster(['kv', 'get', 'tls-key', '--endpoint', s.clientAddr, '--ca-file', fx.caFile, '--cert-file', fx.cli.cert, '--key-file', fx.cli.key])).toMatchObject({ code: 0, out: 'over-tls' });
    const env = { ROSTER_CACERT: fx.caFile, ROSTER_CLIENT_CERT: fx.cli.cert, ROSTER_CLIENT_KEY: fx.cli.key, ROSTER_TLS_SERVER_NAME: 'server.dc1.roster', ROSTER_ENDPOINT: s.clientAddr };
    const members = roster(['members'], env);
    expect(members.code, members.err).toBe(0);
    expect(members.out).toContain('tls-agent-2');
    const plain = roster(['kv', 'get', 'tls-key', '--endpoint', s.clientAddr]);
    expect(plain.code).not.toBe(0);
    expect(plain.err.split('\n')).toHaveLength(1);
    expect(roster(['kv', 'get', 'x', '--endpoint', s.clientAddr, '--cert-file', fx.cli.cert])).toMatchObject({ code: 2, err: 'roster: --cert-file, --key-file and --tls-server-name need --ca-file (or $ROSTER_CACERT): the CA to check the server with' });
  }, 60_000);

  it('refuses a client without a certificate, with another CA\'s, plaintext, and a client certificate on the peer port; each counted', async () => {
    const s = c.servers[0]!;
    expect(etcdctl(s, undefined, 'get', 'tls-key').code).not.toBe(0);
    expect(etcdctl(s, fx.stranger, 'get', 'tls-key').code).not.toBe(0);
    const plain = new (raftProto().roster.raft.v1.RaftPeer)(s.clientAddr, grpc.credentials.createInsecure());
    await expect(new Promise((ok, fail) => plain.Forward({ method: 'x', payload: Buffer.alloc(0) }, { deadline: Date.now() + 2000 }, (e, r) => (e ? fail(e) : ok(r))))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    plain.close();
    await eventually('client port: plaintext, no certificate, untrusted counted', async () => ((await dropped(s, 'tls_client', 'plaintext')) >= 1 && (await dropped(s, 'tls_client', 'no_client_certificate')) >= 1 && (await dropped(s, 'tls_client', 'untrusted_certificate')) >= 1 ? true : undefined));

    // The peer port: an agent's client certificate and the CLI's are refused (servers only).
    for (const cert of [fx.client('tls-agent-1'), fx.cli]) {
      const d = tlsDialer({ caFile: fx.caFile, certFile: cert.cert, keyFile: cert.key, serverName: 'n1.server.dc1.roster' })(s.peerAddr);
      const peer = new (raftProto().roster.raft.v1.RaftPeer)(s.peerAddr, d.credentials, { ...PEER_CHANNEL_OPTIONS, ...d.options });
      await expect(new Promise((ok, fail) => peer.Forward({ method: 'x', payload: Buffer.alloc(0) }, { deadline: Date.now() + 3000 }, (e, r) => (e ? fail(e) : ok(r))))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
      peer.close();
    }
    await eventually('peer port: two wrong certificates counted', async () => ((await dropped(s, 'tls_peer', 'wrong_certificate')) >= 2 ? true : undefined));
    // HTTPS with verify_incoming: no certificate, no metrics.
    expect(await https(s, '/health', undefined)).not.toMatch(/^200 /);
    expect(await https(s, '/health', fx.cli)).toMatch(/^200 \{"status":"ok"/);
    const metrics = await https(s, '/metrics', fx.cli);
    const expiry = Number(metrics.split('\n').find((l) => l.startsWith('roster_tls_cert_expiry_seconds '))?.split(' ')[1]);
    expect(expiry).toBeGreaterThan(29 * 86_400);
    expect(expiry).toBeLessThanOrEqual(30 * 86_400);
  }, 60_000);

  it('forged Raft messages are not even accepted: plaintext fails the handshake, another server\'s claim is refused by its certificate', async () => {
    const leader = await c.waitForLeader();
    const term = (await c.status(leader)).term;
    const victim = c.servers.find((s) => s !== leader)!;
    const cluster = clusterIdOf(Object.fromEntries(c.servers.map((s) => [s.name, s.peerAddr])), c.token);
    const md = new grpc.Metadata();
    md.set('roster-cluster', cluster);
    md.set('roster-from', leader.name);
    const forge = async (creds: grpc.ChannelCredentials, options: grpc.ChannelOptions): Promise<string> => {
      const client = new (raftProto().roster.raft.v1.RaftPeer)(victim.peerAddr, creds, { ...PEER_CHANNEL_OPTIONS, ...options });
      try {
        return await new Promise<string>((done) => {
          const call = client.Stream(md, { deadline: Date.now() + 3000 }, (err) => done(err === null ? 'accepted' : `refused: ${err.details}`));
          call.on('error', () => undefined);
          call.write({ type: 'HEARTBEAT', from: leader.name, to: victim.name, term: term + 5, commit: 2 ** 40 });
          call.write({ type: 'TIMEOUT_NOW', from: leader.name, to: victim.name, term });
          call.end();
        });
      } finally {
        client.close();
      }
    };
    expect(await forge(grpc.credentials.createInsecure(), {})).toMatch(/^refused: /);
    // A real server certificate, of a server that is not the leader it claims to be.
    const third = c.servers.find((s) => s !== leader && s !== victim)!;
    const d = tlsDialer({ caFile: fx.caFile, certFile: serverPairs.get(third.name)!.cert, keyFile: serverPairs.get(third.name)!.key, serverName: `${victim.name}.server.dc1.roster` })(victim.peerAddr);
    expect(await forge(d.credentials, d.options)).toMatch(/^refused: .*claiming to be from .* with the certificate of/);
    await eventually('the false claim counted', async () => ((await dropped(victim, 'raft_peer', 'sender_not_certified')) >= 1 ? true : undefined));
    for (const s of c.servers) {
      expect(s.proc?.exitCode).toBeNull();
      expect((await c.status(s)).term).toBe(term);
    }
    await c.call(leader, 'KV', 'Put', { key: enc('after-forgery'), value: enc('ok') });
  }, 60_000);

  it('forged gossip (DEAD for a healthy server, ALIVE for a fake one), plaintext or under another key, is dropped: no member changes', async () => {
    const leader = await c.waitForLeader();
    const term = (await c.status(leader)).term;
    const victim = c.servers.find((s) => s !== leader)!;
    const target = c.servers.find((s) => s !== victim)!;
    const packet = encodeGossip('roster', {
      type: 'gossip',
      from: leader.name,
      news: [
        { kind: 'dead', name: victim.name, incarnation: 1_000_000, from: leader.name },
        { kind: 'alive', name: 'n9', incarnation: 1, addr: '127.0.0.29:8301', meta: { role: 'server', datacenter: 'dc1', rpcAddr: '127.0.0.29:8300', apiAddr: '127.0.0.29:8502', version: '0.2.0' } },
      ],
    });
    const udp = createSocket('udp4');
    await new Promise<void>((ok) => udp.bind(0, '127.0.0.29', () => ok()));
    const [host, port] = target.gossipAddr!.split(':') as [string, string];
    const send = (bytes: Uint8Array): Promise<void> => new Promise((ok, fail) => udp.send(bytes, Number(port), host, (e) => (e ? fail(e) : ok())));
    try {
      for (let i = 0; i < 5; i++) {
        await send(packet);
        await send(seal(Buffer.alloc(32, 7), packet));
      }
    } finally {
      udp.close();
    }
    await eventually('both kinds counted', async () => ((await dropped(target, 'gossip', 'plaintext')) >= 5 && (await dropped(target, 'gossip', 'undecryptable')) >= 5 ? true : undefined));
    const members = spawnSync(process.execPath, [join(ROOT, 'bin/roster.mjs'), 'members', '--endpoint', target.clientAddr, '--ca-file', fx.caFile, '--cert-file', fx.cli.cert, '--key-file', fx.cli.key, '--format', 'json'], { encoding: 'utf8', timeout: 30_000 });
    const list = JSON.parse(members.stdout) as { name: string; status: string }[];
    expect(list.find((m) => m.name === victim.name)?.status).toBe('alive');
    expect(list.some((m) => m.name === 'n9')).toBe(false);
    expect((await c.status(leader)).term).toBe(term);
  }, 60_000);

  it('a certificate swapped on disk and SIGHUP: new connections get it, with no leader change and writes going on', async () => {
    const leader = await c.waitForLeader();
    const before = await c.status(leader);
    const target = c.servers[0]!;
    const seenName = (): Promise<string> =>
      new Promise((done) => {
        const sock = tls.connect({ host: target.host, port: Number(target.clientAddr.split(':')[1]), ca: readFileSync(fx.caFile), cert: readFileSync(fx.cli.cert), key: readFileSync(fx.cli.key), servername: 'server.dc1.roster', ALPNProtocols: ['h2'] }, () => {
          done(sock.getPeerCertificate().subjectaltname ?? '');
          sock.end();
        });
        sock.on('error', (e: Error) => done(`error: ${e.message}`));
      });
    expect(await seenName()).not.toContain('rotated.example');
    const fresh = fx.server(target.name, target.host, ['rotated.example'], `server-${target.name}-rotated`);
    const files = serverPairs.get(target.name)!;
    writeFileSync(files.cert, readFileSync(fresh.cert));
    writeFileSync(files.key, readFileSync(fresh.key));
    target.proc!.kill('SIGHUP');
    await eventually('the new certificate is served', async () => ((await seenName()).includes('rotated.example') ? true : undefined));
    // Writes through the reloaded server (a follower forwards over its Raft streams, which stayed up).
    for (let i = 0; i < 20; i++) await c.call(target, 'KV', 'Put', { key: enc(`rotated-${i}`), value: enc('v') });
    // Another server's certificate: the reload is refused, the one in force stays.
    const other = serverPairs.get(c.servers[1]!.name)!;
    writeFileSync(files.cert, readFileSync(other.cert));
    writeFileSync(files.key, readFileSync(other.key));
    target.proc!.kill('SIGHUP');
    await eventually('the refused reload is logged', async () => (target.log.some((l) => l.includes('TLS: reload failed') && l.includes(`does not name ${target.name}.server.dc1.roster`)) ? true : undefined));
    expect(await seenName()).toContain('rotated.example');
    const after = await c.status(leader);
    expect(after.term).toBe(before.term);
    expect(after.leader).toBe(before.leader);
    expect(target.proc?.exitCode).toBeNull();
  }, 60_000);

  it('a server fails closed, naming the file: no key file, or a certificate that does not name it', () => {
    const start = (...tlsArgs: string[]): { code: number | null; err: string } => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cmd/main.ts'), '--server', '--name', 'n9', '--data-dir', join(dir, 'n9'), '--bootstrap', '--peer-addr', '127.0.0.15:1', '--client-addr', '127.0.0.15:2', ...tlsArgs], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
      return { code: r.status, err: r.stderr.trim() };
    };
    const n1 = serverPairs.get('n1')!;
    const missing = join(dir, 'absent-key.pem');
    const noKey = start('--ca-file', fx.caFile, '--cert-file', n1.cert, '--key-file', missing);
    expect(noKey.code).not.toBe(0);
    expect(noKey.err.split('\n')).toEqual([`roster: TLS: cannot read key_file ${missing}: ENOENT`]);
    const notN9 = start('--ca-file', fx.caFile, '--cert-file', n1.cert, '--key-file', n1.key);
    expect(notN9.code).not.toBe(0);
    expect(notN9.err).toContain('does not name n9.server.dc1.roster');
    expect(notN9.err).toContain('roster tls cert create --server --node n9');
  }, 60_000);
});
