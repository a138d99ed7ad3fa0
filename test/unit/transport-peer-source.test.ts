import { afterEach, describe, expect, it, vi } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { freePort } from '../integration/cluster-harness.js';
import type { Message } from '../../src/raft/index.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { PEER_CHANNEL_OPTIONS } from '../../src/transport/peer-channel.js';
import { sourceMismatch } from '../../src/transport/peer-source.js';
import { boundPeerTarget } from '../../src/transport/peer-source-binding.js';
import { RaftTransport, type TransportHandlers } from '../../src/transport/raft-transport.js';
import { droppedCount } from '../../src/util/dropped.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import type { Logger } from '../../src/util/logger.js';
import { quietHandlers } from './transport-test-handlers.js';

describe('sourceMismatch: a claimed member must call from the IP of its peer address', () => {
  it('passes the member its own IP, on any port, also as an IPv4-mapped IPv6 address', () => {
    expect(sourceMismatch('10.0.0.1:8300', '10.0.0.1:51234')).toBeUndefined();
    expect(sourceMismatch('10.0.0.1:8300', '::ffff:10.0.0.1:51234')).toBeUndefined();
    expect(sourceMismatch('[::1]:8300', '[::1]:51234')).toBeUndefined();
  });

  it('refuses another IP, and a peer it cannot read, saying both', () => {
    expect(sourceMismatch('10.0.0.1:8300', '10.0.0.9:51234')).toBe("the call comes from 10.0.0.9, but that member's peer address is 10.0.0.1:8300");
    expect(sourceMismatch('10.0.0.1:8300', '')).toBe(`the call comes from "", but that member's peer address is 10.0.0.1:8300`);
    expect(sourceMismatch('[::1]:8300', '[::2]:51234')).toContain('comes from ::2');
  });

  it('judges only what it can compare: an unknown member, a DNS name, a wildcard pass', () => {
    expect(sourceMismatch(undefined, '10.0.0.9:1')).toBeUndefined();
    expect(sourceMismatch('server1:8300', '10.0.0.9:1')).toBeUndefined();
    expect(sourceMismatch('0.0.0.0:8300', '10.0.0.9:1')).toBeUndefined();
  });
});

describe('boundPeerTarget', () => {
  it('binds only between IP literals of one family, from a specific IP', () => {
    expect(boundPeerTarget('10.0.0.2:8300', '10.0.0.1:8300', {}).target).toBe('roster-peer:///10.0.0.2:8300');
    expect(boundPeerTarget('server2:8300', '10.0.0.1:8300', {}).target).toBe('server2:8300');
    expect(boundPeerTarget('10.0.0.2:8300', 'server1:8300', {}).target).toBe('10.0.0.2:8300');
    expect(boundPeerTarget('10.0.0.2:8300', '0.0.0.0:8300', {}).target).toBe('10.0.0.2:8300');
    expect(boundPeerTarget('10.0.0.2:8300', undefined, {}).target).toBe('10.0.0.2:8300');
  });
});

const a = nodeId('a');
const b = nodeId('b');
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function handlers(delivered: Message[]): TransportHandlers {
  return quietHandlers({ onMessage: (m) => void delivered.push(m) });
}

describe('RaftTransport: a sender is bound to its network source', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  it("a member's own messages leave from its peer IP and pass; a call claiming it from elsewhere is refused and counted", async () => {
    const addrs = { [a]: `127.0.0.21:${await freePort('127.0.0.21')}`, [b]: `127.0.0.22:${await freePort('127.0.0.22')}` } as Record<NodeId, string>;
    const atB: Message[] = [];
    const ta = new RaftTransport({ security: { mode: 'insecure' }, self: a, clusterId: 'c1', listen: addrs[a]!, addressOf: (id) => addrs[id], logger: quiet, handlers: handlers([]) });
    const tb = new RaftTransport({ security: { mode: 'insecure' }, self: b, clusterId: 'c1', listen: addrs[b]!, addressOf: (id) => addrs[id], logger: quiet, handlers: handlers(atB) });
    await ta.start();
    await tb.start();
    stops.push(() => ta.stop(), () => tb.stop());
    // The real member: its stream leaves from 127.0.0.21 (not the kernel's 127.0.0.1), so b takes it.
    ta.send([{ type: 'heartbeat', from: a, to: b, term: 3, commit: 0, readSeq: 0 }]);
    await vi.waitFor(() => expect(atB.length).toBe(1));

    const before = droppedCount('raft_peer', 'source_mismatch');
    const forward = async (from: string, localFrom?: string): Promise<grpc.ServiceError | null> => {
      const t = localFrom === undefined ? { target: addrs[b]!, options: PEER_CHANNEL_OPTIONS } : boundPeerTarget(addrs[b]!, `${localFrom}:1`, PEER_CHANNEL_OPTIONS);
      const client = new (raftProto().roster.raft.v1.RaftPeer)(t.target, grpc.credentials.createInsecure(), t.options);
      const md = new grpc.Metadata();
      md.set('roster-cluster', 'c1');
      md.set('roster-from', from);
      try {
        return await new Promise((res) => client.Forward({ method: 'x', payload: Buffer.from('') }, md, { deadline: Date.now() + 3000 }, (err) => res(err)));
      } finally {
        client.close();
      }
    };
    const forged = await forward('a', '127.0.0.23');
    expect(forged?.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(forged?.details).toBe(`refused: a call claiming to be a: the call comes from 127.0.0.23, but that member's peer address is ${addrs[a]}`);
    expect((await forward('a'))?.details).toContain('the call comes from 127.0.0.1');
    expect(droppedCount('raft_peer', 'source_mismatch')).toBe(before + 2);
    // From a's own IP it passes, and so does a sender whose address nobody knows yet (a joiner).
    expect(await forward('a', '127.0.0.21')).toBeNull();
    expect(await forward('newcomer', '127.0.0.23')).toBeNull();
  });
});
