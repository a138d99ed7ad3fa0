import * as grpc from '@grpc/grpc-js';
import { etcdProto } from '../../proto/etcd-proto.js';
import type { ServiceClientCtor } from '../../proto/grpc-service.js';
import { registryProto } from '../../proto/registry-proto.js';
import { operatorProto } from '../../proto/operator-proto.js';
import { aclProto } from '../../proto/acl-proto.js';
import { idempotencyOf, mayRetry, type Idempotency } from '../../client/retry-policy.js';
import { PLAINTEXT, type Dialer } from '../../client/dialer.js';
import { deadlineFromGrpc, deadlineIn, earlier, isPast, remainingMs, toGrpcDeadline, type Deadline } from '../../time/deadline.js';

/** Headers grpc-js sets itself; everything else an application sends goes to the server. */
const OWN_HEADERS = new Set(['content-type', 'te', 'user-agent', 'host', 'accept-encoding', 'grpc-accept-encoding', 'grpc-encoding', 'grpc-timeout']);

/** How long to wait for a connection to a server before moving to the next (nothing was sent). */
const CONNECT_MS = 1000;
/** A unary call the application gave no deadline. */
const DEFAULT_DEADLINE_MS = 30_000;

const raw = (b: Buffer): Buffer => b;

/**
 * Forwards the servers' client APIs (etcd KV, Lease, Watch, Maintenance, Cluster and Auth;
 * Roster's Catalog, Health, Sessions, Locks, Txn, Watch, Operator and Acl) from the agent's local port to a server, as Consul's agents do: applications
 * talk only to their own host. Messages pass through as bytes, with their metadata both ways.
 *
 * The server comes from gossip; the one that last answered is kept. A call moves to another
 * server when the current one cannot be reached (no connection within a second: nothing was
 * sent, so even a write cannot be applied twice). Once a write has gone out, its failure is the
 * application's answer, as the server or the broken connection gave it (the write may or may not
 * have been applied: the application decides), unless the server refused it as not the leader;
 * only methods the protos declare harmless to repeat (reads, idempotent updates) are tried again
 * elsewhere after an ambiguous failure (src/client/retry-policy.ts).
 * Streams (watches, lease keep-alives) are forwarded as they are; when one breaks, the
 * application resumes it (from its last revision) and gets another server.
 */
export class ServerForwarder {
  private readonly clients = new Map<string, grpc.Client>();
  private preferred = '';

  constructor(
    private readonly servers: () => readonly string[],
    private readonly dial: Dialer = PLAINTEXT,
  ) {}

