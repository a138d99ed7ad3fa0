import * as grpc from '@grpc/grpc-js';
import type { Server as HttpServer } from 'node:http';
import { listenGrpcAndHttp } from '../../tls/shared-listener.js';
import { secretOf, TOKEN_METADATA_KEY } from '../../util/acl-token.js';
import { guardAgentHandlers, type AgentAccess } from './agent-access.js';
import { listenGrpc, type GrpcListener, type ListenerTls } from '../../tls/tls-listener.js';
import type { AgentHandlers } from '../../gen/agent/roster/agent/v1/Agent.js';
import type { AgentService } from '../../gen/agent/roster/agent/v1/AgentService.js';
import type { AgentServiceResponse } from '../../gen/agent/roster/agent/v1/AgentServiceResponse.js';
import type { DeregisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/DeregisterServiceRequest.js';
import type { InstancesRequest__Output } from '../../gen/agent/roster/agent/v1/InstancesRequest.js';
import type { InstancesResponse } from '../../gen/agent/roster/agent/v1/InstancesResponse.js';
import type { MaintenanceRequest__Output } from '../../gen/agent/roster/agent/v1/MaintenanceRequest.js';
import type { MaintenanceResponse } from '../../gen/agent/roster/agent/v1/MaintenanceResponse.js';
import type { ServiceCache } from '../../client/service-cache.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import type { UpdateTtlRequest__Output } from '../../gen/agent/roster/agent/v1/UpdateTtlRequest.js';
import type { RegisterCheckRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterCheckRequest.js';
import type { DeregisterCheckRequest__Output } from '../../gen/agent/roster/agent/v1/DeregisterCheckRequest.js';
import type { ForceLeaveRequest__Output } from '../../gen/agent/roster/agent/v1/ForceLeaveRequest.js';
import { isHostPort } from '../../util/host-port.js';
import type { CheckState } from '../../gen/agent/roster/agent/v1/CheckState.js';
import { REGISTRY_LIMITS } from '../../store/registry/validate.js';
import { agentProto } from '../../proto/agent-proto.js';
import type { PersistedAgentState, SavedCheck } from './agent-state-file.js';
import type { Logger } from '../../util/logger.js';
import { isRosterError } from '../../util/errors.js';
import { CheckRunner } from '../checks/check-runner.js';
import { commandProbe, killRunningCommands } from '../checks/command-probe.js';
import { grpcProbe } from '../checks/grpc-probe.js';
import { httpProbe } from '../checks/http-probe.js';
import { ANY_TARGET, type CheckTargetPolicy } from '../checks/check-targets.js';
import { clip, type Probe } from '../checks/probe.js';
import { tcpProbe } from '../checks/tcp-probe.js';
import type { AgentDiscovery } from './agent-discovery.js';
import type { AntiEntropy } from './anti-entropy.js';
import type { LocalCheck, LocalState, LocalStatus } from './local-state.js';
import { DefinitionError, DEFINITION_NAME, validateCheckRegistration, validateRegistration, type CheckTarget, type DefinitionOptions, type ValidCheck, type ValidRegistration } from './service-definition.js';

class ApiError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): ApiError => new ApiError(grpc.status.INVALID_ARGUMENT, message);

/** Checks one node or service may have, leaving room for its maintenance check (the catalog's limit per registration). */
const CHECKS_PER_OWNER = REGISTRY_LIMITS.checksPerRegistration - 1;
const STATUSES: readonly string[] = ['passing', 'warning', 'critical'];

/** The API's answer for a definition the validation refused. */
function definitionStatus(err: unknown): unknown {
  if (err instanceof DefinitionError) return new ApiError(err.code === 'FAILED_PRECONDITION' ? grpc.status.FAILED_PRECONDITION : grpc.status.INVALID_ARGUMENT, err.message);
  return err;
}

export interface AgentApiOptions {
  /** Run command checks (`args`); off by default, as in Consul (enable_script_checks). */
  readonly enableScriptChecks?: boolean;
  /** Where HTTP, TCP and gRPC checks may connect (--check-allowed-hosts): refused at registration, critical at run time. */
  readonly checkTargets?: CheckTargetPolicy;
  /** What Leave does after answering: leave gossip gracefully and stop the process. */
  readonly onLeave?: () => void;
  /** Adds the servers' APIs, forwarded, to the same port. */
  readonly forwarder?: { addTo(server: grpc.Server): void };
  /** Where what applications registered, and maintenance, survive a restart (with a data dir). */
  readonly stateFile?: { save(state: PersistedAgentState): void };
  /** The agent's gossip member, for Join and ForceLeave. */
  readonly gossip?: AgentGossip;
  /** Checks each call's token against Consul's agent rules (agent-access.ts), with the agent's node name. */
  readonly access?: { readonly check: AgentAccess; readonly node: string };
}

/** What Join and ForceLeave ask of the agent's gossip member (GossipAgent). */
export interface AgentGossip {
  joinAddress(addr: string): Promise<void>;
  forceLeave(name: string): 'left' | 'alive' | 'unknown';
  /** The pool as this agent's own member sees it now. */
  members(): readonly { readonly name: string; readonly state: string; readonly meta: { readonly role: string } }[];
  /** Calls `cb` on every change of a member's state; returns how to stop. */
  onMemberChange(cb: () => void): () => void;
}

/** Consul's default gossip port, for a join address given without one. */
const GOSSIP_PORT = 8301;

const NODE_MAINTENANCE_CHECK = '_node_maintenance';
/** How often checks with DeregisterCriticalServiceAfter are looked at (Consul: every 30 s; finer here). */
const REAP_EVERY_MS = 1000;
const serviceMaintenanceCheck = (serviceId: string): string => `_service_maintenance:${serviceId}`;

/** A check as the agent runs it: a runner for probes, or a TTL clock. */
interface RunningCheck {
  stop(): void;
}

/**
 * The client agent's local gRPC API (roster.agent.v1.Agent): applications on this host register
 * services with checks, report TTL checks and list what the agent holds. The agent runs the
 * checks (HTTP, TCP, gRPC health, TTL) and anti-entropy carries every change to the catalog.
 * Bad input gets INVALID_ARGUMENT naming the field, an unknown id NOT_FOUND.
 */
export class AgentApi {
  private server: grpc.Server | undefined;
  private listener: GrpcListener | undefined;
  private readonly running = new Map<string, RunningCheck>();
  /** Services applications registered through the API (saved in the state file), by id. */
  private readonly apiRegistrations = new Map<string, RegisterServiceRequest__Output>();
  /** Checks registered on their own (RegisterCheck), by id: kept when their service is registered again, saved in the state file. */
  private readonly standaloneChecks = new Map<string, SavedCheck>();
  /** Saved registrations this run could not restore (kept in the file for a later run). */
  private unrestored: RegisterServiceRequest__Output[] = [];
  private restoring = false;
  private readonly ttlTimers = new Map<string, { ttlMs: number; timer: NodeJS.Timeout | undefined }>();
  /** Checks with DeregisterCriticalServiceAfter: their service, the limit, and since when (performance.now()) they have been critical. */
  private readonly reapable = new Map<string, { serviceId: string; afterMs: number; criticalSince: number | undefined }>();
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: LocalState,
    private readonly sync: AntiEntropy,
    private readonly discovery: AgentDiscovery,
    private readonly logger: Logger,
    private readonly options: AgentApiOptions = {},
  ) {}

  /** The handlers as served (with the access check when ACLs are on), for callLocal. */
  private served: grpc.UntypedServiceImplementation | undefined;

  /**
   * `listen` serves the gRPC API, and `http` on the same port when given (Consul's HTTP API:
   * HTTP/1.1 connections go to it, HTTP/2 ones to gRPC).
   */
  async start(listen: string, tls?: ListenerTls, http?: HttpServer): Promise<void> {
    const server = new grpc.Server();
    const wrap =
      <Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Res) =>
      (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>): void => {
        try {
          cb(null, fn(call.request, call));
        } catch (err) {
          const e = toStatus(err);
          if (e.code === grpc.status.INTERNAL) this.logger.error('agent API call failed', { error: e.details });
          cb(e);
        }
      };
    const handlers: AgentHandlers = {
      RegisterService: wrap((r: RegisterServiceRequest__Output, call) => ({ service: this.registerFromApi(r, callerToken(call.metadata)) })),
      DeregisterService: wrap((r: DeregisterServiceRequest__Output) => {
        if (!this.deregister(r.id)) throw new ApiError(grpc.status.NOT_FOUND, `no service ${r.id} on this agent`);
        this.persist();
        return {};
      }),
      UpdateTtl: wrap((r: UpdateTtlRequest__Output) => this.updateTtl(r.checkId, r.status, r.output)),
      Services: wrap(() => ({ services: this.state.allServices().map((s) => this.view(s.id)), syncs: this.sync.syncs, syncError: this.sync.lastError ?? '', nodeChecks: this.state.nodeChecks().map(checkState) })),
      RegisterCheck: wrap((r: RegisterCheckRequest__Output) => ({ check: this.registerCheck(r) })),
      DeregisterCheck: wrap((r: DeregisterCheckRequest__Output) => {
        if (!this.deregisterCheck(r.checkId)) throw new ApiError(grpc.status.NOT_FOUND, `no check ${r.checkId} on this agent`);
        this.persist();
        return {};
      }),
      Instances: (call, cb) => {
        void this.instances(call.request).then(
          (res) => cb(null, res),
          (err: unknown) => cb(toStatus(err)),
        );
      },
      Maintenance: wrap((r: MaintenanceRequest__Output) => this.maintenance(r.enable, r.serviceId, r.reason)),
      Leave: (_call, cb) => {
        if (this.options.onLeave === undefined) {
          cb(toStatus(new ApiError(grpc.status.UNIMPLEMENTED, 'this agent cannot leave through its API')));
          return;
        }
        this.logger.info('leave requested through the agent API');
        cb(null, {});
        // After the answer is on its way: leaving stops this server too.
        setImmediate(this.options.onLeave);
      },
      WatchInstances: (call) => void this.watchInstances(call),
      Join: (call, cb) => {
        void this.join(call.request.address).then(
          () => cb(null, {}),
          (err: unknown) => cb(toStatus(err)),
        );
      },
      ForceLeave: wrap((r: ForceLeaveRequest__Output) => {
        const g = this.gossip();
        const outcome = g.forceLeave(r.node);
        if (outcome === 'unknown') throw new ApiError(grpc.status.NOT_FOUND, `no member named ${JSON.stringify(r.node)} in this agent's gossip pool`);
        if (outcome === 'alive') throw new ApiError(grpc.status.FAILED_PRECONDITION, `${r.node} is not failed: force-leave is for a member gossip holds failed (a live one would refute it)`);
        return {};
      }),
    };
    const access = this.options.access;
    this.served = access === undefined ? handlers : guardAgentHandlers(handlers, access.check, this.state, access.node);
    server.addService(agentProto().roster.agent.v1.Agent.service, this.served);
    this.options.forwarder?.addTo(server);
    this.listener = http === undefined ? await listenGrpc(server, listen, tls) : await listenGrpcAndHttp(server, http, listen, tls, this.logger);
    this.server = server;
  }

  /**
   * Calls a unary method of this API in-process, exactly as over gRPC (the same validation and,
   * with ACLs on, the same check of the token in `metadata`): what the HTTP API is built on.
   */
  callLocal(method: LocalMethod, request: unknown, metadata: grpc.Metadata): Promise<unknown> {
    const handle = this.served?.[method] as grpc.handleUnaryCall<unknown, unknown> | undefined;
    if (handle === undefined) return Promise.reject(new ApiError(grpc.status.UNAVAILABLE, 'the agent API is not started'));
    return new Promise((resolve, reject) => {
      const call = { request, metadata, getPeer: () => 'in-process', cancelled: false } as unknown as grpc.ServerUnaryCall<unknown, unknown>;
      // The handlers answer with ServiceError-like objects (toStatus), Errors with a code.
      handle(call, (err, res) => (err ? reject(Object.assign(new Error(String(err.details ?? 'agent API call failed')), err)) : resolve(res)));
    });
  }

  stop(): void {
    if (this.reaper !== undefined) clearInterval(this.reaper);
    for (const c of this.running.values()) c.stop();
    this.running.clear();
    killRunningCommands();
    // Calls in flight finish (the answer to a Leave among them); streams are cut after a moment.
    const server = this.server;
    const listener = this.listener;
    listener?.stopAccepting();
    server?.tryShutdown(() => listener?.close());
    setTimeout(() => {
      server?.forceShutdown();
      listener?.close();
    }, 500).unref();
  }

  private gossip(): AgentGossip {
    if (this.options.gossip === undefined) throw new ApiError(grpc.status.UNIMPLEMENTED, 'this agent has no gossip member');
    return this.options.gossip;
  }

  /** One push-pull with the member at `address` (host, or host:port; Consul's port 8301 by default). */
  private async join(address: string): Promise<void> {
    const addr = isHostPort(address) ? address : `${address}:${GOSSIP_PORT}`;
    if (!isHostPort(addr)) throw bad(`address must be host or host:port, got ${JSON.stringify(address)}`);
    const g = this.gossip();
    try {
      await g.joinAddress(addr);
    } catch (err) {
      throw new ApiError(grpc.status.UNAVAILABLE, `could not join ${addr}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.logger.info('joined through the agent API', { address: addr });
  }

  /** The cache for a query, waiting (a little) for its first answer; stale answers are answers. */
  private async instances(r: InstancesRequest__Output): Promise<InstancesResponse> {
    const cache = await this.cacheFor(r);
    await Promise.race([cache.ready(), new Promise((res) => setTimeout(res, 5000))]);
    return answerOf(cache);
  }

  private async watchInstances(call: grpc.ServerWritableStream<InstancesRequest__Output, InstancesResponse>): Promise<void> {
    let cache: ServiceCache;
    try {
      cache = await this.cacheFor(call.request);
    } catch (err) {
      call.emit('error', toStatus(err));
      return;
    }
    if (call.cancelled) return;
    const send = (): void => {
      if (!call.cancelled) call.write(answerOf(cache));
    };
    cache.on('change', send);
    cache.on('stale', send);
    call.on('cancelled', () => {
      cache.off('change', send);
      cache.off('stale', send);
    });
    void cache.ready().then(send, send);
  }

  private async cacheFor(r: InstancesRequest__Output): Promise<ServiceCache> {
    if (!DEFINITION_NAME.test(r.service)) throw bad(`service must be 1-128 letters, digits, . _ : or -, got ${JSON.stringify(r.service)}`);
    try {
      return await this.discovery.cacheWhenReady(r.service, r.includeUnhealthy);
    } catch (err) {
      const full = isRosterError(err) && err.code === 'RESOURCE_EXHAUSTED';
      throw new ApiError(full ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.UNAVAILABLE, err instanceof Error ? err.message : String(err));
    }
  }

  /** Registers a service as RegisterService does (the agent's config files' services at startup); throws on a bad definition. */
  registerDefinition(r: RegisterServiceRequest__Output): void {
    this.register(r);
  }

  /** What the state file saved at the last run: the API's registrations, then maintenance. */
  restore(saved: PersistedAgentState, skipIds: ReadonlySet<string>): void {
    this.restoring = true;
    try {
      for (const r of saved.services) {
        const id = r.service === null ? '' : r.service.id || r.service.name;
        if (skipIds.has(id)) continue; // a config file defines it now: the file wins
        try {
          this.registerFromApi(r, saved.serviceTokens?.[id]);
        } catch (err) {
          // Kept in the file: a flag missing for one restart (--enable-script-checks) must not
          // lose an application's registration for good.
          this.unrestored.push(r);
          this.state.setServiceToken(id, saved.serviceTokens?.[id]);
          this.logger.warn('a saved registration does not validate on this agent now; kept in the state file, not running', { service: id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      for (const c of saved.checks ?? []) {
        try {
          this.registerCheck({ check: c.check, serviceId: c.serviceId, status: c.status });
        } catch (err) {
          this.logger.warn('a saved check does not validate on this agent now; dropped', { check: c.check.id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      for (const m of saved.maintenance) {
        if (m.serviceId !== '' && this.state.service(m.serviceId) === undefined) continue;
        this.maintenance(true, m.serviceId, m.reason.slice(0, 1024));
      }
      for (const t of saved.ttlChecks ?? []) {
        if (!this.ttlTimers.has(t.checkId)) continue;
        this.state.setCheck(t.checkId, t.status, clip(t.output));
        this.armTtl(t.checkId);
      }
    } finally {
      this.restoring = false;
    }
    this.persist();
  }

  /** `token`: the caller's own ACL token, which anti-entropy syncs the service with (as Consul). */
  private registerFromApi(r: RegisterServiceRequest__Output, token: string | undefined): AgentService {
    const view = this.register(r);
    const s = r.service!;
    const id = s.id === '' ? s.name : s.id;
    this.state.setServiceToken(id, token);
    this.apiRegistrations.set(id, r);
    this.unrestored = this.unrestored.filter((u) => (u.service?.id || u.service?.name) !== id);
    this.persist();
    return view;
  }

  /** Saves what must survive a restart; a failure to save is logged, the change still stands. */
  private persist(): void {
    if (this.options.stateFile === undefined || this.restoring) return;
    const maintenance = [...this.state.nodeChecks(), ...this.state.allServices().flatMap((s) => this.state.checksOf(s.id))]
      .filter((c) => c.type === 'maintenance')
      .map((c) => ({ serviceId: c.serviceId, reason: c.output }));
    try {
      const ttlChecks = [...this.ttlTimers.keys()].flatMap((id) => {
        const c = this.state.check(id);
        return c === undefined ? [] : [{ checkId: id, status: c.status, output: c.output }];
      });
      this.options.stateFile.save({ version: 1, services: [...this.apiRegistrations.values(), ...this.unrestored], maintenance, ttlChecks, serviceTokens: this.state.serviceTokens(), checks: [...this.standaloneChecks.values()] });
    } catch (err) {
      this.logger.error('could not save the agent state', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private definitionOptions(): DefinitionOptions {
    return { enableScriptChecks: this.options.enableScriptChecks === true, ...(this.options.checkTargets === undefined ? {} : { checkTargets: this.options.checkTargets }) };
  }

  private register(r: RegisterServiceRequest__Output): AgentService {
    let v: ValidRegistration;
    try {
      v = validateRegistration(r, this.definitionOptions());
    } catch (err) {
      throw definitionStatus(err);
    }
    const { service, checks } = v;
    for (const c of checks) {
      const owner = this.state.check(c.id)?.serviceId;
      if (owner !== undefined && owner !== service.id) throw bad(`check id ${JSON.stringify(c.id)} belongs to service ${owner || 'the node'} on this agent`);
    }
    // Checks registered on their own stay (as Consul keeps them), unless the registration redefines them.
    const kept = this.state.checksOf(service.id).filter((c) => this.standaloneChecks.has(c.id) && !checks.some((n) => n.id === c.id));
    if (checks.length + kept.length > CHECKS_PER_OWNER) throw bad(`at most ${CHECKS_PER_OWNER} checks on a service: ${checks.length} in the registration and ${kept.length} registered on their own`);
    // Validated: replace the old registration's checks with the new ones.
    for (const c of this.state.checksOf(service.id)) if (c.type !== 'maintenance' && !kept.includes(c)) this.stopCheck(c.id);
    for (const c of checks) this.standaloneChecks.delete(c.id);
    this.state.addService(service, [...checks.map((c): LocalCheck => ({ id: c.id, name: c.name, serviceId: service.id, type: c.target.type, status: 'critical', output: 'not run yet' })), ...kept]);
    for (const c of checks) this.startCheck(c);
    this.logger.info('service registered on the agent', { id: service.id, checks: checks.map((c) => c.id) });
    return this.view(service.id);
  }

  /**
   * Maintenance mode, as in Consul: a critical check that keeps the node (every service on it)
   * or one service out of healthy queries, with the reason as its output. Anti-entropy carries
   * it to the catalog like any other check; disabling removes it.
   */
  private maintenance(enable: boolean, serviceId: string, reason: string): MaintenanceResponse {
    if (reason.length > 1024) throw bad('reason must be at most 1024 characters');
    if (serviceId !== '' && this.state.service(serviceId) === undefined) throw new ApiError(grpc.status.NOT_FOUND, `no service ${serviceId} on this agent`);
    const id = serviceId === '' ? NODE_MAINTENANCE_CHECK : serviceMaintenanceCheck(serviceId);
    if (enable) {
      const name = serviceId === '' ? 'Node maintenance mode' : 'Service maintenance mode';
      this.state.putCheck({ id, name, serviceId, type: 'maintenance', status: 'critical', output: reason === '' ? 'Maintenance mode is enabled' : reason });
      this.logger.info('maintenance enabled', { check: id, reason });
    } else if (this.state.removeCheck(id)) {
      this.logger.info('maintenance disabled', { check: id });
    }
    this.persist();
    return { active: this.maintenanceChecks() };
  }

  private maintenanceChecks(): string[] {
    const ids = this.state.nodeChecks().map((c) => c.id);
    for (const s of this.state.allServices()) for (const c of this.state.checksOf(s.id)) if (c.type === 'maintenance') ids.push(c.id);
    return ids.sort();
  }

  /**
   * Consul's DeregisterCriticalServiceAfter: a service whose check has been critical for longer
   * than its limit is deregistered here, and anti-entropy removes it from the catalog.
   */
  reapCritical(now: number): void {
    for (const [checkId, r] of [...this.reapable]) {
      const c = this.state.check(checkId);
      if (c === undefined) {
        this.reapable.delete(checkId);
        continue;
      }
      if (c.status !== 'critical') {
        r.criticalSince = undefined;
        continue;
      }
      r.criticalSince ??= now;
      if (now - r.criticalSince < r.afterMs) continue;
      this.logger.info('service deregistered: its check stayed critical past DeregisterCriticalServiceAfter', { id: r.serviceId, check: checkId, afterMs: r.afterMs });
      this.deregister(r.serviceId);
      this.persist();
    }
  }

  /**
   * Consul's /v1/agent/check/register: one check on the node or on a service this agent holds,
   * in the status given until it first runs (critical by default); one of the same id is replaced.
   */
  private registerCheck(r: RegisterCheckRequest__Output): CheckState {
    if (r.check === null) throw bad('check is required');
    const serviceId = r.serviceId;
    // Consul answers 400 here (a bad definition), not 404.
    if (serviceId !== '' && this.state.service(serviceId) === undefined) throw bad(`ServiceID ${JSON.stringify(serviceId)} does not exist on this agent`);
    const initial = r.status === '' ? 'critical' : r.status;
    if (!STATUSES.includes(initial)) throw bad(`status must be passing, warning or critical, got ${JSON.stringify(r.status)}`);
    let c: ValidCheck;
    try {
      c = validateCheckRegistration(serviceId, r.check, this.definitionOptions());
    } catch (err) {
      throw definitionStatus(err);
    }
    if (serviceId === '' && c.deregisterCriticalAfterMs !== undefined) throw bad('deregister_critical_service_after_ms is for a check on a service, not on the node');
    const existing = this.state.check(c.id);
    if (existing !== undefined && (existing.serviceId !== serviceId || existing.type === 'maintenance')) throw bad(`check id ${JSON.stringify(c.id)} belongs to ${existing.type === 'maintenance' ? 'maintenance mode' : existing.serviceId === '' ? 'the node' : `service ${existing.serviceId}`} on this agent`);
    if (existing === undefined && this.state.checksOf(serviceId).filter((x) => x.type !== 'maintenance').length >= CHECKS_PER_OWNER) throw bad(`at most ${CHECKS_PER_OWNER} checks on ${serviceId === '' ? 'the node' : `service ${serviceId}`}`);
    this.stopCheck(c.id);
    const local: LocalCheck = { id: c.id, name: c.name, serviceId, type: c.target.type, status: initial as LocalStatus, output: '' };
    this.state.putCheck(local);
    this.startCheck(c);
    this.standaloneChecks.set(c.id, { serviceId, status: local.status, check: { ...r.check, id: c.id } });
    this.dropFromRegistration(serviceId, c.id);
    this.logger.info('check registered on the agent', { id: c.id, service: serviceId });
    this.persist();
    return checkState(local);
  }

  /** Removes one check (maintenance has its own switch); false if there is none. */
  private deregisterCheck(id: string): boolean {
    const c = this.state.check(id);
    if (c === undefined) return false;
    if (c.type === 'maintenance') throw new ApiError(grpc.status.FAILED_PRECONDITION, `${id} is maintenance mode's check: turn maintenance off instead`);
    this.stopCheck(id);
    this.state.removeCheck(id);
    this.standaloneChecks.delete(id);
    this.dropFromRegistration(c.serviceId, id);
    this.logger.info('check deregistered on the agent', { id });
    return true;
  }

  /** A check taken over or removed on its own no longer comes back with its service's saved registration. */
  private dropFromRegistration(serviceId: string, checkId: string): void {
    const reg = this.apiRegistrations.get(serviceId);
    if (reg !== undefined && reg.checks.some((x) => x.id === checkId)) this.apiRegistrations.set(serviceId, { ...reg, checks: reg.checks.filter((x) => x.id !== checkId) });
  }

  private deregister(id: string): boolean {
    this.apiRegistrations.delete(id);
    for (const [checkId, c] of [...this.standaloneChecks]) if (c.serviceId === id) this.standaloneChecks.delete(checkId);
    for (const c of this.state.checksOf(id)) this.stopCheck(c.id);
    return this.state.removeService(id);
  }

  private updateTtl(checkId: string, status: string, output: string): AgentServiceResponse {
    const ttl = this.ttlTimers.get(checkId);
    const c = this.state.check(checkId);
    if (c === undefined) throw new ApiError(grpc.status.NOT_FOUND, `no check ${checkId} on this agent`);
    if (ttl === undefined) throw new ApiError(grpc.status.FAILED_PRECONDITION, `check ${checkId} is a ${c.type} check, not a TTL check`);
    if (status !== 'passing' && status !== 'warning' && status !== 'critical') throw bad(`status must be passing, warning or critical, got ${JSON.stringify(status)}`);
    // Kept to 4 KB as the servers keep it, or anti-entropy would find a difference on every sync.
    const clipped = clip(output);
    const changed = c.status !== status;
    this.state.setCheck(checkId, status, clipped);
    this.armTtl(checkId);
    // Saved when the status changes (not on every renewal, whatever its output says): a restart
    // restores it with a fresh TTL.
    if (changed) this.persist();
    // A check on the node itself has no service to show.
    return c.serviceId === '' ? {} : { service: this.view(c.serviceId) };
  }

  private startCheck(c: ValidCheck): void {
    if (c.deregisterCriticalAfterMs !== undefined) {
      this.reapable.set(c.id, { serviceId: c.serviceId, afterMs: c.deregisterCriticalAfterMs, criticalSince: undefined });
      this.reaper ??= setInterval(() => this.reapCritical(performance.now()), REAP_EVERY_MS);
      this.reaper.unref();
    }
    if (c.target.type === 'ttl') {
      this.ttlTimers.set(c.id, { ttlMs: c.target.ttlMs, timer: undefined });
      this.armTtl(c.id);
      this.running.set(c.id, { stop: () => clearTimeout(this.ttlTimers.get(c.id)?.timer) });
      return;
    }
    const runner = new CheckRunner(probeOf(c.target, this.options.checkTargets ?? ANY_TARGET), c.schedule!, (res) => this.state.setCheck(c.id, res.status, res.output));
    runner.start();
    this.running.set(c.id, runner);
  }

  /** A TTL check turns critical unless reported again within its TTL. */
  private armTtl(id: string): void {
    const t = this.ttlTimers.get(id);
    if (t === undefined) return;
    if (t.timer !== undefined) clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      this.state.setCheck(id, 'critical', `TTL expired: no update within ${t.ttlMs} ms`);
      this.persist();
    }, t.ttlMs);
  }

  private stopCheck(id: string): void {
    this.reapable.delete(id);
    this.running.get(id)?.stop();
    this.running.delete(id);
    this.ttlTimers.delete(id);
  }

  private view(serviceId: string): AgentService {
    const s = this.state.service(serviceId)!;
    return { service: { ...s, tags: [...s.tags] }, checks: this.state.checksOf(serviceId).map(checkState) };
  }
}

