import * as grpc from '@grpc/grpc-js';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperatorClient } from '../../src/client/operator-client.js';
import type { GossipMessage, News } from '../../src/gossip/messages.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { clusterIdOf } from '../../src/server/identity.js';
import { verifySnapshotFile } from '../../src/store/leveldb/snapshot-file.js';
import { encodeGossip } from '../../src/transport/gossip-wire.js';
import { PEER_CHANNEL_OPTIONS } from '../../src/transport/peer-channel.js';
import { boundPeerTarget } from '../../src/transport/peer-source-binding.js';
import { crc32 } from '../../src/util/crc32.js';
import { VERSION } from '../../src/util/version.js';
import { dec, enc, eventually, freePort, TestCluster, type AgentProc, type ServerProc } from './cluster-harness.js';

/**
 * Forged messages sent to a running cluster (3 servers on 127.0.0.6-8, gossip, one client agent
 * on 127.0.0.9) by an outsider on 127.0.0.10, as issue 13 reported them: it knows the cluster id
 * (every etcd response header shows it) and the member names, and there is no TLS. Each once
 * stopped a server, changed the membership or the data, or forced elections. After each, every
 * server still runs, the voters, the leader and every term are as before, a key reads the same
 * on every server (linearizable, and serializable on the one a forged snapshot was sent to),
 * writes succeed, and the drop was counted in /metrics with its reason.
 */
const ATTACKER = '127.0.0.10';
const KEY = 'forged-target';
const VALUE = 'forged-target-value-1';
/** The cluster's autopilot is quick here, so that a forged DEAD or ALIVE would act within the test. */
const DEAD_SERVER_MS = 3000;

interface View {
  readonly leader: string;
  readonly voters: readonly string[];
  readonly learners: readonly string[];
  readonly terms: readonly number[];
}

