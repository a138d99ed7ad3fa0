import type { TransportHandlers } from '../../src/transport/raft-transport.js';

/** Transport handlers that do nothing (a forward answers one byte), with `over` replacing some. */
export function quietHandlers(over: Partial<TransportHandlers> = {}): TransportHandlers {
  return {
    onMessage() {},
    onSnapshot: async () => undefined,
    onProposals() {},
    onProposalsRefused() {},
    onProposalsAccepted() {},
    onForward: async () => new Uint8Array([1]),
    snapshotData: async function* () {},
    reportUnreachable() {},
    reportSnapshot() {},
    snapshotFailed() {},
    ...over,
  };
}
