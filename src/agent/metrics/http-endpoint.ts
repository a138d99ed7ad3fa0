import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { guardTlsServer, refuseUnwanted, tlsServerOptions, type ListenerTls } from '../../tls/tls-listener.js';
import type { Logger } from '../../util/logger.js';
import type { AgentMetrics } from './agent-metrics.js';
import { splitHostPort } from '../../util/host-port.js';
import { describeFailpoints, failpointsHttpEnabled, setFailpoint } from '../../store/leveldb/failpoints.js';

/** Whether this agent should get traffic, and why (for load balancers: 200 or 503). */
export type HealthReport = () => { readonly healthy: boolean; readonly detail: Record<string, unknown> };

/**
 * The agent's HTTP endpoint: GET /metrics (Prometheus text format) and GET /health (200 when
 * healthy, 503 when not, with a JSON body saying why). Anything else is 404. HTTPS with `tls`.
 */
export async function startHttpEndpoint(addr: string, metrics: AgentMetrics, health: HealthReport, logger: Logger, tls?: ListenerTls): Promise<Server> {
  const respond: RequestListener = (req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/metrics') {
          const body = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
        } else if (req.method === 'GET' && req.url === '/health') {
          const h = health();
          res.writeHead(h.healthy ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify({ status: h.healthy ? 'ok' : 'unavailable', ...h.detail })}\n`);
        } else if (failpointsHttpEnabled && req.url?.startsWith('/debug/failpoints') === true) {
          await failpointRequest(req, res);
        } else {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /health\n');
        }
      } catch (err) {
        logger.warn('http endpoint failed a request', { url: req.url, error: String(err) });
        res.writeHead(500).end();
      }
    })();
  };
  const server = tls === undefined ? createServer(respond) : secureServer(tls, respond);
  const { host, port } = splitHostPort(addr);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A failed accept (EMFILE) is logged, never the end of the process.
  server.on('error', (err) => logger.error('http endpoint: listener error', { error: err.message }));
  return server;
}

/** An HTTPS server: refused handshakes counted, unwanted certificates cut before any request, reloads taken. */
function secureServer(tls: ListenerTls, respond: RequestListener): Server {
  const server = createHttpsServer(tlsServerOptions(tls), respond);
  server.prependListener('secureConnection', (socket: TLSSocket) => void refuseUnwanted(socket, tls));
  const unfollow = guardTlsServer(server, tls);
  server.on('close', unfollow);
  return server;
}

/**
 * Test-only (ROSTER_FAILPOINTS_HTTP=1): `PUT /debug/failpoints/NAME` with the action as body,
 * `DELETE /debug/failpoints/NAME`, `GET /debug/failpoints` (see store/leveldb/failpoints.ts).
 */
async function failpointRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = decodeURIComponent((req.url ?? '').slice('/debug/failpoints'.length).replace(/^\//, ''));
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 200) break;
  }
  try {
    if (req.method === 'PUT' && name !== '') setFailpoint(name, body);
    else if (req.method === 'DELETE' && name !== '') setFailpoint(name, 'off');
    else if (req.method !== 'GET') throw new Error('use PUT or DELETE /debug/failpoints/NAME, or GET /debug/failpoints');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${describeFailpoints()}\n`);
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`${err instanceof Error ? err.message : String(err)}\n`);
  }
}
