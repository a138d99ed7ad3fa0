import { useEffect, useState } from 'preact/hooks';

/**
 * The page's only way to the agent: its own origin's HTTP API (Consul's, plus /v1/internal/ui/*),
 * with the token the user gave, kept in this browser tab's session storage only.
 */
const TOKEN_KEY = 'roster-ui-token';

export const savedToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? '';
export function saveToken(token: string): void {
  if (token === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

/** A call the agent refused: its status and what it said. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    said: string,
  ) {
    super(`${status}: ${said}`);
  }
}

/** One call to the agent's API; a refused call throws Refused. */
export async function call(method: string, path: string, token: string, body?: string, signal?: AbortSignal): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== '') headers['X-Consul-Token'] = token;
  const res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body }), ...(signal === undefined ? {} : { signal }) });
  const text = await res.text();
  if (!res.ok) throw new Refused(res.status, res.headers, text.trim() === '' ? res.statusText : text.trim());
  return { status: res.status, text, headers: res.headers };
}

export interface Live<T> {
  readonly data: T | undefined;
  /** The agent answered 404 (a key or node that is not there); still followed. */
  readonly missing: boolean;
  /** Why the last read failed, while it is retried ("" when it did not). */
  readonly error: string;
  /** The answer came from a server without a leader, or the agent cannot be reached now. */
  readonly stale: boolean;
  /** When the shown data was read (performance.now()). */
  readonly readAt: number;
}

/** How long one blocking query waits on the agent before it answers unchanged. */
const WAIT = '30s';

/**
 * Follows `path` with Consul's blocking queries: each answer's X-Consul-Index is the next
 * request's ?index, so the agent answers when what it reads changes (a registry or KV watch
 * behind it), never on a timer. A failure keeps the last answer, marks it stale and tries again
 * with a growing pause (a server restart, an agent cut off); an index that went backwards
 * (a restored snapshot, another server) starts over at 0, as Consul's clients do.
 */
export function useLive<T>(path: string | undefined, token: string, parse: (text: string) => T = JSON.parse as (text: string) => T): Live<T> {
  const [live, setLive] = useState<Live<T>>({ data: undefined, missing: false, error: '', stale: false, readAt: 0 });
  useEffect(() => {
    setLive({ data: undefined, missing: false, error: '', stale: false, readAt: 0 });
    if (path === undefined) return;
    const abort = new AbortController();
    let index = '0';
    let pauseMs = 500;
    const sep = path.includes('?') ? '&' : '?';
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const a = await call('GET', index === '0' ? path : `${path}${sep}index=${index}&wait=${WAIT}`, token, undefined, abort.signal);
          const next = a.headers.get('X-Consul-Index') ?? '0';
          index = BigInt(next) < BigInt(index) ? '0' : next;
          pauseMs = 500;
          const data = parse(a.text);
          setLive({ data, missing: false, error: '', stale: a.headers.get('X-Consul-KnownLeader') === 'false', readAt: performance.now() });
        } catch (err) {
          if (abort.signal.aborted) return;
          // A 404 with an index is an answer (a key that is not there) to block on, as Consul's.
          const at = err instanceof Refused && err.status === 404 ? err.headers.get('X-Consul-Index') : null;
          if (at !== null) {
            index = at;
            setLive({ data: undefined, missing: true, error: '', stale: false, readAt: performance.now() });
            continue;
          }
          const error = err instanceof Error ? err.message : String(err);
          setLive((l) => ({ ...l, error, stale: true }));
          index = '0';
          await new Promise((r) => setTimeout(r, pauseMs));
          pauseMs = Math.min(pauseMs * 2, 5000);
        }
      }
    })();
    return () => abort.abort();
  }, [path, token]);
  return live;
}

/** Reads `path` every `everyMs` (figures with no change to wait for: match indexes, last contact). */
export function usePolled<T>(path: string, token: string, everyMs: number): Live<T> {
  const [live, setLive] = useState<Live<T>>({ data: undefined, missing: false, error: '', stale: false, readAt: 0 });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (): Promise<void> => {
      try {
        const a = await call('GET', path, token);
        if (!stopped) setLive({ data: JSON.parse(a.text) as T, missing: false, error: '', stale: false, readAt: performance.now() });
      } catch (err) {
        if (!stopped) setLive((l) => ({ ...l, error: err instanceof Error ? err.message : String(err), stale: true }));
      }
      if (!stopped) timer = setTimeout(() => void read(), everyMs);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path, token, everyMs]);
  return live;
}
