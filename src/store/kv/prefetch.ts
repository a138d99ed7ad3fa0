import type { KvCommand } from './command.js';
import { currentKey } from './layout.js';
import type { RequestOp } from './types.js';

/**
 * The backend keys a batch of commands will read one at a time: the current record of every
 * single key it puts, deletes, compares or reads. Prefetching them in one round trip keeps the
 * apply loop from paying one backend hop per command. Ranges are scanned as before.
 */
export function keysToPrefetch(commands: readonly (KvCommand | undefined)[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const op = (o: RequestOp): void => {
    switch (o.type) {
      case 'put':
        out.push(currentKey(o.request.key));
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
    if (cmd === undefined || cmd.type === 'compact') continue;
    op(cmd.type === 'put' ? { type: 'put', request: cmd.request } : cmd.type === 'deleteRange' ? { type: 'deleteRange', request: cmd.request } : { type: 'txn', request: cmd.request });
  }
  return out;
}
