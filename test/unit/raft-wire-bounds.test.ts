import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { RaftMessage__Output } from '../../src/gen/roster/roster/raft/v1/RaftMessage.js';
import type { SnapshotChunk__Output } from '../../src/gen/roster/roster/raft/v1/SnapshotChunk.js';
import type { Message } from '../../src/raft/index.js';
import { raftProto } from '../../src/proto/raft-proto.js';
import { PEER_CHANNEL_OPTIONS } from '../../src/transport/peer-channel.js';
import { RaftTransport, type TransportHandlers } from '../../src/transport/raft-transport.js';
import { fromWire, MAX_WIRE_ENTRIES, snapshotHeadFromWire } from '../../src/transport/raft-wire.js';
import { RaftWireDrop } from '../../src/transport/raft-wire-drop.js';
import { droppedCount } from '../../src/util/dropped.js';
import { nodeId } from '../../src/util/ids.js';
import { silentLogger } from '../../src/util/logger.js';
import { MAX_WIRE_INDEX, MAX_WIRE_TERM } from '../../src/util/wire-bounds.js';
import { freePort } from '../integration/cluster-harness.js';

/** A decoded wire message as protobuf gives it: every field present, defaults for the rest. */
function wire(fields: Partial<RaftMessage__Output>): RaftMessage__Output {
  return { type: 'HEARTBEAT', from: 's1', to: 's2', term: 3, index: 0, logTerm: 0, entries: [], commit: 0, reject: false, hintIndex: 0, hintTerm: 0, readSeq: 0, transfer: false, requestId: 0, leaderHint: '', ...fields };
}

function dropReason(w: RaftMessage__Output): string | undefined {
  try {
    fromWire(w);
    return undefined;
  } catch (err) {
    if (err instanceof RaftWireDrop) return err.reason;
    throw err;
  }
}

const entry = (index: number, term: number) => ({ index, term, kind: 'NORMAL' as const, data: Buffer.alloc(0) });

describe('the Raft wire decoder bounds every number a peer sends', () => {
  it('takes what real peers send, up to the bounds', () => {
    expect(fromWire(wire({ type: 'APP', term: MAX_WIRE_TERM, index: 7, logTerm: 2, commit: MAX_WIRE_INDEX, entries: [entry(8, 3)] }))).toEqual({
      type: 'app',
      from: 's1',
      to: 's2',
      term: MAX_WIRE_TERM,
      index: 7,
      logTerm: 2,
      commit: MAX_WIRE_INDEX,
      entries: [{ index: 8, term: 3, kind: 'normal', data: Buffer.alloc(0) }],
    });
    expect(dropReason(wire({ type: 'VOTE', term: MAX_WIRE_TERM, index: MAX_WIRE_INDEX, logTerm: MAX_WIRE_TERM, transfer: true }))).toBeUndefined();
  });

  it.each([
    ['a vote at term 2^60', { type: 'VOTE', term: 2 ** 60, transfer: true }],
    ['a heartbeat with commit 2^52', { type: 'HEARTBEAT', commit: 2 ** 52 }],
    ['a term one above the bound', { type: 'HEARTBEAT', term: MAX_WIRE_TERM + 1 }],
    ['a negative index', { type: 'APP_RESP', index: -1 }],
    ['a fractional hint', { type: 'APP_RESP', reject: true, index: 5, hintIndex: 2.5 }],
    ['a hint term above the bound', { type: 'APP_RESP', reject: true, index: 5, hintTerm: 2 ** 50 }],
    ['a read sequence above 2^53', { type: 'HEARTBEAT_RESP', readSeq: 2 ** 54 }],
    ['a read request id that is not finite', { type: 'READ_INDEX', requestId: Number.POSITIVE_INFINITY }],
    ['a read index above the bound', { type: 'READ_INDEX_RESP', requestId: 1, index: 2 ** 49 }],
    ['an entry index above the bound', { type: 'APP', index: 1, logTerm: 1, entries: [entry(2 ** 49, 1)] }],
    ['an entry term above the bound', { type: 'APP', index: 1, logTerm: 1, entries: [entry(2, 2 ** 49)] }],
  ] as [string, Partial<RaftMessage__Output>][])('drops %s as out_of_bounds', (_what, fields) => {
    expect(dropReason(wire(fields))).toBe('out_of_bounds');
  });

  it('drops an append of more entries than any real one holds', () => {
    // Sparse: the count is checked before any entry is read.
    const entries = new Array<ReturnType<typeof entry>>(MAX_WIRE_ENTRIES + 1);
    expect(dropReason(wire({ type: 'APP', entries }))).toBe('out_of_bounds');
  });

  it('drops unknown types and bad node ids as malformed (BAD_MESSAGE, as before)', () => {
    expect(dropReason(wire({ type: 'PROPOSE' }))).toBe('malformed');
    expect(dropReason(wire({ from: '../etc' }))).toBe('malformed');
    expect(() => fromWire(wire({ from: '' }))).toThrow(expect.objectContaining({ code: 'BAD_MESSAGE' }));
  });
});

