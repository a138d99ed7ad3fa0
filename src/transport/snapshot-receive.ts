import * as grpc from '@grpc/grpc-js';
import type { SnapshotChunk__Output } from '../gen/roster/roster/raft/v1/SnapshotChunk.js';
import type { SnapshotReceipt } from '../gen/roster/roster/raft/v1/SnapshotReceipt.js';
import { noteDropped } from '../util/dropped.js';
import { RosterError } from '../util/errors.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { snapshotHeadFromWire } from './raft-wire.js';
import { RaftWireDrop } from './raft-wire-drop.js';
import type { TransportHandlers } from './transport-handlers.js';

/**
 * An InstallSnapshot from `from` (already admitted): the first chunk carries the snapshot's
 * head (index, terms, membership), every chunk some of its bytes, handed to the server as one
 * stream. The sender learns the outcome: the bytes received, or ABORTED with the reason.
 */
export function receiveSnapshot(call: grpc.ServerReadableStream<SnapshotChunk__Output, SnapshotReceipt>, cb: grpc.sendUnaryData<SnapshotReceipt>, from: NodeId, handlers: Pick<TransportHandlers, 'onSnapshot'>, logger: Logger): void {
  const iterator = call[Symbol.asyncIterator]() as AsyncIterator<SnapshotChunk__Output>;
  void (async () => {
    const first = await iterator.next();
    if (first.done === true) throw new RosterError('BAD_SNAPSHOT', 'empty snapshot stream');
    const h = first.value;
    // Bounded like every Raft message, before any data is read.
    const { term, meta } = snapshotHeadFromWire(h);
    let bytes = 0;
    async function* data(): AsyncIterable<Uint8Array> {
      bytes += h.data.length;
      if (h.data.length > 0) yield h.data;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        bytes += next.value.data.length;
        yield next.value.data;
      }
    }
    await handlers.onSnapshot({ from, term, meta }, data());
    return bytes;
  })().then(
    (bytes) => cb(null, { bytes }),
    (err: unknown) => {
      if (err instanceof RaftWireDrop) noteDropped(logger, 'raft_peer', err.reason, err, { from });
      cb({ code: grpc.status.ABORTED, details: `snapshot not installed: ${String(err)}` });
    },
  );
}
