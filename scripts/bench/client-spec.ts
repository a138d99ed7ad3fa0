/**
 * How to reach one system under test with the etcd3 client, as plain data: the main thread and
 * every load worker (load-worker.ts) build their clients from the same spec, so a worker's
 * calls carry the same TLS credentials and ACL token as the main thread's.
 */
import type { Interceptor } from '@grpc/grpc-js';
import { Etcd3, type IOptions } from 'etcd3';
import { tokenInterceptor } from '../../src/client/token-dialer.js';

/** What a client presents to a Roster cluster with TLS: the CA, and the CLI's certificate and key. */
export interface ClientTls {
  readonly ca: Uint8Array;
  readonly cert: Uint8Array;
  readonly key: Uint8Array;
}

export interface ClientSpec {
  readonly tls?: ClientTls;
  /** An ACL token sent with every call (Roster with ACLs). */
  readonly token?: string;
}

export function etcdClient(spec: ClientSpec, hosts: readonly string[], options: Partial<IOptions> = {}): Etcd3 {
  // Every Roster server's certificate names server.dc1.roster: checked by that name rather
  // than the IP dialed (an IP as the TLS server name is deprecated in Node).
  const secure: Partial<IOptions> =
    spec.tls === undefined
      ? {}
      : { credentials: { rootCertificate: Buffer.from(spec.tls.ca), privateKey: Buffer.from(spec.tls.key), certChain: Buffer.from(spec.tls.cert) }, grpcOptions: { 'grpc.ssl_target_name_override': 'server.dc1.roster' } };
  const interceptors: Interceptor[] = spec.token === undefined ? [] : [tokenInterceptor(spec.token)];
  return new Etcd3({ hosts: [...hosts], ...secure, ...options, grpcOptions: { ...secure.grpcOptions, ...options.grpcOptions, ...(interceptors.length > 0 ? { interceptors } : {}) } });
}
