import * as grpc from '@grpc/grpc-js';
import { Endpoints } from '../../client/endpoints.js';
import { PLAINTEXT, type Dialer } from '../../client/dialer.js';
import type { ProtoGrpcType } from '../../gen/registry/registry.js';
import type { Check } from '../../gen/registry/roster/registry/v1/Check.js';
import type { HealthStatus__Output } from '../../gen/registry/roster/registry/v1/HealthStatus.js';
import { registryProto } from '../../proto/registry-proto.js';
import { NoServerKnownError, type CatalogNodeView, type CatalogWriter } from './anti-entropy.js';
import type { LocalCheck, LocalService, LocalStatus } from './local-state.js';
import { TOKEN_METADATA_KEY } from '../../util/acl-token.js';

const TIMEOUT_MS = 5000;
/** A local status as the servers spell it (upper case). */
const STATUS: Readonly<Record<LocalStatus, HealthStatus__Output>> = { passing: 'PASSING', warning: 'WARNING', critical: 'CRITICAL' };
const Catalog = (): ProtoGrpcType['roster']['registry']['v1']['Catalog'] => registryProto().roster.registry.v1.Catalog;

/**
 * The catalog through the servers' API, for anti-entropy: the server addresses come from gossip
 * (every live server's API address), so the agent follows the servers as they come and go, and
 * a failed call moves on to another server.
 */
export class ServerCatalog implements CatalogWriter {
  private endpoints: Endpoints | undefined;

  constructor(
    private readonly servers: () => readonly string[],
    private readonly nodeAddress: string,
    private readonly dial: Dialer = PLAINTEXT,
  ) {}

  /** The servers gossip knows now; the one in use stays current while it is listed. */
  private client(): Endpoints {
    const addrs = this.servers();
    if (addrs.length === 0) throw new NoServerKnownError();
    if (this.endpoints === undefined) this.endpoints = new Endpoints(addrs, this.dial);
    else this.endpoints.setAddresses(addrs);
    return this.endpoints;
  }

  async nodeServices(node: string): Promise<CatalogNodeView | undefined> {
    try {
      const r = await this.client().unary(Catalog(), 'NodeServices', { node }, TIMEOUT_MS);
      return { services: r.services.map((s) => ({ ...s, weights: s.weights ?? undefined })), checks: r.checks.map((c) => ({ ...c, status: c.status.toLowerCase() })) };
    } catch (err) {
      if ((err as grpc.ServiceError).code === grpc.status.NOT_FOUND) return undefined; // the node is not there yet
      throw err;
    }
  }

  async register(node: string, s: LocalService, checks: readonly LocalCheck[], token?: string): Promise<void> {
    await this.client().unary(
      Catalog(),
      'Register',
      {
        node: { name: node, address: this.nodeAddress },
        skipNodeUpdate: true,
        service: { id: s.id, name: s.name, port: s.port, address: s.address, tags: [...s.tags], meta: s.meta, weights: s.weights ?? { passing: 1, warning: 1 } },
        checks: checks.map((c) => checkOf(c, s.id)),
      },
      TIMEOUT_MS,
      withCallToken(token),
    );
  }

  async registerNodeChecks(node: string, checks: readonly LocalCheck[]): Promise<void> {
    await this.client().unary(Catalog(), 'Register', { node: { name: node, address: this.nodeAddress }, skipNodeUpdate: true, checks: checks.map((c) => checkOf(c, '')) }, TIMEOUT_MS);
  }

  async deregisterCheck(node: string, checkId: string, token?: string): Promise<void> {
    await this.client().unary(Catalog(), 'Deregister', { node, checkId }, TIMEOUT_MS, withCallToken(token));
  }

  async deregister(node: string, serviceId: string, token?: string): Promise<void> {
    await this.client().unary(Catalog(), 'Deregister', { node, serviceId }, TIMEOUT_MS, withCallToken(token));
  }

  close(): void {
    this.endpoints?.close();
  }
}

/** A service's own token on one call, over the agent token the dialer adds to calls without one. */
function withCallToken(token: string | undefined): grpc.Metadata | undefined {
  if (token === undefined) return undefined;
  const md = new grpc.Metadata();
  md.set(TOKEN_METADATA_KEY, token);
  return md;
}

/**
 * A check as the servers store it. The agent keeps its own checks' clocks, TTL included: the
 * servers see plain statuses (a TTL or maintenance check goes in as "external", or the servers
 * would run a second clock on it; a command check is Consul's "script").
 */
function checkOf(c: LocalCheck, serviceId: string): Check {
  const type = c.type === 'ttl' || c.type === 'maintenance' ? 'external' : c.type === 'command' ? 'script' : c.type;
  return { id: c.id, name: c.name, serviceId, status: STATUS[c.status], output: c.output, type };
}
