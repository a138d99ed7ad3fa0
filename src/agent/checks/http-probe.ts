import * as http from 'node:http';
import * as https from 'node:https';
import { ANY_TARGET, type CheckTargetPolicy } from './check-targets.js';
import { clip, MAX_OUTPUT_BYTES, type Probe, type ProbeResult } from './probe.js';

export interface HttpProbeOptions {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Where it may connect, redirects included (--check-allowed-hosts). */
  readonly targets?: CheckTargetPolicy;
}

/** Redirects followed, as Consul's Go client does (10). */
const MAX_REDIRECTS = 10;

interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly location: string | undefined;
  readonly body: string;
}

/**
 * An HTTP check as Consul runs it: 2xx is passing, 429 Too Many Requests is warning, anything
 * else (another status, a refused connection, a timeout) is critical. The output is the status
 * line and the start of the body (only that much is read). Redirects are followed, each hop
 * held to the same allowed targets: the connection's own DNS lookup refuses an address outside
 * them, so neither a redirect nor a changed DNS answer reaches what the operator excluded.
 */
export function httpProbe(o: HttpProbeOptions): Probe {
  const targets = o.targets ?? ANY_TARGET;
  const method = o.method ?? 'GET';
  return async (timeoutMs): Promise<ProbeResult> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    let url = o.url;
    try {
      for (let hop = 0; ; hop++) {
        const answer = await request(url, method, o.headers ?? {}, targets, deadline);
        if (answer.status >= 300 && answer.status < 400 && answer.location !== undefined && hop < MAX_REDIRECTS) {
          url = new URL(answer.location, url).toString();
          continue;
        }
        const output = clip(`HTTP ${method} ${o.url}: ${answer.status} ${answer.statusText}${answer.body === '' ? '' : ` Output: ${answer.body}`}`);
        if (answer.status >= 200 && answer.status < 300) return { status: 'passing', output };
        if (answer.status === 429) return { status: 'warning', output };
        return { status: 'critical', output };
      }
    } catch (err) {
      const why = deadline.aborted ? `timed out after ${timeoutMs} ms` : err instanceof Error ? err.message : String(err);
      return { status: 'critical', output: clip(`HTTP ${method} ${url}: ${why}`) };
    }
  };
}

function request(url: string, method: string, headers: Readonly<Record<string, string>>, targets: CheckTargetPolicy, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new Error(`cannot follow a redirect to ${u.protocol}`));
    // An address in the URL is dialled without a lookup: held to the targets here.
    const refused = targets.refusal(u.hostname);
    if (refused !== undefined) return reject(new Error(refused));
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(u, { method, headers: { 'user-agent': 'roster-health-check', ...headers }, lookup: targets.lookup, signal, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size >= MAX_OUTPUT_BYTES) return;
        chunks.push(c);
        size += c.length;
        if (size >= MAX_OUTPUT_BYTES) res.destroy();
      });
      const done = (): void => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') });
      res.once('end', done);
      res.once('close', done);
      res.once('error', () => done());
    });
    req.once('error', reject);
    req.end();
  });
}
