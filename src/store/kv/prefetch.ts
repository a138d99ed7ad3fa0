import type { KvCommand } from './command.js';
import { currentKey } from './layout.js';
import { leaseKey } from './lease-layout.js';
import type { RequestOp } from './types.js';

/**
 * The backend keys a batch of commands will read one at a time: the current record of every
 * single key it puts, deletes, compares or reads, and the lease records it checks. Prefetching
 * them in one round trip keeps the apply loop from paying one backend hop per command. Ranges are
 * scanned as before. Commands here are already in the KV namespace (etcd-keys.ts).
 */
export function keysToPrefetch(commands: readonly (KvCommand | undefined)[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const op = (o: RequestOp): void => {
    switch (o.type) {
      case 'put':
        out.push(currentKey(o.request.key));
        if (o.request.lease !== 0n) out.push(leaseKey(o.request.lease));
        return;
      case 'deleteRange':
      case 'range':
        if (o.request.rangeEnd.length === 0) out.push(currentKey(o.request.key));
        return;
      case 'txn':
        for (const c of o.request.compare) if (c.rangeEnd.length === 0) out.push(currentKey(c.key));
        for (const x of o.request.success) op(x);
        for (const x of o.request.failure) op(x);
        return;
    }
  };
  for (const cmd of commands) {
    if (cmd === undefined) continue;
    switch (cmd.type) {
      case 'put':
      case 'deleteRange':
      case 'txn':
        op(cmd);
        break;
      case 'leaseGrant':
      case 'leaseRevoke':
        out.push(leaseKey(cmd.request.id));
        break;
      case 'compact':
        break;
    }
  }
  return out;
}
