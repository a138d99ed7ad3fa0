import * as grpc from '@grpc/grpc-js';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { dnsNamesOf } from './peer-certificate.js';
import type { TlsSource } from './tls-source.js';

/** How a dialer checks the server it reaches. */
export interface DialTls {
  readonly source: TlsSource;
  /**
   * A DNS name the server's certificate must carry: `server.dc1.roster` (verify_server_hostname),
   * `n2.server.dc1.roster` for one Raft peer. Without it the certificate must name the host
   * dialed, as any TLS client checks.
   */
  readonly serverName?: string;
  /**
   * Check the certificate against the CA only, not a name (an agent dialing servers without
   * verify_server_hostname, as Consul's verify_outgoing alone does).
   */
  readonly caOnly?: boolean;
}

/**
 * Where a TLS connection's SNI names a dialed IP: TLS forbids an IP there (Node warns), and
 * this name is never checked — the certificate is checked against the real host below.
 */
const SNI_FOR_IP = 'roster-server.invalid';

/**
 * Credentials and channel options for dialing `host` over TLS: the CA and this member's
 * certificate come from `d.source` at each new connection, so a reload (SIGHUP) is taken without
 * closing channels already up.
 */
export function dialCredentials(d: DialTls, host: string): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  const want = d.serverName?.toLowerCase();
  const check = (_servername: string, cert: PeerCertificate): Error | undefined => {
    if (want === undefined) return d.caOnly === true ? undefined : checkServerIdentity(host, cert);
    if (dnsNamesOf(cert.subjectaltname).includes(want)) return undefined;
    return new Error(`the certificate of ${host} does not name ${want} (it names ${cert.subjectaltname ?? 'nothing'}): not the server expected`);
  };
  const identity = d.source.material.cert === undefined ? null : d.source;
  const credentials = grpc.experimental.createCertificateProviderChannelCredentials(d.source, identity, { checkServerIdentity: check });
  const sni = want ?? (isIP(host) === 0 ? host : SNI_FOR_IP);
  return { credentials, options: { 'grpc.ssl_target_name_override': sni } };
}
