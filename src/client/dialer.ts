import * as grpc from '@grpc/grpc-js';
import { dialCredentials } from '../tls/tls-dial.js';
import { TlsSource } from '../tls/tls-source.js';
import { TLS_DEFAULTS } from '../tls/tls-settings.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { hostOf } from '../util/host-port.js';

/** How a channel to one address is made: its credentials and the options they need. */
export type Dialer = (address: string) => { readonly credentials: grpc.ChannelCredentials; readonly options: grpc.ChannelOptions };

/** Plain gRPC: servers without TLS (a dev agent). */
export const PLAINTEXT: Dialer = () => ({ credentials: grpc.credentials.createInsecure(), options: {} });

/**
 * TLS as the SDK, the CLI and an agent dial servers: the CA to trust and, for servers that
 * verify clients (verify_incoming), a certificate and key; files or PEM text.
 */
export interface ClientTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** PEM text instead of files. */
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /**
   * The name the server's certificate must carry (server.dc1.roster: verify_server_hostname);
   * without it, the host dialed.
   */
  readonly serverName?: string;
}

/**
 * A dialer for `t`, its files read and checked now (an unreadable one fails here, named). The
 * server is checked by `check.serverName` (or the client's own), by the CA alone with
 * `check.caOnly`, else by the host dialed.
 */
export function tlsDialer(t: ClientTls | TlsSource, check: { readonly serverName?: string; readonly caOnly?: boolean } = {}): Dialer {
  const source = t instanceof TlsSource ? t : sourceOf(t);
  const name = t instanceof TlsSource ? check.serverName : (t.serverName ?? check.serverName);
  return (address) => dialCredentials({ source, ...(name === undefined ? {} : { serverName: name }), ...(check.caOnly === true ? { caOnly: true } : {}) }, hostOf(address));
}

function sourceOf(t: ClientTls): TlsSource {
  const settings = { ...TLS_DEFAULTS, datacenter: 'dc1', ...(t.caFile === undefined ? {} : { caFile: t.caFile }), ...(t.certFile === undefined ? {} : { certFile: t.certFile }), ...(t.keyFile === undefined ? {} : { keyFile: t.keyFile }) };
  if (t.ca === undefined) return new TlsSource(settings);
  const material: TlsMaterial = { ca: Buffer.from(t.ca), ...(t.cert === undefined ? {} : { cert: Buffer.from(t.cert) }), ...(t.key === undefined ? {} : { key: Buffer.from(t.key) }) };
  return new TlsSource(settings, material);
}
