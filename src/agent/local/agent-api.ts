import * as grpc from '@grpc/grpc-js';
import type { CheckDefinition__Output } from '../../gen/agent/roster/agent/v1/CheckDefinition.js';
import type { InstancesRequest__Output } from '../../gen/agent/roster/agent/v1/InstancesRequest.js';
import type { ServiceCache } from '../../client/service-cache.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { agentProto } from '../../proto/agent-proto.js';
import type { Logger } from '../../util/logger.js';
import { CheckRunner } from '../checks/check-runner.js';
import { grpcProbe } from '../checks/grpc-probe.js';
import { httpProbe } from '../checks/http-probe.js';
import type { Probe } from '../checks/probe.js';
import { tcpProbe } from '../checks/tcp-probe.js';
import type { AgentDiscovery } from './agent-discovery.js';
import type { AntiEntropy } from './anti-entropy.js';
import type { LocalCheck, LocalState, LocalStatus } from './local-state.js';

class ApiError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): ApiError => new ApiError(grpc.status.INVALID_ARGUMENT, message);
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,127}$/;

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
  private readonly running = new Map<string, RunningCheck>();
  private readonly ttlTimers = new Map<string, { ttlMs: number; timer: NodeJS.Timeout | undefined }>();
  /** Schedules of validated checks, between validation and start. */
  private readonly pendingSchedule = new Map<string, { intervalMs: number; timeoutMs: number; successBeforePassing: number; failuresBeforeCritical: number }>();

  constructor(
    private readonly state: LocalState,
    private readonly sync: AntiEntropy,
    private readonly discovery: AgentDiscovery,
    private readonly logger: Logger,
  ) {}

  async start(listen: string): Promise<void> {
    const server = new grpc.Server();
    const wrap =
      <Req, Res>(fn: (req: Req) => Res) =>
      (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>): void => {
        try {
          cb(null, fn(call.request));
        } catch (err) {
          const e = toStatus(err);
          if (e.code === grpc.status.INTERNAL) this.logger.error('agent API call failed', { error: e.details });
          cb(e);
        }
      };
    server.addService(agentProto().roster.agent.v1.Agent.service, {
      RegisterService: wrap((r: RegisterServiceRequest__Output) => ({ service: this.register(r) })),
      DeregisterService: wrap((r: { id: string }) => {
        if (!this.deregister(r.id)) throw new ApiError(grpc.status.NOT_FOUND, `no service ${r.id} on this agent`);
        return {};
      }),
      UpdateTtl: wrap((r: { checkId: string; status: string; output: string }) => this.updateTtl(r.checkId, r.status, r.output)),
      Services: wrap(() => ({ services: this.state.allServices().map((s) => this.view(s.id)), syncs: this.sync.syncs, syncError: this.sync.lastError ?? '' })),
      Instances: (call: grpc.ServerUnaryCall<InstancesRequest__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        void this.instances(call.request).then(
          (res) => cb(null, res),
          (err: unknown) => cb(toStatus(err)),
        );
      },
      WatchInstances: (call: grpc.ServerWritableStream<InstancesRequest__Output, unknown>) => this.watchInstances(call),
    });
    await new Promise<void>((resolve, reject) => server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
    this.server = server;
  }

  stop(): void {
    for (const c of this.running.values()) c.stop();
    this.running.clear();
    this.server?.forceShutdown();
  }

  /** The cache for a query, waiting (a little) for its first answer; stale answers are answers. */
  private async instances(r: InstancesRequest__Output): Promise<unknown> {
    const cache = this.cacheFor(r);
    await Promise.race([cache.ready(), new Promise((res) => setTimeout(res, 5000))]);
    return answerOf(cache);
  }

  private watchInstances(call: grpc.ServerWritableStream<InstancesRequest__Output, unknown>): void {
    let cache: ServiceCache;
    try {
      cache = this.cacheFor(call.request);
    } catch (err) {
      call.emit('error', toStatus(err));
      return;
    }
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

  private cacheFor(r: InstancesRequest__Output): ServiceCache {
    if (!NAME.test(r.service)) throw bad(`service must be 1-128 letters, digits, . _ : or -, got ${JSON.stringify(r.service)}`);
    try {
      return this.discovery.cache(r.service, r.includeUnhealthy);
    } catch (err) {
      throw new ApiError(grpc.status.UNAVAILABLE, err instanceof Error ? err.message : String(err));
    }
  }

  private register(r: RegisterServiceRequest__Output): unknown {
    const s = r.service;
    if (s === null) throw bad('service is required');
    if (!NAME.test(s.name)) throw bad(`service.name must be 1-128 letters, digits, . _ : or -, got ${JSON.stringify(s.name)}`);
    const id = s.id === '' ? s.name : s.id;
    if (!NAME.test(id)) throw bad(`service.id must be 1-128 letters, digits, . _ : or -, got ${JSON.stringify(id)}`);
    if (!(s.port >= 0 && s.port <= 65_535)) throw bad(`service.port must be 0-65535, got ${s.port}`);
    const checks = r.checks.map((c, i) => this.checkOf(id, c, i));
    const ids = new Set(checks.map((c) => c.check.id));
    if (ids.size !== checks.length) throw bad('checks: ids must be unique');
    // Validated: replace the old registration's checks with the new ones.
    for (const c of this.state.checksOf(id)) this.stopCheck(c.id);
    this.state.addService({ id, name: s.name, port: s.port, address: s.address, tags: s.tags, meta: s.meta }, checks.map((c) => c.check));
    for (const c of checks) this.startCheck(c.check, c.start);
    this.logger.info('service registered on the agent', { id, checks: [...ids] });
    return this.view(id);
  }

  private deregister(id: string): boolean {
    for (const c of this.state.checksOf(id)) this.stopCheck(c.id);
    return this.state.removeService(id);
  }

  private updateTtl(checkId: string, status: string, output: string): unknown {
    const ttl = this.ttlTimers.get(checkId);
    const c = this.state.check(checkId);
    if (c === undefined) throw new ApiError(grpc.status.NOT_FOUND, `no check ${checkId} on this agent`);
    if (ttl === undefined) throw new ApiError(grpc.status.FAILED_PRECONDITION, `check ${checkId} is a ${c.type} check, not a TTL check`);
    if (status !== 'passing' && status !== 'warning' && status !== 'critical') throw bad(`status must be passing, warning or critical, got ${JSON.stringify(status)}`);
    this.state.setCheck(checkId, status, output);
    this.armTtl(checkId);
    return { service: this.view(c.serviceId) };
  }

  private checkOf(serviceId: string, d: CheckDefinition__Output, i: number): { check: LocalCheck; start: Probe | number } {
    const kinds = [d.http !== '' ? 'http' : '', d.tcp !== '' ? 'tcp' : '', d.grpc !== '' ? 'grpc' : '', d.ttlMs > 0 ? 'ttl' : ''].filter((k) => k !== '');
    if (kinds.length !== 1) throw bad(`checks[${i}]: give exactly one of http, tcp, grpc or ttl_ms`);
    const type = kinds[0] as LocalCheck['type'];
    const id = d.id === '' ? `${serviceId}:${type}` : d.id;
    if (!NAME.test(id)) throw bad(`checks[${i}].id must be 1-128 letters, digits, . _ : or -`);
    const check: LocalCheck = { id, name: d.name === '' ? `${type} check` : d.name, serviceId, type, status: 'critical', output: 'not run yet' };
    if (type === 'ttl') return { check, start: d.ttlMs };
    const hostPort = /^[^\s:/]+:\d{1,5}$/;
    let probe: Probe;
    if (type === 'http') {
      if (!/^https?:\/\/\S+$/.test(d.http)) throw bad(`checks[${i}].http must be an http(s) URL`);
      probe = httpProbe({ url: d.http });
    } else if (type === 'tcp') {
      if (!hostPort.test(d.tcp)) throw bad(`checks[${i}].tcp must be host:port`);
      probe = tcpProbe(d.tcp);
    } else {
      const [addr = '', svc = ''] = d.grpc.split('/', 2);
      if (!hostPort.test(addr)) throw bad(`checks[${i}].grpc must be host:port[/service]`);
      probe = grpcProbe(addr, svc);
    }
    const intervalMs = d.intervalMs === 0 ? 10_000 : d.intervalMs;
    const timeoutMs = d.timeoutMs === 0 ? Math.min(5000, intervalMs) : d.timeoutMs;
    if (intervalMs < 100) throw bad(`checks[${i}].interval_ms must be at least 100`);
    if (timeoutMs > intervalMs) throw bad(`checks[${i}].timeout_ms cannot exceed interval_ms`);
    this.pendingSchedule.set(id, { intervalMs, timeoutMs, successBeforePassing: d.successBeforePassing, failuresBeforeCritical: d.failuresBeforeCritical });
    return { check, start: probe };
  }

  private startCheck(c: LocalCheck, start: Probe | number): void {
    if (typeof start === 'number') {
      this.ttlTimers.set(c.id, { ttlMs: start, timer: undefined });
      this.armTtl(c.id);
      this.running.set(c.id, { stop: () => clearTimeout(this.ttlTimers.get(c.id)?.timer) });
      return;
    }
    const schedule = this.pendingSchedule.get(c.id)!;
    this.pendingSchedule.delete(c.id);
    const runner = new CheckRunner(start, schedule, (res) => this.state.setCheck(c.id, res.status, res.output));
    runner.start();
    this.running.set(c.id, runner);
  }

  /** A TTL check turns critical unless reported again within its TTL. */
  private armTtl(id: string): void {
    const t = this.ttlTimers.get(id);
    if (t === undefined) return;
    if (t.timer !== undefined) clearTimeout(t.timer);
    t.timer = setTimeout(() => this.state.setCheck(id, 'critical', `TTL expired: no update within ${t.ttlMs} ms`), t.ttlMs);
  }

  private stopCheck(id: string): void {
    this.running.get(id)?.stop();
    this.running.delete(id);
    this.ttlTimers.delete(id);
  }

  private view(serviceId: string): unknown {
    const s = this.state.service(serviceId)!;
    return { service: s, checks: this.state.checksOf(serviceId).map((c) => ({ id: c.id, name: c.name, type: c.type, status: c.status as LocalStatus, output: c.output })) };
  }
}

function toStatus(err: unknown): grpc.ServiceError {
  const e = err instanceof ApiError ? err : new ApiError(grpc.status.INTERNAL, err instanceof Error ? err.message : String(err));
  return Object.assign(new Error(e.message), { code: e.code, details: e.message, metadata: new grpc.Metadata() });
}

function answerOf(cache: ServiceCache): unknown {
  return {
    instances: cache.instances().map((i) => ({ id: i.id, name: i.name, node: i.node, address: i.address, port: i.port, tags: [...i.tags], status: i.status })),
    stale: cache.stale,
    staleReason: cache.staleReason,
    revision: cache.revision,
  };
}