describe('forged messages from an outsider on the network', () => {
  let c: TestCluster;
  let agent: AgentProc;
  let cluster: string;
  let udp: Socket;
  const figures: string[] = [];

  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 5, http: true, gossip: { extraArgs: [] }, extraArgs: ['--autopilot-dead-server-ms', String(DEAD_SERVER_MS), '--autopilot-stabilization-ms', '1000'] });
    agent = await c.startAgent('a1', '127.0.0.9');
    cluster = clusterIdOf(Object.fromEntries(c.servers.map((s) => [s.name, s.peerAddr])), c.token);
    udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind({ address: ATTACKER, port: 0 }, () => r()));
    for (const s of c.servers) await eventually(`${s.name} sees the pool`, async () => ((await metric(s, 'roster_gossip_members{state="alive"}')) === 4 ? true : undefined), 20_000);
    const leader = await c.waitForLeader();
    await c.call(leader, 'KV', 'Put', { key: enc(KEY), value: enc(VALUE) });
    for (const s of c.servers) await eventually(`${s.name} holds the key`, async () => ((await read(s, true)) === VALUE ? true : undefined));
  }, 90_000);

  afterAll(async () => {
    udp?.close();
    await c?.destroy();
    // The per-attack figures, for the record (drops counted, terms and voters before and after).
    console.log(`forged-message figures:\n${figures.join('\n')}`);
  });

  // ---- the outsider's tools ----

  /** A peer-port client whose connection leaves from the outsider's address. */
  function attackerClient(to: ServerProc) {
    const t = boundPeerTarget(to.peerAddr, `${ATTACKER}:1`, PEER_CHANNEL_OPTIONS);
    return new (raftProto().roster.raft.v1.RaftPeer)(t.target, grpc.credentials.createInsecure(), t.options);
  }

  function peerMetadata(from: string): grpc.Metadata {
    const md = new grpc.Metadata();
    md.set('roster-cluster', cluster);
    md.set('roster-from', from);
    return md;
  }

  /** Writes `messages` on one raft stream to `to`, claiming to be `from`; the call's error, if any. */
  async function forge(to: ServerProc, from: string, messages: object[]): Promise<grpc.ServiceError | null> {
    const client = attackerClient(to);
    try {
      return await new Promise((resolve) => {
        const call = client.Stream(peerMetadata(from), (err) => resolve(err));
        call.on('error', () => {});
        for (const m of messages) call.write(m);
        call.end();
      });
    } finally {
      client.close();
    }
  }

  /** An InstallSnapshot of `data` to `to`, claiming to be `from`; the call's error, if any. */
  async function forgeSnapshot(to: ServerProc, from: string, head: object, data: Buffer): Promise<grpc.ServiceError | null> {
    const client = attackerClient(to);
    try {
      return await new Promise((resolve) => {
        const call = client.InstallSnapshot(peerMetadata(from), (err) => resolve(err));
        call.on('error', () => {});
        for (let at = 0; at < data.length || at === 0; at += 64 * 1024) call.write({ ...(at === 0 ? head : {}), data: data.subarray(at, at + 64 * 1024) });
        call.end();
      });
    } finally {
      client.close();
    }
  }

  /** One UDP gossip packet from the outsider to every member. */
  async function gossipToAll(news: News[]): Promise<void> {
    const bytes = encodeGossip('roster', { type: 'gossip', from: 'n1', news } satisfies GossipMessage);
    for (const addr of [...c.servers.map((s) => s.gossipAddr!), agent.gossipAddr]) {
      const [host, port] = addr.split(':');
      await new Promise<void>((r) => udp.send(bytes, Number(port), host, () => r()));
    }
  }

  // ---- what the cluster shows ----

  async function metric(s: ServerProc, prefix: string): Promise<number> {
    const text = await (await fetch(`http://${s.httpAddr!}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${prefix} `));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  async function dropped(s: ServerProc, site: string, reason: string): Promise<number> {
    return metric(s, `roster_dropped_total{site="${site}",reason="${reason}"}`);
  }

  /** Each server's count of one drop reason. */
  async function drops(site: string, reason: string): Promise<number[]> {
    return Promise.all(c.servers.map((s) => dropped(s, site, reason)));
  }

  async function read(s: ServerProc, serializable = false): Promise<string | undefined> {
    const r = await c.call<{ kvs: { value: Buffer }[] }>(s, 'KV', 'Range', { key: enc(KEY), serializable });
    return r.kvs[0] === undefined ? undefined : dec(r.kvs[0].value);
  }

  async function raftMembers(leader: ServerProc): Promise<{ voters: string[]; learners: string[] }> {
    const op = new OperatorClient(leader.clientAddr);
    try {
      const peers = (await op.raftPeers()).peers;
      return { voters: peers.filter((p) => p.membership === 'voter').map((p) => p.name).sort(), learners: peers.filter((p) => p.membership === 'learner').map((p) => p.name).sort() };
    } finally {
      op.close();
    }
  }

  async function view(): Promise<View> {
    const leader = await c.waitForLeader();
    const { voters, learners } = await raftMembers(leader);
    const terms = await Promise.all(c.servers.map(async (s) => (await c.status(s)).term));
    return { leader: leader.name, voters, learners, terms };
  }

  /**
   * Nothing the attack aimed at moved: every server runs, same leader, voters and terms (no
   * election), the key reads the same everywhere, and writes succeed on every server.
   */
  async function expectUnharmed(attack: string, before: View, counted: Record<string, number[]>, snapshotTarget?: ServerProc): Promise<void> {
    for (const s of c.servers) expect(s.proc?.exitCode, `${s.name} is still running after ${attack}`).toBeNull();
    const after = await view();
    expect(after.voters, `voters after ${attack}`).toEqual(before.voters);
    expect(after.leader, `leader after ${attack}`).toBe(before.leader);
    expect(after.terms, `terms after ${attack}`).toEqual(before.terms);
    for (const s of c.servers) expect(await read(s), `${s.name} reads the key after ${attack}`).toBe(VALUE);
    if (snapshotTarget !== undefined) expect(await read(snapshotTarget, true), `${snapshotTarget.name}'s own state after ${attack}`).toBe(VALUE);
    for (const s of c.servers) await c.call(s, 'KV', 'Put', { key: enc(`after-${attack}-${s.name}`), value: enc('ok') });
    const drops = Object.entries(counted).map(([reason, n]) => `${reason} ${n.reduce((a, b) => a + b, 0)}`).join(', ');
    figures.push(`  ${attack}: dropped ${drops}; terms ${before.terms.join('/')} -> ${after.terms.join('/')}; voters ${before.voters.join(',')} -> ${after.voters.join(',')}`);
  }

  /** Per-server increase of each counter since `before`. */
  function since(before: Record<string, number[]>, now: Record<string, number[]>): Record<string, number[]> {
    return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v.map((n, i) => n - before[k]![i]!)]));
  }

  async function counters(list: readonly (readonly [string, string])[]): Promise<Record<string, number[]>> {
    return Object.fromEntries(await Promise.all(list.map(async ([site, reason]) => [`${site}/${reason}`, await drops(site, reason)] as const)));
  }

  // ---- the attacks ----

  it('a heartbeat with a wild commit index, as a member or as a stranger, stops no server and commits nothing', async () => {
    const before = await view();
    const leader = c.server(before.leader);
    const term = before.terms[0]!;
    const watched = [['raft_peer', 'source_mismatch'], ['raft_peer', 'out_of_bounds'], ['raft_core', 'commit_beyond_log'], ['raft_core', 'second_leader']] as const;
    const start = await counters(watched);
    for (const s of c.servers) {
      const member = (s === leader ? c.servers.find((o) => o !== s)! : leader).name;
      // As the leader (or to the leader, as another member): the peer port sees the wrong source.
      const err = await forge(s, member, [{ type: 'HEARTBEAT', from: member, to: s.name, term, commit: 2 ** 52 }]);
      expect(err?.code, `${s.name} refuses a call claiming ${member} from ${ATTACKER}`).toBe(grpc.status.FAILED_PRECONDITION);
      expect(err?.details).toContain(`the call comes from ${ATTACKER}`);
      // As a name no member has: bounded on the wire, past the log in the core, or a second leader of the term.
      expect(
        await forge(s, 'outsider', [
          { type: 'HEARTBEAT', from: 'outsider', to: s.name, term, commit: 2 ** 52 },
          { type: 'HEARTBEAT', from: 'outsider', to: s.name, term, commit: 2 ** 40 },
          { type: 'HEARTBEAT', from: 'outsider', to: s.name, term, commit: 1 },
        ]),
      ).toBeNull();
    }
    const counted = await eventually(
      'every server counted the forged heartbeats',
      async () => {
        const d = since(start, await counters(watched));
        return Object.values(d).every((perServer) => perServer.every((n) => n >= 1)) ? d : undefined;
      },
      10_000,
    );
    await expectUnharmed('heartbeat with commit 2^52', before, counted);
  }, 60_000);

  it('a vote request at term 2^60 with the transfer flag, or at the next term from a stranger, moves no term', async () => {
    const before = await view();
    const leader = c.server(before.leader);
    const term = before.terms[0]!;
    const watched = [['raft_peer', 'source_mismatch'], ['raft_peer', 'out_of_bounds'], ['raft_core', 'candidate_not_a_voter']] as const;
    const start = await counters(watched);
    for (const s of c.servers) {
      const member = c.servers.find((o) => o !== s && o !== leader)?.name ?? c.servers.find((o) => o !== s)!.name;
      expect((await forge(s, member, [{ type: 'VOTE', from: member, to: s.name, term: 2 ** 60, index: 2 ** 40, logTerm: 2 ** 60, transfer: true }]))?.code).toBe(grpc.status.FAILED_PRECONDITION);
      await forge(s, 'outsider', [
        { type: 'VOTE', from: 'outsider', to: s.name, term: 2 ** 60, index: 2 ** 40, logTerm: 2 ** 60, transfer: true },
        { type: 'VOTE', from: 'outsider', to: s.name, term: term + 1, index: 2 ** 40, logTerm: term, transfer: true },
      ]);
    }
    const counted = await eventually('every server counted the forged votes', async () => {
      const d = since(start, await counters(watched));
      return Object.values(d).every((perServer) => perServer.every((n) => n >= 1)) ? d : undefined;
    });
    await expectUnharmed('vote at term 2^60', before, counted);
  }, 60_000);

  it('a real snapshot with one value rewritten and its CRC recomputed is installed nowhere', async () => {
    const before = await view();
    const leader = c.server(before.leader);
    const target = c.servers.find((s) => s !== leader)!;
    const term = before.terms[0]!;
    // The outsider takes a real image from the client port and rewrites the value and the index.
    const op = new OperatorClient(target.clientAddr);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of op.snapshot()) chunks.push(chunk.data);
    } finally {
      op.close();
    }
    const real = Buffer.concat(chunks);
    const headerLength = real.readUInt32BE(12);
    const header = JSON.parse(real.subarray(16, 16 + headerLength).toString()) as { index: number; term: number; voters: string[]; learners: string[] };
    const records = Buffer.from(real.subarray(16 + headerLength, real.length - 16));
    const at = records.indexOf(VALUE);
    expect(at, 'the image holds the value').toBeGreaterThanOrEqual(0);
    records.write('forged-target-value-2', at);
    const forgedIndex = (await c.status(leader)).index + 100;
    const forgedHeader = Buffer.from(JSON.stringify({ ...header, index: forgedIndex, term }));
    const lengthBytes = Buffer.alloc(4);
    lengthBytes.writeUInt32BE(forgedHeader.length);
    const trailer = Buffer.from(real.subarray(real.length - 16));
    trailer.writeUInt32BE(crc32(records, crc32(forgedHeader, crc32(lengthBytes))), 12);
    const forged = Buffer.concat([real.subarray(0, 12), lengthBytes, forgedHeader, records, trailer]);
    // It is a valid image: only the sender gives it away.
    const dir = mkdtempSync(join(tmpdir(), 'roster-forged-'));
    try {
      writeFileSync(join(dir, 'forged.snap'), forged);
      expect((await verifySnapshotFile(join(dir, 'forged.snap'))).header.meta.index).toBe(forgedIndex);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const head = { to: target.name, term, index: forgedIndex, snapshotTerm: term, conf: { voters: header.voters, learners: header.learners } };
    const watched = [['raft_peer', 'source_mismatch'], ['raft_core', 'second_leader']] as const;
    const start = await counters(watched);
    // As the leader: refused before a byte of it is read.
    const asLeader = await forgeSnapshot(target, leader.name, { ...head, from: leader.name }, forged);
    expect(asLeader?.code).toBe(grpc.status.FAILED_PRECONDITION);
    // As a stranger: received and verified, then dropped by the core as a second leader of the term.
    await forgeSnapshot(target, 'outsider', { ...head, from: 'outsider' }, forged);
    const counted = await eventually(`${target.name} counted the forged snapshots`, async () => {
      const d = since(start, await counters(watched));
      const i = c.servers.indexOf(target);
      return Object.values(d).every((perServer) => perServer[i]! >= 1) ? d : undefined;
    });
    await expectUnharmed('forged InstallSnapshot', before, counted, target);
    expect((await c.status(target)).applied, `${target.name} applied nothing past the leader`).toBeLessThan(forgedIndex);
  }, 60_000);

  it('thirty TIMEOUT_NOW messages in 10 s force no election and fail no write', async () => {
    const before = await view();
    const leader = c.server(before.leader);
    const followers = c.servers.filter((s) => s !== leader);
    const term = before.terms[0]!;
    const watched = [['raft_peer', 'source_mismatch'], ['raft_core', 'timeout_now_not_from_leader']] as const;
    const start = await counters(watched);
    let writes = 0;
    let failed = 0;
    let flooding = true;
    const writer = (async () => {
      while (flooding) {
        try {
          await c.call(followers[writes % 2]!, 'KV', 'Put', { key: enc(`flood-${writes}`), value: enc('x') });
        } catch {
          failed++;
        }
        writes++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let asLeader = 0;
    for (let i = 0; i < 30; i++) {
      const to = followers[i % 2]!;
      // Half as the leader (the wrong source), half as a stranger (not the leader this follower follows).
      const from = i % 4 < 2 ? leader.name : 'outsider';
      if (from === leader.name) asLeader++;
      await forge(to, from, [{ type: 'TIMEOUT_NOW', from, to: to.name, term }]);
      await new Promise((r) => setTimeout(r, 333));
    }
    flooding = false;
    await writer;
    expect(failed, `${failed} of ${writes} writes failed during the flood`).toBe(0);
    const counted = since(start, await counters(watched));
    expect(counted['raft_peer/source_mismatch']!.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(asLeader);
    expect(counted['raft_core/timeout_now_not_from_leader']!.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30 - asLeader);
    await expectUnharmed('TIMEOUT_NOW flood', before, counted);
    figures.push(`    (${writes} writes during the flood, ${failed} failed)`);
  }, 60_000);

  it('a forged DEAD for a healthy voter (out of bounds, or as its own leave) removes no voter; its refutation restores it', async () => {
    const before = await view();
    const leader = c.server(before.leader);
    const victim = c.servers.find((s) => s !== leader)!;
    const watched = [['gossip-core', 'incarnation-out-of-bounds'], ['autopilot', 'gossip_dead_but_heard_over_raft']] as const;
    const start = await counters(watched);
    // The 37-byte packet: DEAD at 2^53 - 1, which no refutation could top.
    await gossipToAll([{ kind: 'dead', name: victim.name, incarnation: 2 ** 53 - 1, from: victim.name }]);
    await eventually('the members dropped the DEAD past the bound', async () => ((await drops('gossip-core', 'incarnation-out-of-bounds')).every((n, i) => n > start['gossip-core/incarnation-out-of-bounds']![i]!) ? true : undefined));
    // Within bounds, as if the victim left, to the leader only and again and again: each time the
    // victim refutes (at the incarnation + 1), the next accusation tops that, for longer than the
    // dead server time. Before, one was enough for autopilot to remove the voter at once.
    const leaderGossip = leader.gossipAddr!.split(':');
    const until = Date.now() + DEAD_SERVER_MS + 2000;
    for (let incarnation = 1000; Date.now() < until; incarnation += 2) {
      const packet = encodeGossip('roster', { type: 'gossip', from: 'n1', news: [{ kind: 'dead', name: victim.name, incarnation, from: victim.name }] });
      await new Promise<void>((r) => udp.send(packet, Number(leaderGossip[1]), leaderGossip[0], () => r()));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await dropped(leader, 'autopilot', 'gossip_dead_but_heard_over_raft'), `the leader's autopilot overruled gossip about ${victim.name}`).toBeGreaterThan(start['autopilot/gossip_dead_but_heard_over_raft']![c.servers.indexOf(leader)]!);
    expect((await raftMembers(leader)).voters).toEqual(before.voters);
    for (const s of c.servers) await eventually(`${s.name} sees ${victim.name} alive again (refuted)`, async () => ((await metric(s, 'roster_gossip_members{state="alive"}')) === 4 ? true : undefined));
    await expectUnharmed('forged DEAD', before, since(start, await counters(watched)));
  }, 60_000);

  it('a forged ALIVE for a fake server and something acknowledging every append under its name make no voter', async () => {
    const before = await view();
    const leader = c.server(before.leader);
    const fakeGossip = `${ATTACKER}:${(udp.address() as { port: number }).port}`;
    // Its peer address: the outsider's, where nothing answers the leader.
    const fakePeer = `${ATTACKER}:${await freePort(ATTACKER)}`;
    const alive = (incarnation: number): News => ({ kind: 'alive', name: 'fake1', incarnation, addr: fakeGossip, meta: { role: 'server', datacenter: 'dc1', rpcAddr: fakePeer, apiAddr: fakePeer, version: VERSION, clusterId: cluster } });
    const watched = [['autopilot', 'learner_not_reachable']] as const;
    const start = await counters(watched);
    let incarnation = 1;
    await gossipToAll([alive(incarnation)]);
    // Autopilot adds it as a learner on gossip's word (a learner has no vote); the outsider keeps it alive.
    await eventually(
      'autopilot added fake1 as a learner',
      async () => {
        await gossipToAll([alive(++incarnation)]);
        return (await raftMembers(leader)).learners.includes('fake1') ? true : undefined;
      },
      15_000,
      300,
    );
    // Now acknowledge every append, as fake1, from the outsider's address (which is fake1's).
    const ack = attackerClient(leader);
    const call = ack.Stream(peerMetadata('fake1'), () => {});
    call.on('error', () => {});
    const votersSeen = new Set<string>();
    try {
      const until = Date.now() + 1000 + DEAD_SERVER_MS + 2000;
      while (Date.now() < until) {
        const st = await c.status(leader);
        call.write({ type: 'APP_RESP', from: 'fake1', to: leader.name, term: st.term, index: st.index, reject: false });
        call.write({ type: 'HEARTBEAT_RESP', from: 'fake1', to: leader.name, term: st.term, readSeq: 0 });
        for (const v of (await raftMembers(leader)).voters) votersSeen.add(v);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      call.end();
      ack.close();
    }
    expect([...votersSeen].sort(), 'no voter but the three servers, at any time').toEqual(before.voters);
    const counted = since(start, await counters(watched));
    expect(counted['autopilot/learner_not_reachable']![c.servers.indexOf(leader)]).toBeGreaterThanOrEqual(1);
    // And the learner the leader never reached is taken out again.
    await eventually('autopilot removed the unreachable learner', async () => (!(await raftMembers(leader)).learners.includes('fake1') ? true : undefined), DEAD_SERVER_MS + 10_000);
    await expectUnharmed('forged ALIVE + fake server', before, counted);
  }, 60_000);
});
