/**
 * One piece of data a template reads (a service's instances, the service list, the nodes, a key,
 * a prefix), followed through a watch stream. `fresh` is false until the first answer, while the
 * stream is broken, and while the server says it could not confirm with the leader (stale): a
 * render waits for every source it reads to be fresh, so it never writes from doubtful data.
 */
export interface Source<T> {
  /** The data as last received (undefined before the first answer). */
  value(): T | undefined;
  /** Received, streaming and confirmed by the leader. */
  fresh(): boolean;
  /** Why it is not fresh ('' when it is). */
  why(): string;
  close(): void;
}

/** Told whenever any source's value or freshness changes. */
export type SourceChanged = () => void;
