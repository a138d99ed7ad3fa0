import { listenWithLifecycle } from './listener-lifecycle.js';
import * as grpc from '@grpc/grpc-js';
import type * as http from 'node:http';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { Logger } from '../util/logger.js';
import { guardTlsServer, refuseUnwanted, tlsServerOptions, type GrpcListener, type ListenerTls } from './tls-listener.js';

/** Every HTTP/2 connection starts with this preface; no HTTP/1.x request starts with "PRI ". */
const H2_PREFACE_START = Buffer.from('PRI * HTTP/2.0');

/** How long a new connection may stay silent before it says which protocol it speaks. */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

/**
 * One port for gRPC (HTTP/2) and an HTTP/1.1 server, as Consul serves its HTTP API where
 * applications already point (the agent's :8500) while Roster's own clients speak gRPC there:
 * plaintext connections are told apart by their first bytes (HTTP/2's preface), TLS ones by
 * ALPN (h2 or http/1.1). Either way the connection is handed whole to the server it belongs to;
 * grpc-js takes it through a connection injector.
 */
export async function listenGrpcAndHttp(server: grpc.Server, httpServer: http.Server, listen: string, t: ListenerTls | undefined, logger: Logger): Promise<GrpcListener & { readonly port: number }> {
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const toHttp = (socket: net.Socket): void => {
    httpServer.emit('connection', socket);
  };
  let listener: net.Server;
  let unfollow = (): void => undefined;
  if (t === undefined) {
    listener = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
      socket.once('data', (first: Buffer) => {
        socket.setTimeout(0);
        if (startsLikeHttp2(first)) {
          // HTTP/2 reads a socket's native handle, past bytes already read in JS: it gets a
          // stream that starts with them instead.
          injector.injectConnection(new Replayed(socket, first));
          return;
        }
        // The HTTP/1 parser reads what the socket holds buffered first.
        socket.pause();
        socket.unshift(first);
        toHttp(socket);
        socket.resume();
      });
    });
  } else {
    const secure = tls.createServer({ ...tlsServerOptions(t), ALPNProtocols: ['h2', 'http/1.1'] });
    unfollow = guardTlsServer(secure, t);
    secure.on('secureConnection', (socket: tls.TLSSocket) => {
      if (refuseUnwanted(socket, t)) return;
      socket.on('error', () => undefined);
      if (socket.alpnProtocol === 'h2') injector.injectConnection(socket);
      else toHttp(socket);
    });
    listener = secure;
  }
  return listenWithLifecycle(listener, listen, {
    unfollow,
    closeOpen: () => {
      injector.destroy();
      httpServer.closeAllConnections();
    },
    logError: (err) => logger.error('api listener error', { error: err.message }),
  });
}

/** A socket as a stream whose reading starts with `first` (read from it already), then the rest. */
class Replayed extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;

  constructor(
    private readonly socket: net.Socket,
    first: Buffer,
  ) {
    super();
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    this.localAddress = socket.localAddress;
    this.localPort = socket.localPort;
    this.push(first);
    socket.on('data', (d: Buffer) => {
      if (!this.push(d)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end(cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }

  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }
}

/** Whether the first bytes of a connection are (the start of) HTTP/2's preface. */
export function startsLikeHttp2(first: Buffer): boolean {
  const n = Math.min(first.length, H2_PREFACE_START.length);
  return n >= 3 && first.subarray(0, n).equals(H2_PREFACE_START.subarray(0, n));
}