  /** Adds every forwarded service to the agent's gRPC server. */
  addTo(server: grpc.Server): void {
    const etcd = etcdProto().etcdserverpb;
    const registry = registryProto().roster.registry.v1;
    // Every client-facing service of the servers, so any command or client pointed at the agent
    // works as it would against a server (the server checks the caller's token, as ever).
    const services: readonly ServiceClientCtor[] = [etcd.KV, etcd.Lease, etcd.Watch, etcd.Maintenance, etcd.Cluster, etcd.Auth, registry.Catalog, registry.Health, registry.Sessions, registry.Locks, registry.Txn, registry.Watch, operatorProto().roster.operator.v1.Operator, aclProto().roster.acl.v1.Acl];
    for (const { service } of services) {
      const passThrough: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
      const handlers: grpc.UntypedServiceImplementation = {};
      for (const [name, m] of Object.entries(service)) {
        passThrough[name] = { ...m, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw };
        handlers[name] = this.handlerFor(m);
      }
      server.addService(passThrough, handlers);
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private handlerFor(m: grpc.MethodDefinition<unknown, unknown>): grpc.UntypedHandleCall {
    // Never an unhandled rejection (a channel closed under a call throws synchronously).
    const failed = (emit: (e: grpc.ServiceError) => void) => (err: unknown) => emit(unavailable(`forwarding failed: ${err instanceof Error ? err.message : String(err)}`));
    if (!m.requestStream && !m.responseStream) return (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => void this.unary(m.path, idempotencyOf(m), call, cb).catch(failed((e) => cb(e)));
    return (call: ForwardedStream) => void this.stream(m, call).catch(failed((e) => call.emit('error', e)));
  }

  /** Servers in the order to try: the one that last answered first. */
  private candidates(): string[] {
    const all = [...this.servers()];
    const i = all.indexOf(this.preferred);
    if (i > 0) all.unshift(...all.splice(i, 1));
    for (const [addr, c] of this.clients) {
      if (all.includes(addr)) continue;
      c.close();
      this.clients.delete(addr);
    }
    return all;
  }

  private client(addr: string): grpc.Client {
    let c = this.clients.get(addr);
    if (c === undefined) {
      // A short reconnect back-off: after an outage the agent finds the servers within seconds.
      const d = this.dial(addr);
      c = new grpc.Client(addr, d.credentials, { ...d.options, 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5000, 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 2000, 'grpc.max_receive_message_length': -1 });
      this.clients.set(addr, c);
    }
    return c;
  }

  /**
   * A connection to the first server that takes one before the deadline; undefined if none. A
   * server refusing connections is passed over at once; if every one does, each gets a second,
   * patient try (servers coming back from an outage are still in their reconnect back-off).
   */
  private async connect(tried: Set<string>, deadline: Deadline): Promise<{ addr: string; client: grpc.Client } | undefined> {
    const refused: string[] = [];
    for (const addr of this.candidates()) {
      if (tried.has(addr)) continue;
      const client = this.client(addr);
      const r = await connected(client.getChannel(), earlier(deadline, deadlineIn(CONNECT_MS)), false);
      if (r === 'ready') {
        tried.add(addr);
        return { addr, client };
      }
      if (r === 'refused') refused.push(addr);
      else tried.add(addr);
    }
    for (const addr of refused) {
      tried.add(addr);
      const client = this.client(addr);
      if ((await connected(client.getChannel(), earlier(deadline, deadlineIn(CONNECT_MS)), true)) === 'ready') return { addr, client };
    }
    return undefined;
  }

  private async unary(path: string, idempotency: Idempotency, call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>): Promise<void> {
    const deadline = deadlineFromGrpc(call.getDeadline()) ?? deadlineIn(DEFAULT_DEADLINE_MS);
    // Only a method harmless to run twice is sent again after a failure that leaves its outcome unknown.
    const repeatable = idempotency !== 'IDEMPOTENCY_UNKNOWN';
    const tried = new Set<string>();
    let last: grpc.ServiceError | undefined;
    let upstream: grpc.ClientUnaryCall | undefined;
    let cancelled = false;
    call.once('cancelled', () => {
      cancelled = true;
      upstream?.cancel();
    });
    for (;;) {
      const target = await this.connect(tried, deadline);
      // The application gave up while the agent looked for a server: send nothing.
      if (cancelled) return;
      if (target === undefined) {
        cb(last ?? unavailable(tried.size === 0 ? 'no server known from gossip yet' : `no server reachable (tried ${[...tried].join(', ')})`));
        return;
      }
      // A repeatable call gets part of the time, so a server that takes connections but never
      // answers leaves the rest for another; a write gets all of it (it will not be sent again).
      const attemptDeadline = repeatable ? earlier(deadline, deadlineIn(Math.max(1000, remainingMs(deadline) / 2))) : deadline;
      const result = await new Promise<{ err: grpc.ServiceError | null; res?: Buffer; md?: grpc.Metadata }>((resolve) => {
        let md: grpc.Metadata | undefined;
        upstream = target.client.makeUnaryRequest(path, raw, raw, call.request, forwardedMetadata(call.metadata), { deadline: toGrpcDeadline(attemptDeadline) }, (err, res) => resolve({ err, ...(res === undefined ? {} : { res }), ...(md === undefined ? {} : { md }) }));
        upstream.on('metadata', (m: grpc.Metadata) => (md = m));
      });
      upstream = undefined;
      if (result.err === null) {
        this.preferred = target.addr;
        if (result.md !== undefined) call.sendMetadata(withoutTransportHeaders(result.md));
        cb(null, result.res);
        return;
      }
      last = result.err;
      // A write that reached a server may have been applied: it goes to a second one only if
      // the first refused it unexecuted (not the leader).
      if (!mayRetry(idempotency, result.err) || isPast(deadline) || cancelled) {
        cb(result.err);
        return;
      }
    }
  }

  /**
   * A stream passes through both ways. The application's end of the stream closes only after
   * every message the server sent has been written to it (a slow reader gets them all, then the
   * status); an application that goes away cancels the server's side.
   */
  private async stream(m: grpc.MethodDefinition<unknown, unknown>, call: ForwardedStream): Promise<void> {
    const deadline = deadlineFromGrpc(call.getDeadline());
    const target = await this.connect(new Set(), deadline ?? deadlineIn(10_000));
    if (call.cancelled) return;
    if (target === undefined) {
      call.emit('error', unavailable('no server reachable for the stream'));
      return;
    }
    this.preferred = target.addr;
    const md = forwardedMetadata(call.metadata);
    const opts: grpc.CallOptions = deadline === undefined ? {} : { deadline: toGrpcDeadline(deadline) };
    // Every forwarded streaming method streams its responses (etcd Watch and LeaseKeepAlive,
    // the registry's Watch); only Watch-like shapes are served.
    let up: grpc.ClientDuplexStream<Buffer, Buffer> | grpc.ClientReadableStream<Buffer>;
    if (streamsResponsesOnly(m, call)) {
      up = target.client.makeServerStreamRequest(m.path, raw, raw, call.request, md, opts);
    } else {
      const w = target.client.makeBidiStreamRequest(m.path, raw, raw, md, opts);
      call.on('data', (d: Buffer) => {
        if (!w.write(d)) {
          call.pause();
          w.once('drain', () => call.resume());
        }
      });
      call.on('end', () => w.end());
      up = w;
    }
    call.on('cancelled', () => up.cancel());
    up.on('metadata', (h: grpc.Metadata) => call.sendMetadata(withoutTransportHeaders(h)));
    // A slow application slows the upstream stream instead of filling the agent's memory.
    up.on('data', (d: Buffer) => {
      if (!call.write(d)) {
        up.pause();
        call.once('drain', () => up.resume());
      }
    });
    let failure: grpc.ServiceError | undefined;
    let status: grpc.StatusObject | undefined;
    up.on('error', (err: grpc.ServiceError) => (failure = err));
    up.on('status', (st: grpc.StatusObject) => (status = st));
    // 'end' comes after every buffered message has been read (and so written on): then the status.
    // 'close' covers a stream destroyed without an end.
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (failure !== undefined) call.emit('error', failure);
      else call.end(status?.metadata);
    };
    up.on('end', finish);
    up.on('close', finish);
  }
}

/** A forwarded stream: both ways (etcd Watch and LeaseKeepAlive, the registry's Watch), or responses only. */
type ForwardedStream = grpc.ServerDuplexStream<Buffer, Buffer> | grpc.ServerWritableStream<Buffer, Buffer>;

/** A method that streams only responses was called with one request, which the call holds. */
function streamsResponsesOnly(m: grpc.MethodDefinition<unknown, unknown>, _call: ForwardedStream): _call is grpc.ServerWritableStream<Buffer, Buffer> {
  return !m.requestStream;
}

/**
 * Whether the channel connects before the deadline. Impatient, a channel in failure answers
 * 'refused' at once; patient, it is watched (and asked to reconnect) until the deadline.
 */
function connected(channel: ReturnType<grpc.Client['getChannel']>, deadline: Deadline, patient: boolean): Promise<'ready' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const check = (): void => {
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY) return resolve('ready');
      if (state === grpc.connectivityState.SHUTDOWN || (!patient && state === grpc.connectivityState.TRANSIENT_FAILURE)) return resolve('refused');
      channel.watchConnectivityState(state, toGrpcDeadline(deadline), (err) => (err ? resolve('timeout') : check()));
    };
    check();
  });
}

/** The application's metadata for the server (every value of every key), minus what grpc-js sets. */
function forwardedMetadata(incoming: grpc.Metadata): grpc.Metadata {
  return withoutTransportHeaders(incoming);
}

function withoutTransportHeaders(md: grpc.Metadata): grpc.Metadata {
  const out = md.clone();
  for (const k of Object.keys(out.getMap())) if (OWN_HEADERS.has(k) || k.startsWith(':') || k === 'date') out.remove(k);
  return out;
}

function unavailable(message: string): grpc.ServiceError {
  return Object.assign(new Error(message), { code: grpc.status.UNAVAILABLE, details: message, metadata: new grpc.Metadata() });
}
