import * as grpc from '@grpc/grpc-js';
import { listenGrpc, type GrpcListener, type ListenerTls } from '../tls/tls-listener.js';
import type { MemberView } from '../gossip/member-table.js';
import { isRosterError, RosterError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { ALLOW_ALL, enforce, type AccessRule } from './access/access-rules.js';
import { callerSecret, presentsEtcdToken } from './access/caller-token.js';
import type { Authorizer } from '../store/acl/authorizer.js';
import type { CallContext } from './call-context.js';
import type { ApiBackend, PoolForceLeave, PoolKeyring } from './server-interfaces.js';
import { addEtcdRoutes } from './etcd/etcd-routes.js';
import { grpcError, toGrpcError } from './grpc-errors.js';
import { MAX_REQUEST_BYTES } from './etcd/kv-service.js';
import { addAclRoutes } from './roster/acl-routes.js';
import { addOperatorRoutes } from './roster/operator-routes.js';
import { addRegistryRoutes } from './roster/registry-routes.js';
import { leaderForwarding } from './leader-forwarding.js';
import { Routes } from './routes.js';
import { WatchHub } from './watch/watch-hub.js';
import { deadlineFromGrpc, deadlineIn, type Deadline } from '../time/deadline.js';

interface LiveStream {
  readonly secret: string;
  readonly rule: AccessRule;
  end(err: grpc.ServiceError): void;
}

export interface ApiServerOptions {
  readonly backend: ApiBackend;
  readonly memberIdOf: (name: string) => string;
  readonly listen: string;
  readonly logger: Logger;
  /** Unsent bytes a watch stream may hold before it is cut off as too slow (default 8 MiB). */
  readonly watchMaxPendingBytes?: number;
  /** Idle interval after which watchers that asked get a progress notification (default 10 s). */
  readonly watchProgressEveryMs?: number;
  /** Told of every unary call's outcome and duration (metrics). */
  readonly onRequest?: (path: string, code: number, ms: number) => void;
  /** This server's view of the gossip pool, when it gossips. */
  readonly gossipMembers?: () => readonly MemberView[] | undefined;
  /** TLS on the client port (off when absent). */
  readonly tls?: ListenerTls;
  /** The gossip pool's keyring operations (roster keyring), when it gossips. */
  readonly poolKeyring?: PoolKeyring;
  /** Force-leave on this server's gossip (roster operator raft remove-peer tells it), when it gossips. */
  readonly poolForceLeave?: PoolForceLeave;
}

/**
 * The public gRPC API on the client port: etcd's KV, Watch, Lease, Cluster and Maintenance,
 * Roster's registry (catalog, health, sessions, locks, watch) and operator services. Every handler
 * gets the caller's deadline (or the server default), and every failure becomes a gRPC status,
 * never a crash. One watch hub feeds every watch stream of the server.
 */
export class ApiServer {
  private server: grpc.Server | undefined;
  private listener: GrpcListener | undefined;
  private readonly routes = new Routes();
  readonly hub: WatchHub;
  /** Open streams, with the token each was opened with: checked again whenever ACL state changes. */
  private readonly liveStreams = new Set<LiveStream>();

  constructor(private readonly opts: ApiServerOptions) {
    const b = opts.backend;
    this.hub = new WatchHub(() => b.mvcc, opts.logger);
    b.onApplied(() => this.hub.kick());
    b.access.onChange(() => this.recheckStreams());
    const forward = leaderForwarding(b);
    addEtcdRoutes(this.routes, { backend: b, hub: this.hub, forward, memberIdOf: opts.memberIdOf, logger: opts.logger, watchMaxPendingBytes: opts.watchMaxPendingBytes, watchProgressEveryMs: opts.watchProgressEveryMs });
    addRegistryRoutes(this.routes, {
      backend: b,
      hub: this.hub,
      forward,
      logger: opts.logger,
      watchMaxPendingBytes: opts.watchMaxPendingBytes,
      watchProgressEveryMs: opts.watchProgressEveryMs,
      // Two of the longest election timeouts without a word from a leader: something is wrong.
      staleAfterMs: 4 * b.cfg.electionTicks * b.cfg.tickMs,
    });
    this.routes.gauges.set('watch.watchers', () => this.hub.subscribers);
    addOperatorRoutes(this.routes, b, forward, opts.gossipMembers ?? (() => undefined), opts.poolKeyring, opts.poolForceLeave);
    addAclRoutes(this.routes, b);
  }

  /** Requests refused by each configured limit, by its flag name. */
  limitRefusals(): Record<string, number> {
    return Object.fromEntries(this.routes.limitRefusals);
  }

  /** The load gauges of every service family (open watch streams, watchers, ...). */
  gaugeValues(): Record<string, number> {
    return Object.fromEntries([...this.routes.gauges].map(([k, read]) => [k, read()]));
  }

  async start(): Promise<void> {
    const unguarded = this.routes.unguarded();
    if (unguarded.length > 0) throw new RosterError('INTERNAL', `no access rule for ${unguarded.join(', ')}`);
    const server = new grpc.Server({
      // Above etcd's request limit, so an oversized request gets etcd's own error text.
      'grpc.max_receive_message_length': MAX_REQUEST_BYTES + 512 * 1024,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
      'grpc.max_concurrent_streams': this.opts.backend.cfg.maxStreamsPerConnection,
      'grpc.max_connection_idle_ms': this.opts.backend.cfg.idleConnectionMs,
    });
    for (const svc of this.routes.services) {
      const impl: grpc.UntypedServiceImplementation = {};
      const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
      for (const [name, def] of Object.entries(svc)) {
        impl[name] = this.implement(def.path, def.requestStream || def.responseStream);
        // Watch responses are assembled from pre-encoded parts: bytes pass as they are.
        definition[name] = def.responseStream ? { ...def, responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : def.responseSerialize(v)) } : (def as grpc.MethodDefinition<unknown, unknown>);
      }
      server.addService(definition, impl);
    }
    this.listener = await listenGrpc(server, this.opts.listen, this.opts.tls);
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const f of this.routes.onStop) f();
    this.hub.stop();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    this.listener?.stopAccepting();
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
    this.listener?.close();
  }

  /** Serves a call forwarded by another server (it arrives on the peer port). */
  async handleForwarded(path: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    const handler = this.routes.unary.get(path);
    const def = this.routes.methods.get(path);
    if (handler === undefined || def === undefined) throw new RosterError('UNIMPLEMENTED', `cannot forward ${path}`);
    const req = def.requestDeserialize(Buffer.from(payload));
    const ctx: CallContext = {
      deadline: deadline ?? deadlineIn(this.opts.backend.cfg.defaultRequestTimeoutMs),
      forwarded: true,
      // The server it came from checked the caller's token against this method's rule.
      authz: ALLOW_ALL,
      metadata: new grpc.Metadata(),
      responseMetadata: new grpc.Metadata(),
    };
    return def.responseSerialize(await handler(req, ctx));
  }

  /** Follows an open stream until it ends, so that a token deleted meanwhile ends it (recheckStreams). */
  private track(call: grpc.ServerDuplexStream<unknown, unknown>, rule: AccessRule): void {
    if (!this.opts.backend.access.enabled) return;
    const live: LiveStream = { secret: callerSecret(call.metadata), rule, end: (err) => call.emit('error', err) };
    this.liveStreams.add(live);
    const forget = (): void => void this.liveStreams.delete(live);
    for (const ev of ['cancelled', 'error', 'finish', 'close']) call.once(ev, forget);
  }

  /**
   * ACL state changed: every open stream's token is resolved again, and a stream whose token no
   * longer resolves (deleted, expired) or no longer passes its method's rule ends with
   * PERMISSION_DENIED, as Consul ends a blocking query whose token went away.
   */
  private recheckStreams(): void {
    const access = this.opts.backend.access;
    for (const live of [...this.liveStreams]) {
      access.authorize(live.secret).then(
        (authz) => enforce(live.rule, undefined, authz),
        (err: unknown) => {
          throw isRosterError(err) && err.code === 'ACL_NOT_FOUND' ? new RosterError('PERMISSION_DENIED', 'permission denied: the token this stream was opened with was deleted or has expired') : err;
        },
      ).catch((err: unknown) => {
        const e = toGrpcError(err);
        // Only a refusal ends the stream: a read that failed here says nothing about the token.
        if (e.code !== grpc.status.PERMISSION_DENIED) return this.opts.logger.warn('could not check an open stream\'s token again', { error: e.details });
        if (this.liveStreams.delete(live)) live.end(e);
      });
    }
  }

  /** The caller's authorizer: everything when ACLs are off, else its token's (no token: anonymous). */
  private async authorize(metadata: grpc.Metadata): Promise<Authorizer> {
    const access = this.opts.backend.access;
    await access.ready();
    if (!access.enabled) return ALLOW_ALL;
    try {
      return await access.authorize(callerSecret(metadata));
    } catch (err) {
      // etcd clients authenticate again on exactly this message (etcd's ErrInvalidAuthToken).
      if (isRosterError(err) && err.code === 'ACL_NOT_FOUND' && presentsEtcdToken(metadata)) throw new RosterError('ACL_NOT_FOUND', 'etcdserver: invalid auth token');
      throw err;
    }
  }

  private implement(path: string, streaming: boolean): grpc.UntypedHandleCall {
    const rule = this.routes.access.get(path)!;
    const duplex = this.routes.duplex.get(path);
    if (duplex !== undefined) {
      return ((call: grpc.ServerDuplexStream<unknown, unknown>) => {
        // Checked before the handler sees a message: grpc-js holds them until it reads.
        this.authorize(call.metadata)
          .then((authz) => {
            enforce(rule, undefined, authz);
            this.track(call, rule);
            duplex(call, authz);
          })
          .catch((err: unknown) => call.emit('error', toGrpcError(err)));
      }) as grpc.UntypedHandleCall;
    }
    const stream = this.routes.serverStream.get(path);
    if (stream !== undefined) {
      return ((call: grpc.ServerWritableStream<unknown, unknown>) => {
        void (async () => {
          try {
            const authz = await this.authorize(call.metadata);
            enforce(rule, call.request, authz);
            const ctx: CallContext = { deadline: deadlineIn(3_600_000), forwarded: false, authz, metadata: call.metadata, responseMetadata: new grpc.Metadata() };
            for await (const msg of stream(call.request, ctx)) {
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
    const handler = this.routes.unary.get(path);
    if (handler === undefined || streaming) {
      const unimplemented = grpcError(grpc.status.UNIMPLEMENTED, `roster: ${path} is not served by Roster`);
      if (streaming) return ((call: grpc.ServerDuplexStream<unknown, unknown>) => call.emit('error', unimplemented)) as grpc.UntypedHandleCall;
      return ((_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(unimplemented)) as grpc.UntypedHandleCall;
    }
    return ((call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const deadline = deadlineFromGrpc(call.getDeadline()) ?? deadlineIn(this.opts.backend.cfg.defaultRequestTimeoutMs);
      const began = performance.now();
      let ctx: CallContext | undefined;
      // Through an async function: a handler that throws before its first await (a request it
      // cannot convert) still answers with its status, not grpc-js's UNKNOWN.
      (async () => {
        const authz = await this.authorize(call.metadata);
        enforce(rule, call.request, authz);
        ctx = { deadline, forwarded: false, authz, metadata: call.metadata, responseMetadata: new grpc.Metadata() };
        return handler(call.request, ctx);
      })().then(
        (res) => {
          call.sendMetadata(ctx!.responseMetadata);
          cb(null, res);
          this.opts.onRequest?.(path, grpc.status.OK, performance.now() - began);
        },
        (err: unknown) => {
          if (isRosterError(err) && typeof err.details.limit === 'string') this.routes.refusedBy(err.details.limit);
          const e = toGrpcError(err);
          this.opts.onRequest?.(path, e.code, performance.now() - began);
          if (e.code === grpc.status.INTERNAL) this.opts.logger.error('request failed', { path, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          cb(e);
        },
      );
    }) as grpc.UntypedHandleCall;
  }
}
