import { afterEach, describe, expect, it, vi } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { freePort } from '../integration/cluster-harness.js';
import type { Message } from '../../src/raft/index.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { PEER_CHANNEL_OPTIONS } from '../../src/transport/peer-channel.js';
import { RaftTransport, type TransportHandlers } from '../../src/transport/raft-transport.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import type { Logger } from '../../src/util/logger.js';
import { quietHandlers } from './transport-test-handlers.js';

const a = nodeId('a');
const b = nodeId('b');
const HOST = '127.0.0.1';

/** Two transports, a -> b, with the given cluster ids; what each side's handlers saw. */
async function pair(idA: string, idB: string) {
  const addrs = { [a]: `${HOST}:${await freePort(HOST)}`, [b]: `${HOST}:${await freePort(HOST)}` } as Record<NodeId, string>;
  const seen = { delivered: [] as Message[], mismatchAtA: [] as string[], mismatchAtB: [] as string[], adoptedAtB: [] as string[], errorsAtA: [] as string[] };
  const handlers = (over: Partial<TransportHandlers>): TransportHandlers => quietHandlers({ onMessage: (m) => void seen.delivered.push(m), ...over });
  const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
  const ta = new RaftTransport({ security: { mode: 'insecure' }, self: a, clusterId: idA, listen: addrs[a]!, addressOf: (id) => addrs[id], logger: { ...quiet, error: (m) => void seen.errorsAtA.push(m) }, handlers: handlers({ clusterMismatch: (p, t) => void seen.mismatchAtA.push(`${p}:${t}`) }) });
  const tb = new RaftTransport({ security: { mode: 'insecure' }, self: b, clusterId: idB, listen: addrs[b]!, addressOf: (id) => addrs[id], logger: quiet, handlers: handlers({ clusterMismatch: (p, t) => void seen.mismatchAtB.push(`${p}:${t}`), clusterAdopted: (id) => void seen.adoptedAtB.push(id) }) });
  await ta.start();
  await tb.start();
  return { ta, tb, seen, addrs };
}

const heartbeat: Message = { type: 'heartbeat', from: a, to: b, term: 3, commit: 0, readSeq: 0 };

describe('RaftTransport: every call carries its cluster id, checked on both sides', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  it("refuses another cluster's messages; the sender logs both ids and backs off instead of reconnecting every 250 ms", async () => {
    const { ta, tb, seen } = await pair('111', '222');
    stops.push(() => ta.stop(), () => tb.stop());
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      ta.send([heartbeat]);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen.delivered).toEqual([]);
    expect(seen.mismatchAtB[0]).toBe('a:111');
    expect(seen.mismatchAtA).toContain('b:222');
    expect(seen.errorsAtA[0]).toBe('raft transport: b belongs to cluster 222, this server to cluster 111; not sending to it (a data dir or a server of another cluster?)');
    expect(seen.errorsAtA.length).toBe(1); // logged once per 10 s, not per attempt
    // Each stream b refuses is one mismatch there. The first refusal holds the peer for 1 s: two
    // streams in 1.5 s, not one per 50-250 ms.
    expect(seen.mismatchAtB.length).toBeLessThanOrEqual(2);
  });

  it('refuses a forged call (no cluster id, another id, no sender) and a forward from another cluster, naming both ids', async () => {
    const { ta, tb, seen, addrs } = await pair('111', '222');
    stops.push(() => ta.stop(), () => tb.stop());
    const Client = raftProto().roster.raft.v1.RaftPeer;
    const client = new Client(addrs[b]!, grpc.credentials.createInsecure(), PEER_CHANNEL_OPTIONS);
    const forward = (md: Record<string, string>) =>
      new Promise<grpc.ServiceError | null>((res) => {
        const m = new grpc.Metadata();
        for (const [k, v] of Object.entries(md)) m.set(k, v);
        client.Forward({ method: 'x', payload: Buffer.from('') }, m, { deadline: Date.now() + 3000 }, (err) => res(err));
      });
    const other = await forward({ 'roster-cluster': '333', 'roster-from': 'x' });
    expect(other?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(other?.details).toBe('refused: x belongs to cluster 333, this server (b) to cluster 222');
    expect(other?.metadata.get('roster-cluster')).toEqual(['222']);
    expect((await forward({ 'roster-from': 'x' }))?.details).toBe('refused: a call from x without a cluster id');
    expect((await forward({ 'roster-cluster': '222' }))?.details).toBe('refused: a call without a valid roster-from sender');
    expect(await forward({ 'roster-cluster': '222', 'roster-from': 'a' })).toBeNull();
    expect(seen.mismatchAtB).toEqual(['x:333']);
    client.close();
  });

  it('a joiner without a cluster id adopts the first one it is called with, then refuses any other', async () => {
    const { ta, tb, seen } = await pair('111', '');
    stops.push(() => ta.stop(), () => tb.stop());
    ta.send([heartbeat]);
    await vi.waitFor(() => expect(seen.delivered.length).toBe(1));
    expect(seen.adoptedAtB).toEqual(['111']);
    expect(tb.cluster).toBe('111');
  });
});
