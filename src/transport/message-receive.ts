import type * as grpc from '@grpc/grpc-js';
import type { RaftMessage__Output } from '../gen/roster/roster/raft/v1/RaftMessage.js';
import type { StreamSummary } from '../gen/roster/roster/raft/v1/StreamSummary.js';
import { noteDropped } from '../util/dropped.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { fromWire } from './raft-wire.js';
import { RaftWireDrop } from './raft-wire-drop.js';
import type { TransportHandlers } from './transport-handlers.js';

export interface MessageReceiveOptions {
  readonly self: NodeId;
  readonly logger: Logger;
  readonly handlers: Pick<TransportHandlers, 'onMessage' | 'onProposals' | 'onProposalsRefused' | 'onProposalsAccepted'>;
  /** Every message from a peer: it is up. */
  readonly heardFrom: (id: NodeId) => void;
  /** The first message of a stream a peer opened (once per stream, not on every message). */
  readonly streamOpenedBy: (id: NodeId) => void;
}

/**
 * The incoming side of a peer's message stream (its sender already admitted): Raft messages to
 * the core, proposals handed over by followers and the leader's answers to them. A message not
 * from its stream's sender or not for this server is ignored; a bad one is dropped and logged.
 */
export function receiveMessages(call: grpc.ServerReadableStream<RaftMessage__Output, StreamSummary>, cb: grpc.sendUnaryData<StreamSummary>, from: NodeId, o: MessageReceiveOptions): void {
  let received = 0;
  call.on('data', (w: RaftMessage__Output) => {
    received++;
    o.heardFrom(from);
    if (received === 1) o.streamOpenedBy(from);
    try {
      if (w.type === 'PROPOSE') {
        if (w.to === o.self) o.handlers.onProposals(from, w.entries.map((e) => e.data));
        return;
      }
      if (w.type === 'PROPOSE_REJECT') {
        if (w.to === o.self) o.handlers.onProposalsRefused(from, w.entries.map((e) => e.data), w.leaderHint);
        return;
      }
      if (w.type === 'PROPOSE_ACCEPT') {
        if (w.to !== o.self) return;
        if (!Number.isSafeInteger(w.index) || !Number.isSafeInteger(w.logTerm) || w.index < 1 || w.index + w.entries.length > Number.MAX_SAFE_INTEGER) {
          noteDropped(o.logger, 'raft_peer', 'bad_accept', `a PROPOSE_ACCEPT from ${from} at an impossible position`, { from });
          return;
        }
        o.handlers.onProposalsAccepted(from, w.entries.map((e) => e.data), w.index, w.logTerm);
        return;
      }
      const m = fromWire(w);
      if (m.from !== from) return; // spoofed: ignore
      if (m.to !== o.self) {
        // Most often a server started under another name than the one it was added as (etcd's
        // MemberAdd carries no name, so Roster names the member after its peer address).
        noteDropped(o.logger, 'raft_peer', 'misrouted', `${from} sends to member ${m.to} at this address, but this server is ${o.self}: if it was added as ${m.to}, restart it with --name ${m.to}`, { from, to: m.to });
        return;
      }
      o.handlers.onMessage(m);
    } catch (err) {
      if (err instanceof RaftWireDrop) noteDropped(o.logger, 'raft_peer', err.reason, err, { from });
      else o.logger.warn('raft transport: bad message dropped', { from, error: String(err) });
    }
  });
  call.on('end', () => cb(null, { received }));
  call.on('error', () => {});
}
