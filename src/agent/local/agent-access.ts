import * as grpc from '@grpc/grpc-js';
import type { Dialer } from '../../client/dialer.js';
import { compileAuthorizer, type Authorizer, type Decision } from '../../store/acl/authorizer.js';
import { parseRules } from '../../store/acl/parse-rules.js';
import type { TokenRulesReply__Output } from '../../gen/roster/roster/acl/v1/TokenRulesReply.js';
import { aclProto } from '../../proto/acl-proto.js';
import { secretOf, TOKEN_METADATA_KEY } from '../../util/acl-token.js';
import { RosterError } from '../../util/errors.js';
import type { LocalState } from './local-state.js';

/** Consul's acl.token_ttl: how long an agent trusts what the servers said of a token. */
export const AGENT_TOKEN_TTL_MS = 30_000;
const MAX_CACHED = 1024;

interface Cached {
  readonly authz: Authorizer;
  readonly at: number;
}

type TokenRulesCall = (req: object, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: TokenRulesReply__Output) => void) => void;

/**
 * What a call on the agent's local API may do: the caller's token's rules, asked of a server
 * (TokenRules) and compiled here, so the agent decides as the servers would. Answers are
 * trusted for AGENT_TOKEN_TTL_MS; when no server answers, the last answer is kept however old
 * (Consul's down_policy extend-cache) and a token never seen is refused as unavailable.
 */
export class AgentAccess {
  private readonly cache = new Map<string, Cached>();
  private readonly clients = new Map<string, grpc.Client>();

