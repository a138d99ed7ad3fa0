import { clip, type Probe } from './probe.js';

export interface HttpProbeOptions {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An HTTP check as Consul runs it: 2xx is passing, 429 Too Many Requests is warning, anything
 * else (another status, a refused connection, a timeout) is critical. The output is the status
 * line and the start of the body.
 */
export function httpProbe(o: HttpProbeOptions): Probe {
  return async (timeoutMs) => {
    try {
      const res = await fetch(o.url, { method: o.method ?? 'GET', headers: { 'user-agent': 'roster-health-check', ...o.headers }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      const body = await res.text().catch(() => '');
      const output = clip(`HTTP ${o.method ?? 'GET'} ${o.url}: ${res.status} ${res.statusText}${body === '' ? '' : ` Output: ${body}`}`);
      if (res.status >= 200 && res.status < 300) return { status: 'passing', output };
      if (res.status === 429) return { status: 'warning', output };
      return { status: 'critical', output };
    } catch (err) {
      const why = err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      return { status: 'critical', output: clip(`HTTP ${o.method ?? 'GET'} ${o.url}: ${why}`) };
    }
  };
}
