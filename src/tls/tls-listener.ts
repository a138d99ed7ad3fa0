import { listenWithLifecycle } from './listener-lifecycle.js';
import * as grpc from '@grpc/grpc-js';
import type { Server as HttpsServer } from 'node:https';
import * as tls from 'node:tls';
import { noteDropped } from '../util/dropped.js';
import type { Logger } from '../util/logger.js';
import type { TlsSource } from './tls-source.js';

/** How one listener serves TLS. */
export interface ListenerTls {
  readonly source: TlsSource;
  /** Refuse a client without a certificate from the CA (verify_incoming; always on the peer port). */
  readonly requireClientCertificate: boolean;
  /** Its name in the log and in roster_dropped_total{site="tls_<name>"}: peer, client, agent, http. */
  readonly name: string;
  /**
   * Refuses a connection whose certificate the CA did issue but that is not wanted here (a client
   * certificate on the peer port): the reason, or undefined to admit it.
   */
  readonly admit?: (peer: tls.PeerCertificate) => string | undefined;
  readonly logger: Logger;
}

/**
 * A listener serving gRPC. A stop calls `stopAccepting()` before shutting the gRPC server down
 * (so no connection arrives meanwhile: grpc-js would serve it), then `close()` once it is down.
 */
export interface GrpcListener {
  stopAccepting(): void;
  close(): void;
}

/**
 * The options of a Node TLS server for `t`, now. A client certificate is asked for but checked
 * by `refusalOf` once the handshake is done, not by OpenSSL mid-handshake: that way the reason
 * (none given, another CA's, expired) is known and counted, and the connection still goes
 * nowhere before the check.
 */
export function tlsServerOptions(t: ListenerTls): tls.TlsOptions {
  return { ...t.source.secureContextOptions(), requestCert: t.requireClientCertificate, rejectUnauthorized: false };
}

/** Why a connection whose handshake completed is refused, or undefined to admit it. */
function refusalOf(socket: tls.TLSSocket, t: ListenerTls): { reason: string; why: string } | undefined {
  if (t.requireClientCertificate && !socket.authorized) {
    const peer = socket.getPeerCertificate();
    if (peer === null || Object.keys(peer).length === 0) return { reason: 'no_client_certificate', why: 'no client certificate (this listener requires one from the CA)' };
    return { reason: 'untrusted_certificate', why: `the client certificate ${String(peer.subject?.CN ?? '?')} is not trusted (${String(socket.authorizationError)})` };
  }
  const refused = t.admit?.(socket.getPeerCertificate());
  return refused === undefined ? undefined : { reason: 'wrong_certificate', why: refused };
}

/**
 * Ends a connection `refusalOf` refuses, counted and logged, before anything reads from it;
 * true when it did.
 */
export function refuseUnwanted(socket: tls.TLSSocket, t: ListenerTls): boolean {
  const r = refusalOf(socket, t);
  if (r === undefined) return false;
  noteDropped(t.logger, `tls_${t.name}`, r.reason, `refused a connection: ${r.why}`, { from: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}` });
  socket.destroy();
  return true;
}

/**
 * Counts and logs every refused handshake by why (plaintext, no certificate, one from another CA,
 * an old TLS version), and takes reloaded certificates for new connections.
 */
export function guardTlsServer(server: tls.Server | HttpsServer, t: ListenerTls): () => void {
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) => {
    noteDropped(t.logger, `tls_${t.name}`, handshakeFailure(err), `refused a connection: ${err.message.split('\n')[0]!.trim()}`, { from: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}` });
  });
  return t.source.onChange(() => server.setSecureContext(tlsServerOptions(t)));
}

/**
 * Serves `server` on `listen`: plain gRPC without `t`; with it, a TLS listener of our own whose
 * connections go to the gRPC server only once the handshake (and `admit`) accepted them, so a
 * refusal is counted and logged here, and certificates reload without a restart.
 */
export async function listenGrpc(server: grpc.Server, listen: string, t: ListenerTls | undefined): Promise<GrpcListener> {
  if (t === undefined) {
    await new Promise<void>((resolve, reject) => server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
    // grpc-js owns this listener and closes it first when shut down.
    return { stopAccepting: () => undefined, close: () => undefined };
  }
  // The TLS is ours: grpc-js gets the decrypted connection (and still sees its certificate).
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const secure = tls.createServer({ ...tlsServerOptions(t), ALPNProtocols: ['h2'] });
  const unfollow = guardTlsServer(secure, t);
  secure.on('secureConnection', (socket: tls.TLSSocket) => {
    if (refuseUnwanted(socket, t)) return;
    socket.on('error', () => undefined);
    injector.injectConnection(socket);
  });
  const { stopAccepting, close } = await listenWithLifecycle(secure, listen, {
    unfollow,
    closeOpen: () => injector.destroy(),
    logError: (err) => t.logger.error(`tls_${t.name}: listener error`, { error: err.message }),
  });
  return { stopAccepting, close };
}

/** The `reason` label of a refused handshake. */
function handshakeFailure(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  const text = err.message.toLowerCase();
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_HTTP_REQUEST' || text.includes('wrong version number') || text.includes('http request')) return 'plaintext';
  if (code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE' || text.includes('did not return a certificate')) return 'no_client_certificate';
  if (text.includes('unsupported protocol') || text.includes('version too low')) return 'old_tls_version';
  if (text.includes('certificate') || text.includes('unknown ca')) return 'untrusted_certificate';
  return 'handshake';
}
