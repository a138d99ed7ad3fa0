import { RosterError } from '../util/errors.js';
import type { Selector } from './selectors.js';
import type { Instance } from './types.js';

/**
 * rpcx's fail modes: what a call does when the instance it picked fails.
 * - fail-fast: report the error at once;
 * - fail-over: try another instance, up to `retries` more times;
 * - fail-try: try the same instance again, up to `retries` more times.
 */
export type FailMode = 'fail-fast' | 'fail-over' | 'fail-try';

export interface InvokeOptions {
  readonly selector: Selector;
  readonly failMode?: FailMode;
  /** Extra attempts after the first (default 2); fail-fast makes none. */
  readonly retries?: number;
  /** The key a consistent-hash selector places the call by. */
  readonly key?: string;
}

/** Calls `fn` on an instance chosen among `instances`, following the fail mode. */
export async function invokeOn<T>(instances: readonly Instance[], fn: (instance: Instance) => Promise<T>, o: InvokeOptions): Promise<T> {
  const mode = o.failMode ?? 'fail-over';
  const extra = mode === 'fail-fast' ? 0 : (o.retries ?? 2);
  let candidates = [...instances];
  let target = o.selector.pick(candidates, o.key);
  if (target === undefined) throw new RosterError('NO_INSTANCE', 'no instance of the service is available');
  let last: unknown;
  for (let attempt = 0; attempt <= extra; attempt++) {
    try {
      return await fn(target);
    } catch (err) {
      last = err;
      if (attempt === extra) break;
      if (mode === 'fail-over') {
        const failed = target;
        candidates = candidates.filter((i) => i.key !== failed.key);
        const next = o.selector.pick(candidates, o.key);
        if (next === undefined) break;
        target = next;
      }
    }
  }
  throw last;
}