describe('the head of an InstallSnapshot stream', () => {
  const head = (fields: Partial<SnapshotChunk__Output>): SnapshotChunk__Output => ({ from: 's1', to: 's2', term: 4, index: 100, snapshotTerm: 3, conf: { voters: ['s1', 's2', 's3'], learners: [] }, data: Buffer.alloc(0), ...fields });
  const reason = (h: SnapshotChunk__Output): string | undefined => {
    try {
      snapshotHeadFromWire(h);
      return undefined;
    } catch (err) {
      return err instanceof RaftWireDrop ? err.reason : String(err);
    }
  };

  it('is read as before when in bounds', () => {
    expect(snapshotHeadFromWire(head({}))).toEqual({ term: 4, meta: { index: 100, term: 3, conf: { voters: ['s1', 's2', 's3'], learners: [] } } });
  });

  it('is refused before any data is read when a number is out of bounds, or it is malformed', () => {
    expect(reason(head({ index: 2 ** 60 }))).toBe('out_of_bounds');
    expect(reason(head({ term: -2 }))).toBe('out_of_bounds');
    expect(reason(head({ snapshotTerm: 2 ** 49 }))).toBe('out_of_bounds');
    expect(reason(head({ conf: null }))).toBe('malformed');
    expect(reason(head({ conf: { voters: ['no spaces allowed'], learners: [] } }))).toBe('malformed');
  });
});

describe('a forged message to the peer port', () => {
  it('is dropped and counted as roster_dropped_total{site="raft_peer"}; the server keeps taking real ones', async () => {
    const host = '127.0.0.1';
    const listen = `${host}:${await freePort(host)}`;
    const received: Message[] = [];
    const handlers = { onMessage: (m: Message) => void received.push(m), reportUnreachable: () => {}, reportSnapshot: () => {} } as unknown as TransportHandlers;
    const transport = new RaftTransport({ security: { mode: 'insecure' }, self: nodeId('s2'), clusterId: 'c1', listen, addressOf: () => undefined, handlers, logger: silentLogger });
    await transport.start();
    const Client = raftProto().roster.raft.v1.RaftPeer;
    const client = new Client(listen, grpc.credentials.createInsecure(), PEER_CHANNEL_OPTIONS);
    try {
      const before = droppedCount('raft_peer', 'out_of_bounds');
      const md = new grpc.Metadata();
      md.set('roster-cluster', 'c1');
      md.set('roster-from', 's1');
      const call = client.Stream(md, () => {});
      call.write({ type: 'HEARTBEAT', from: 's1', to: 's2', term: 3, commit: 2 ** 52 });
      call.write({ type: 'VOTE', from: 's1', to: 's2', term: 2 ** 60, transfer: true });
      call.write({ type: 'HEARTBEAT', from: 's1', to: 's2', term: 3, commit: 1 });
      const end = Date.now() + 5000;
      while (received.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      call.end();
      expect(droppedCount('raft_peer', 'out_of_bounds')).toBe(before + 2);
      expect(received.map((m) => `${m.type} t${m.term}`)).toEqual(['heartbeat t3']);
    } finally {
      client.close();
      await transport.stop();
    }
  });
});