/** The local API's unary methods, as AgentApi.callLocal takes them. */
export type LocalMethod = 'RegisterService' | 'DeregisterService' | 'UpdateTtl' | 'Services' | 'Maintenance' | 'Leave' | 'RegisterCheck' | 'DeregisterCheck' | 'Join' | 'ForceLeave' | 'Instances';

const checkState = (c: LocalCheck): CheckState => ({ id: c.id, name: c.name, type: c.type, status: c.status, output: c.output });

function probeOf(t: Exclude<CheckTarget, { type: 'ttl' }>, targets: CheckTargetPolicy): Probe {
  switch (t.type) {
    case 'http':
      return httpProbe({ url: t.url, method: t.method, headers: t.headers, targets });
    case 'tcp':
      return tcpProbe(t.addr, targets);
    case 'grpc':
      return grpcProbe(t.addr, t.service, targets);
    case 'command':
      return commandProbe(t.args);
  }
}

function toStatus(err: unknown): grpc.ServiceError {
  const e = err instanceof ApiError ? err : new ApiError(grpc.status.INTERNAL, err instanceof Error ? err.message : String(err));
  return Object.assign(new Error(e.message), { code: e.code, details: e.message, metadata: new grpc.Metadata() });
}

function answerOf(cache: ServiceCache): InstancesResponse {
  return {
    instances: cache.instances().map((i) => ({ id: i.id, name: i.name, node: i.node, address: i.address, port: i.port, tags: [...i.tags], status: i.status })),
    stale: cache.stale,
    staleReason: cache.staleReason,
    revision: cache.revision,
  };
}

/** The caller's own token ('' or two of them: none; the access guard has refused two already). */
function callerToken(md: grpc.Metadata): string | undefined {
  try {
    const secret = secretOf(md.get(TOKEN_METADATA_KEY));
    return secret === '' ? undefined : secret;
  } catch {
    return undefined;
  }
}
