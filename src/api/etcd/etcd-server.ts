import * as grpc from '@grpc/grpc-js';
import { RosterError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import type { CallContext, EtcdBackend } from './backend.js';
import { ClusterService } from './cluster-service.js';
import { etcdMethods, etcdProto } from './etcd-proto.js';
import { grpcError, toGrpcError } from './grpc-errors.js';
import { kvHandlers, KvService, MAX_REQUEST_BYTES } from './kv-service.js';
import { LeaseService } from './lease-service.js';
import { MaintenanceService } from './maintenance-service.js';
import { WatchService } from './watch-service.js';
import { WatchHub } from '../watch/watch-hub.js';
import { OperatorService } from '../roster/operator-service.js';
import { operatorProto } from '../roster/operator-proto.js';

type Handler = (req: never, ctx: CallContext) => Promise<unknown>;

export interface EtcdApiOptions {
  readonly backend: EtcdBackend;
  readonly memberIdOf: (name: string) => string;
  readonly listen: string;
  readonly logger: Logger;
  /** Unsent bytes a watch stream may hold before it is cut off as too slow (default 8 MiB). */
  readonly watchMaxPendingBytes?: number;
  /** Idle interval after which watchers that asked get a progress notification (default 10 s). */
  readonly watchProgressEveryMs?: number;
}

/**
 * The public gRPC API on the client port: etcd's KV, Watch, Lease, Cluster and Maintenance. Every handler gets the caller's
 * deadline (or the server default), and every failure becomes a gRPC status, never a crash.
 */
export class EtcdApiServer {
  private server: grpc.Server | undefined;
  private readonly byPath = new Map<string, Handler>();
  private readonly streams = new Map<string, (req: never, ctx: CallContext) => AsyncIterable<unknown>>();
  private readonly duplex = new Map<string, (call: grpc.ServerDuplexStream<never, unknown>) => void>();
  private readonly methods: Map<string, grpc.MethodDefinition<unknown, unknown>>;
  readonly kv: KvService;
  readonly hub: WatchHub;
  private readonly watch: WatchService;

  constructor(private readonly opts: EtcdApiOptions) {
    const b = opts.backend;
    this.kv = new KvService(b);
    const cluster = new ClusterService(b, this.kv, opts.memberIdOf);
    const maint = new MaintenanceService(b, this.kv, cluster, opts.memberIdOf);
    for (const [m, h] of Object.entries(kvHandlers(this.kv))) this.byPath.set(`/etcdserverpb.KV/${m}`, h);
    this.byPath.set('/etcdserverpb.Cluster/MemberList', (r, c) => cluster.memberList(r, c));
    this.byPath.set('/etcdserverpb.Cluster/MemberAdd', (r, c) => cluster.memberAdd(r, c));
    this.byPath.set('/etcdserverpb.Cluster/MemberRemove', (r, c) => cluster.memberRemove(r, c));
    this.byPath.set('/etcdserverpb.Cluster/MemberPromote', (r, c) => cluster.memberPromote(r, c));
    this.byPath.set('/etcdserverpb.Maintenance/Status', (r, c) => maint.status(r, c));
    this.byPath.set('/etcdserverpb.Maintenance/MoveLeader', (r, c) => maint.moveLeader(r, c));
    this.byPath.set('/etcdserverpb.Maintenance/Alarm', () => maint.alarm());
    this.byPath.set('/etcdserverpb.Maintenance/Defragment', () => maint.defragment());
    this.hub = new WatchHub(() => b.mvcc, opts.logger);
    b.onApplied(() => this.hub.kick());
    this.watch = new WatchService({
      hub: this.hub,
      header: (revision) => ({ clusterId: b.identity.clusterId, memberId: b.memberId, revision, raftTerm: b.term() }),
      maxResponseBytes: MAX_REQUEST_BYTES,
      maxPendingBytes: opts.watchMaxPendingBytes ?? 8 * 1024 * 1024,
      progressEveryMs: opts.watchProgressEveryMs ?? 10_000,
      logger: opts.logger,
    });
    this.duplex.set('/etcdserverpb.Watch/Watch', (call) => this.watch.watch(call as never));
    const lease = new LeaseService(b, this.kv);
    const L = '/etcdserverpb.Lease/';
    this.byPath.set(`${L}LeaseGrant`, (r, c) => lease.grant(r, c));
    this.byPath.set(`${L}LeaseRevoke`, (r, c) => lease.revoke(r, c));
    this.byPath.set(`${L}LeaseTimeToLive`, (r, c) => lease.timeToLive(r, c));
    this.byPath.set(`${L}LeaseLeases`, (r, c) => lease.leases(r, c));
    this.duplex.set(`${L}LeaseKeepAlive`, (call) => lease.keepAlive(call));
    const op = new OperatorService(b, (path, req, ctx) => this.forwardCall(path, req, ctx));
    const O = '/roster.operator.v1.Operator/';
    this.byPath.set(`${O}RaftPeers`, (r, c) => op.raftPeers(r, c));
    this.byPath.set(`${O}AddLearner`, (r, c) => op.addLearner(r, c));
    this.byPath.set(`${O}Promote`, (r, c) => op.promote(r, c));
    this.byPath.set(`${O}Remove`, (r, c) => op.remove(r, c));
    this.byPath.set(`${O}TransferLeader`, (r, c) => op.transferLeader(r, c));
    this.streams.set(`${O}Snapshot`, () => op.snapshot());
    this.methods = etcdMethods();
    for (const def of Object.values(operatorProto().roster.operator.v1.Operator.service as grpc.ServiceDefinition)) {
      this.methods.set(def.path, def as grpc.MethodDefinition<unknown, unknown>);
    }
  }

  /** One hop to the leader for a call this server cannot answer (never twice). */
  private async forwardCall(path: string, req: unknown, ctx: CallContext): Promise<unknown> {
    const leader = this.opts.backend.leader();
    if (ctx.forwarded || leader === '' || leader === this.opts.backend.identity.name) {
      throw new RosterError('NO_LEADER', 'etcdserver: no leader', { leader, leaderAddr: leader === '' ? '' : (this.opts.backend.clientAddrOf(leader) ?? '') });
    }
    const def = this.methods.get(path)!;
    const answer = await this.opts.backend.forwardToLeader(path, def.requestSerialize(req), new Date(ctx.deadline));
    return def.responseDeserialize(Buffer.from(answer));
  }

  async start(): Promise<void> {
    const server = new grpc.Server({
      // Above etcd's request limit, so an oversized request gets etcd's own error text.
      'grpc.max_receive_message_length': MAX_REQUEST_BYTES + 512 * 1024,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
    });
    const p = etcdProto().etcdserverpb;
    for (const svc of [p.KV, p.Cluster, p.Maintenance, p.Lease, p.Watch, operatorProto().roster.operator.v1.Operator]) {
      const impl: grpc.UntypedServiceImplementation = {};
      const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
      for (const [name, def] of Object.entries(svc.service as grpc.ServiceDefinition)) {
        impl[name] = this.implement(def.path, def.requestStream || def.responseStream);
        // Watch responses are assembled from pre-encoded parts (watch-encoding.ts): bytes pass as they are.
        definition[name] = def.responseStream ? { ...def, responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : def.responseSerialize(v)) } : (def as grpc.MethodDefinition<unknown, unknown>);
      }
      server.addService(definition, impl);
    }
    await new Promise<void>((resolve, reject) => server.bindAsync(this.opts.listen, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
    this.server = server;
  }

  async stop(): Promise<void> {
    this.watch.stop();
    this.hub.stop();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 2000);
      server.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Serves a call forwarded by another server (it arrives on the peer port). */
  async handleForwarded(path: string, payload: Uint8Array, deadline: Date | undefined): Promise<Uint8Array> {
    const handler = this.byPath.get(path);
    const def = this.methods.get(path);
    if (handler === undefined || def === undefined) throw new RosterError('UNIMPLEMENTED', `cannot forward ${path}`);
    const req = def.requestDeserialize(Buffer.from(payload));
    const ctx: CallContext = {
      deadline: deadline?.getTime() ?? Date.now() + this.opts.backend.cfg.defaultRequestTimeoutMs,
      forwarded: true,
      metadata: new grpc.Metadata(),
      responseMetadata: new grpc.Metadata(),
    };
    return def.responseSerialize(await handler(req as never, ctx));
  }

  private implement(path: string, streaming: boolean): grpc.UntypedHandleCall {
    const duplex = this.duplex.get(path);
    if (duplex !== undefined) return duplex as grpc.UntypedHandleCall;
    const stream = this.streams.get(path);
    if (stream !== undefined) {
      return ((call: grpc.ServerWritableStream<unknown, unknown>) => {
        const ctx: CallContext = { deadline: Date.now() + 3_600_000, forwarded: false, metadata: call.metadata, responseMetadata: new grpc.Metadata() };
        void (async () => {
          try {
            for await (const msg of stream(call.request as never, ctx)) {
              if (call.cancelled) return;
              if (!call.write(msg)) await new Promise((r) => call.once('drain', r));
            }
            call.end();
          } catch (err) {
            call.emit('error', toGrpcError(err));
          }
        })();
      }) as grpc.UntypedHandleCall;
    }
    const handler = this.byPath.get(path);
    if (handler === undefined || streaming) {
      const what = 'not served by Roster';
      const unimplemented = grpcError(grpc.status.UNIMPLEMENTED, `roster: ${path} is not implemented yet (${what})`);
      if (streaming) return ((call: grpc.ServerDuplexStream<unknown, unknown>) => call.emit('error', unimplemented)) as grpc.UntypedHandleCall;
      return ((_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(unimplemented)) as grpc.UntypedHandleCall;
    }
    return ((call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const d = call.getDeadline();
      const deadline = d instanceof Date ? d.getTime() : Number.isFinite(d) ? Number(d) : Date.now() + this.opts.backend.cfg.defaultRequestTimeoutMs;
      const ctx: CallContext = { deadline, forwarded: false, metadata: call.metadata, responseMetadata: new grpc.Metadata() };
      handler(call.request as never, ctx).then(
        (res) => {
          call.sendMetadata(ctx.responseMetadata);
          cb(null, res);
        },
        (err: unknown) => {
          const e = toGrpcError(err);
          if (e.code === grpc.status.INTERNAL) this.opts.logger.error('request failed', { path, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          cb(e);
        },
      );
    }) as grpc.UntypedHandleCall;
  }
}
