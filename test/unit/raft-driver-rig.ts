import type { Message, RaftNode } from '../../src/raft/index.js';
import { RaftDriver } from '../../src/server/raft-driver.js';
import type { DiskFaultCode } from '../../src/store/leveldb/disk-fault.js';
import type { LevelRaftStorage } from '../../src/store/leveldb/level-raft-storage.js';
import { silentLogger } from '../../src/util/logger.js';

/**
 * A RaftDriver around `node` with nothing behind it but `storage`: no state machine, no
 * transport (what it sends goes to `send`), a real clock and one-second ticks. `fatal()` is
 * what it stopped with, if it did.
 */
export function driverRig(o: {
  node: RaftNode;
  storage: Pick<LevelRaftStorage, 'persist' | 'reopen'>;
  send?: (messages: readonly Message[]) => void;
  onDiskFault?: (op: 'persist' | 'compact', code: DiskFaultCode) => void;
}): { driver: RaftDriver; fatal: () => unknown } {
  let fatal: unknown;
  const driver = new RaftDriver({
    node: o.node,
    // The driver uses only these two of the LevelDB log; the rest would need a database.
    storage: o.storage as LevelRaftStorage,
    send: o.send ?? (() => {}),
    apply: { enqueue: () => {}, installSnapshot: async () => {} },
    onReadStates: () => {},
    onSoftState: () => {},
    onAppended: () => {},
    fatal: (err) => {
      fatal = err;
    },
    onDiskFault: o.onDiskFault ?? (() => {}),
    clock: { now: () => performance.now() },
    tickMs: 1000,
    logger: silentLogger,
  });
  return { driver, fatal: () => fatal };
}
