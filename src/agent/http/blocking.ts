import type { FastifyRequest } from 'fastify';
import { parseGoDuration } from '../../util/go-duration.js';
import { HttpError } from './consul-errors.js';
import { queryOf, tokenMetadata, wholeOf } from './consul-request.js';
import type { RegistryTarget, ServerCalls } from './server-calls.js';

/** Consul's blocking-query bounds: ?wait defaults to 5 minutes and is capped at 10. */
export const DEFAULT_WAIT_MS = 5 * 60_000;
export const MAX_WAIT_MS = 10 * 60_000;

/** A read that waits (?index=N, ?wait=D) until what it reads changes past N, or the wait ends. */
export interface Blocking {
  readonly minIndex: number;
  /** performance.now() at which it answers with what it has. */
  readonly untilMs: number;
  /**
   * Calls `cb` if the client's connection closes (no point waiting for it); returns how to stop
   * listening. The connection, not the request: a request's 'close' is about its body, and a
   * keep-alive connection carries one blocking query after another, so every listener is removed
   * when its query ends.
   */
  readonly onGone: (cb: () => void) => () => void;
}

/**
 * ?index and ?wait as Consul reads them: no index (or 0) does not block; the wait is a Go
 * duration, at most 10 minutes, plus Consul's jitter of up to wait/16 so that many clients
 * woken together do not all come back at once.
 */
export function blockingOf(req: FastifyRequest, random: () => number = Math.random): Blocking | undefined {
  const q = queryOf(req);
  const index = wholeOf(q, 'index');
  if (index === undefined || index === 0n) return undefined;
  let waitMs = DEFAULT_WAIT_MS;
  if (q.wait !== undefined) {
    const w = parseGoDuration(q.wait);
    if (w === undefined || w < 0) throw new HttpError(400, `Invalid wait time: ${JSON.stringify(q.wait)}`);
    waitMs = Math.min(w, MAX_WAIT_MS);
  }
  const jitter = random() * (waitMs / 16);
  const socket = req.raw.socket;
  const onGone = (cb: () => void): (() => void) => {
    socket.once('close', cb);
    return () => void socket.off('close', cb);
  };
  return { minIndex: Number(index), untilMs: performance.now() + waitMs + jitter, onGone };
}

export interface BlockingRead<T> {
  /** Starts listening for changes; returns how to stop. Called before the first read, so no change is missed. */
  readonly subscribe: (wake: () => void) => () => void;
  readonly read: () => Promise<T>;
  /** Whether the answer is newer than the caller's index (service reads compare their index). */
  readonly newer: (answer: T, minIndex: number) => boolean;
  /** A wake means "changed" (an etcd watch event on the key) rather than "look again" (a cache update). */
  readonly wakeMeansChanged: boolean;
}

/**
 * Answers at once without `blocking`; else reads, and while the answer is not newer waits for a
 * wake-up from the watch machinery (never polling) or the end of the wait, then reads again.
 */
export async function blockingRead<T>(blocking: Blocking | undefined, r: BlockingRead<T>): Promise<T> {
  if (blocking === undefined) return r.read();
  let woke = false;
  let wake: (() => void) | undefined;
  const unsubscribe = r.subscribe(() => {
    woke = true;
    wake?.();
  });
  let gone = false;
  const stopWatchingClient = blocking.onGone(() => {
    gone = true;
    wake?.();
  });
  try {
    for (;;) {
      const changedBefore = woke && r.wakeMeansChanged;
      woke = false;
      const answer = await r.read();
      const left = blocking.untilMs - performance.now();
      if (changedBefore || r.newer(answer, blocking.minIndex) || left <= 0 || gone) return answer;
      if (!woke) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
        wake = undefined;
      }
    }
  } finally {
    unsubscribe();
    stopWatchingClient();
  }
}

/**
 * A catalog or health read that blocks on a registry watch of what it reads (`target`): the
 * watch resumes after the caller's index, so any change since then, or the next, wakes it.
 */
export function blockingRegistryRead<T>(req: FastifyRequest, servers: Pick<ServerCalls, 'watchRegistry'>, target: RegistryTarget, read: () => Promise<T>): Promise<T> {
  return blockingRegistryReadOf(req, servers, [target], read);
}

/**
 * The same for an answer joined from several reads: a change of any of `targets` wakes it, and
 * so does `alsoWhen` (a change the registry does not see, such as a member's gossip state).
 */
export function blockingRegistryReadOf<T>(req: FastifyRequest, servers: Pick<ServerCalls, 'watchRegistry'>, targets: readonly RegistryTarget[], read: () => Promise<T>, alsoWhen?: (wake: () => void) => () => void): Promise<T> {
  const blocking = blockingOf(req);
  return blockingRead(blocking, {
    subscribe: (wake) => subscribeAll([...(alsoWhen === undefined ? [] : [alsoWhen]), ...targets.map((t) => (w: () => void) => servers.watchRegistry(t, blocking?.minIndex ?? 0, tokenMetadata(req), w))], wake),
    read,
    newer: () => false,
    wakeMeansChanged: true,
  });
}

/**
 * Starts every subscription with the same `wake`; returns how to stop them all. If one cannot
 * start, the ones already started are stopped before the error goes on (no stream left open).
 */
export function subscribeAll(subscriptions: readonly ((wake: () => void) => () => void)[], wake: () => void): () => void {
  const stops: (() => void)[] = [];
  const stopAll = (): void => stops.forEach((stop) => stop());
  try {
    for (const s of subscriptions) stops.push(s(wake));
  } catch (err) {
    stopAll();
    throw err;
  }
  return stopAll;
}