  constructor(
    private readonly servers: () => readonly string[],
    private readonly dial: Dialer,
    /** The token of a call that sends none (the agent's default token); none: the anonymous token. */
    private readonly fallbackSecret: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async authorizerFor(metadata: grpc.Metadata): Promise<Authorizer> {
    const values = metadata.get(TOKEN_METADATA_KEY);
    const secret = values.length === 0 ? (this.fallbackSecret ?? '') : secretOf(values);
    const hit = this.cache.get(secret);
    if (hit !== undefined && this.now() - hit.at < AGENT_TOKEN_TTL_MS) return hit.authz;
    try {
      const authz = await this.ask(secret);
      this.cache.delete(secret);
      this.cache.set(secret, { authz, at: this.now() });
      while (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      return authz;
    } catch (err) {
      if (err instanceof RosterError && err.code !== 'UNAVAILABLE') {
        this.cache.delete(secret);
        throw err;
      }
      if (hit !== undefined) return hit.authz;
      throw err;
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  /** Asks each server in turn until one answers. */
  private async ask(secret: string): Promise<Authorizer> {
    let last = 'no server known';
    for (const addr of this.servers()) {
      try {
        const reply = await this.tokenRules(addr, secret);
        if (!reply.enabled) return compileAuthorizer([], { management: true, defaultPolicy: 'allow' });
        return compileAuthorizer(reply.rules.map((r) => parseRules(r)), { management: reply.management, defaultPolicy: reply.defaultPolicy === 'deny' ? 'deny' : 'allow' });
      } catch (err) {
        const e = err as grpc.ServiceError;
        if (e.code === grpc.status.UNAUTHENTICATED) throw new RosterError('ACL_NOT_FOUND', e.details);
        // A server without the ACL service cannot vouch for a token: refused, never allowed.
        if (e.code === grpc.status.UNIMPLEMENTED) throw new RosterError('UNAVAILABLE', `cannot check the token: ${addr} has no ACL service (a server older than this agent)`);
        last = `${addr}: ${e.details ?? String(err)}`;
      }
    }
    throw new RosterError('UNAVAILABLE', `cannot check the token: no server answered (${last})`);
  }

  private tokenRules(addr: string, secret: string): Promise<TokenRulesReply__Output> {
    let client = this.clients.get(addr);
    if (client === undefined) {
      const d = this.dial(addr);
      const Ctor = aclProto().roster.acl.v1.Acl as unknown as grpc.ServiceClientConstructor;
      this.clients.set(addr, (client = new Ctor(addr, d.credentials, d.options)));
    }
    const md = new grpc.Metadata();
    if (secret !== '') md.set(TOKEN_METADATA_KEY, secret);
    const call = (client as unknown as { TokenRules: TokenRulesCall }).TokenRules.bind(client);
    return new Promise((resolve, reject) => call({}, md, { deadline: Date.now() + 3000 }, (err, res) => (err ? reject(err) : resolve(res!))));
  }
}

/** What each local API method needs: decided from the request and this agent's own state. */
type AgentRule = (req: Record<string, unknown>, authz: Authorizer, state: LocalState, node: string) => Decision[];

const serviceOf = (state: LocalState, id: string): string => state.service(id)?.name ?? id;

/** Consul's rules for its agent endpoints. */
export const AGENT_RULES: Record<string, AgentRule> = {
  RegisterService: (req, authz) => {
    const s = req.service as { name?: string; id?: string } | null;
    return [authz.serviceWrite(s?.name ?? '')];
  },
  DeregisterService: (req, authz, state) => [authz.serviceWrite(serviceOf(state, String(req.id)))],
  UpdateTtl: (req, authz, state, node) => {
    const check = state.check(String(req.checkId));
    return [check === undefined || check.serviceId === '' ? authz.nodeWrite(node) : authz.serviceWrite(serviceOf(state, check.serviceId))];
  },
  // Listing what the agent holds: agent:read on it (Consul's /v1/agent/services also filters by service:read).
  Services: (_req, authz, _state, node) => [authz.agentRead(node)],
  Instances: (req, authz) => [authz.serviceRead(String(req.service))],
  WatchInstances: (req, authz) => [authz.serviceRead(String(req.service))],
  Maintenance: (req, authz, state, node) => {
    const id = typeof req.serviceId === 'string' ? req.serviceId : '';
    return [id === '' ? authz.nodeWrite(node) : authz.serviceWrite(serviceOf(state, id))];
  },
  Leave: (_req, authz, _state, node) => [authz.agentWrite(node)],
  // Consul's: node:write for a check on the node, service:write for one on a service.
  RegisterCheck: (req, authz, state, node) => {
    const id = typeof req.serviceId === 'string' ? req.serviceId : '';
    return [id === '' ? authz.nodeWrite(node) : authz.serviceWrite(serviceOf(state, id))];
  },
  Join: (_req, authz, _state, node) => [authz.agentWrite(node)],
  ForceLeave: (_req, authz) => [authz.operatorWrite()],
  DeregisterCheck: (req, authz, state, node) => {
    const check = state.check(String(req.checkId));
    return [check === undefined || check.serviceId === '' ? authz.nodeWrite(node) : authz.serviceWrite(serviceOf(state, check.serviceId))];
  },
};

function status(err: unknown): grpc.ServiceError {
  const code =
    err instanceof RosterError
      ? err.code === 'PERMISSION_DENIED'
        ? grpc.status.PERMISSION_DENIED
        : err.code === 'ACL_NOT_FOUND'
          ? grpc.status.UNAUTHENTICATED
          : grpc.status.UNAVAILABLE
      : grpc.status.INTERNAL;
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

/**
 * The agent API's handlers, each first checking the caller's token against its rule. A method
 * without a rule is refused at startup, so none is served unchecked by omission.
 */
export function guardAgentHandlers(handlers: grpc.UntypedServiceImplementation, access: AgentAccess, state: LocalState, node: string): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {};
  for (const [name, handle] of Object.entries(handlers)) {
    const rule = AGENT_RULES[name];
    if (rule === undefined) throw new RosterError('INTERNAL', `agent API: no access rule for ${name}`);
    const check = async (call: { metadata: grpc.Metadata; request?: unknown }): Promise<void> => {
      const authz = await access.authorizerFor(call.metadata);
      for (const d of rule((call.request ?? {}) as Record<string, unknown>, authz, state, node)) if (!d.allowed) throw new RosterError('PERMISSION_DENIED', d.message);
    };
    out[name] = ((call: grpc.ServerUnaryCall<unknown, unknown> & grpc.ServerWritableStream<unknown, unknown>, cb?: grpc.sendUnaryData<unknown>) => {
      check(call).then(
        () => (handle as (c: unknown, cb?: unknown) => void)(call, cb),
        (err: unknown) => (cb === undefined ? call.emit('error', status(err)) : cb(status(err))),
      );
    }) as grpc.UntypedHandleCall;
  }
  return out;
}
