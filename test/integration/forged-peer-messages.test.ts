import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterIdOf } from '../../src/server/identity.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { PEER_CHANNEL_OPTIONS } from '../../src/transport/peer-channel.js';
import { enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

/**
 * Forged Raft messages sent to the peer port of a running 3-server cluster, as an outsider can
 * (there is no TLS or peer identity yet): each once stopped servers or poisoned the term for good.
 */
describe('forged messages to the peer port', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 5, http: true });
  }, 60_000);
  afterAll(async () => {
    await c.destroy();
  });

  /** Writes `messages` on one raft stream to `to`, claiming to come from `from`, and closes it. */
  async function forge(to: ServerProc, from: string, messages: object[]): Promise<void> {
    const cluster = clusterIdOf(Object.fromEntries(c.servers.map((s) => [s.name, s.peerAddr])), c.token);
    const client = new (raftProto().roster.raft.v1.RaftPeer)(to.peerAddr, grpc.credentials.createInsecure(), PEER_CHANNEL_OPTIONS);
    const md = new grpc.Metadata();
    md.set('roster-cluster', cluster);
    md.set('roster-from', from);
    try {
      await new Promise<void>((resolve, reject) => {
        const call = client.Stream(md, (err) => (err === null ? resolve() : reject(err)));
        for (const m of messages) call.write(m);
        call.end();
      });
    } finally {
      client.close();
    }
  }

  async function dropped(s: ServerProc, site: string, reason: string): Promise<number> {
    const text = await (await fetch(`http://${s.httpAddr!}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`roster_dropped_total{site="${site}",reason="${reason}"}`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  it('a heartbeat committing 2^52 or past the log, and a vote at term 2^60, stop no server and move no term; writes still succeed', async () => {
    const leader = await c.waitForLeader();
    const term = (await c.status(leader)).term;
    for (const s of c.servers) {
      // As from the leader (as from another server, to the leader itself).
      const from = (s === leader ? c.servers.find((o) => o !== s)! : leader).name;
      await forge(s, from, [
        { type: 'HEARTBEAT', from, to: s.name, term, commit: 2 ** 52 },
        { type: 'HEARTBEAT', from, to: s.name, term, commit: 2 ** 40 },
        { type: 'VOTE', from, to: s.name, term: 2 ** 60, index: 2 ** 40, logTerm: 2 ** 60, transfer: true },
      ]);
    }
    for (const s of c.servers) {
      await eventually(`${s.name} counted the forged messages`, async () => ((await dropped(s, 'raft_peer', 'out_of_bounds')) >= 2 ? true : undefined));
    }
    // The in-bounds heartbeat reaches the core of each follower, which drops it there.
    for (const s of c.servers.filter((x) => x !== leader)) {
      await eventually(`${s.name} dropped the heartbeat past its log`, async () => ((await dropped(s, 'raft_core', 'commit_beyond_log')) >= 1 ? true : undefined));
    }
    await c.call(leader, 'KV', 'Put', { key: enc('after-forgery'), value: enc('ok') });
    for (const s of c.servers) {
      expect(s.proc?.exitCode, `${s.name} is still running`).toBeNull();
      expect((await c.status(s)).term).toBe(term);
    }
  }, 60_000);
});
