import { hostname } from 'node:os';
import type { CheckDefinition } from '../gen/agent/roster/agent/v1/CheckDefinition.js';
import { registryProto } from '../proto/registry-proto.js';
import { isHostPort } from '../util/host-port.js';
import { agentAddress, AgentUnreachable, callAgent } from './agent-commands.js';
import { wholeNumber } from './args.js';
import type { Endpoints } from '../client/endpoints.js';
import { cliDialer } from './tls-options.js';
import { UsageError } from './usage-error.js';

const TIMEOUT_MS = 10_000;

/** What the command is given (data-commands.ts's DataCommand, without its words). */
interface RegisterInput {
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly endpoints: Endpoints;
  readonly json: boolean;
}

/** A check definition with every field at its proto default. */
const check = (fields: Partial<CheckDefinition>): CheckDefinition => ({ id: '', name: '', http: '', tcp: '', grpc: '', ttlMs: 0, intervalMs: 0, timeoutMs: 0, successBeforePassing: 0, failuresBeforeCritical: 0, method: '', headers: {}, args: [], deregisterCriticalServiceAfterMs: 0, ...fields });

/**
 * `roster services register NAME`: through the local agent when one answers (--agent,
 * $ROSTER_AGENT or 127.0.0.1:8500), as Consul's `services register` does, so the instance is
 * on the agent's node, its --http, --tcp or --ttl-ms check runs there, and anti-entropy keeps it
 * in the catalog; with --node (an external node), or when no agent answers, straight into the
 * catalog. It says which.
 */
export async function registerService(c: RegisterInput, service: string): Promise<number> {
  const port = wholeNumber(c.flags.port, 'port', 1);
  if (port === undefined || port > 65_535) throw new UsageError('--port is required (1-65535)');
  const tags = c.flags.tags === undefined ? [] : String(c.flags.tags).split(',').filter((t) => t !== '');
  const ttl = wholeNumber(c.flags['ttl-ms'], 'ttl-ms', 1);
  const intervalMs = wholeNumber(c.flags['interval-ms'], 'interval-ms', 1) ?? 0;
  const http = c.flags.http === undefined ? undefined : String(c.flags.http);
  const tcp = c.flags.tcp === undefined ? undefined : String(c.flags.tcp);
  if (http !== undefined && !/^https?:\/\/\S+$/.test(http)) throw new UsageError(`--http must be an http(s) URL, got ${JSON.stringify(http)}`);
  if (tcp !== undefined && !isHostPort(tcp)) throw new UsageError(`--tcp must be host:port, got ${JSON.stringify(tcp)}`);
  if ([http, tcp, ttl].filter((x) => x !== undefined).length > 1) throw new UsageError('give one check: --http, --tcp or --ttl-ms');
  const address = String(c.flags.address ?? '');
  const runsChecks = http !== undefined || tcp !== undefined;

  if (c.flags.node === undefined) {
    const agent = agentAddress(c.flags);
    const id = String(c.flags.id ?? service);
    const checks = http !== undefined ? [check({ http, intervalMs })] : tcp !== undefined ? [check({ tcp, intervalMs })] : ttl !== undefined ? [check({ ttlMs: ttl })] : [];
    try {
      const r = await callAgent(agent, 'RegisterService', { service: { id, name: service, port, address, tags, meta: {}, weights: null }, checks }, TIMEOUT_MS, cliDialer(c.flags));
      const ids = r.service?.checks.map((k) => k.id) ?? [];
      const where = { agent, id, checks: ids };
      console.log(c.json ? JSON.stringify(where) : `registered ${id} with the agent at ${agent}${ids.length > 0 ? ` (check ${ids.join(', ')})` : ''}; it keeps it in the catalog`);
      return 0;
    } catch (err) {
      if (!(err instanceof AgentUnreachable)) throw err;
      if (runsChecks) throw new Error(`HTTP and TCP checks run in an agent, and none answers at ${agent}: start one with --api-addr, pass --agent HOST:PORT, or register in the catalog with --node and --ttl-ms`, { cause: err });
    }
  }
  if (runsChecks) throw new UsageError('--http and --tcp checks run in the local agent: leave out --node to register through it');
  const node = String(c.flags.node ?? hostname());
  const id = String(c.flags.id ?? `${service}-${node}`);
  const r = await c.endpoints.unary(
    registryProto().roster.registry.v1.Catalog,
    'Register',
    { node: { name: node, address: String(c.flags['node-address'] ?? '127.0.0.1') }, service: { name: service, id, port, address, tags }, serviceTtlMs: ttl ?? 0 },
    TIMEOUT_MS,
  );
  const out = { node, id, revision: Number(r.revision) };
  console.log(c.json ? JSON.stringify(out, null, 2) : `registered ${id} on node ${node}${c.flags.node === undefined ? ` in the catalog (no agent answers at ${agentAddress(c.flags)})` : ''}`);
  return 0;
}
