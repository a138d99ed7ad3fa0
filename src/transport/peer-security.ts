import * as grpc from '@grpc/grpc-js';
import { connect, type PeerCertificate } from 'node:tls';
import { dnsNamesOf, serverNodeName, serverNodesOf } from '../tls/peer-certificate.js';
import { dialCredentials } from '../tls/tls-dial.js';
import type { ListenerTls } from '../tls/tls-listener.js';
import type { TlsSource } from '../tls/tls-source.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { hostOf, splitHostPort } from '../util/host-port.js';
import { PEER_CHANNEL_OPTIONS } from './peer-channel.js';

/**
 * How servers know each other on the peer port:
 * - `tls`: mutual TLS with certificates of the cluster's CA, and a Raft sender is the server its
 *   certificate names (`<node>.server.<dc>.<domain>`), whatever its messages claim;
 * - `insecure` (`--insecure-peers`, dev only): no TLS, a sender is the name it claims;
 * - `refuse`: no TLS and no such flag: every peer call is refused, so a forgotten setting can
 *   never leave a cluster open to anyone who reaches the port.
 */
export type PeerSecurity =
  | { readonly mode: 'tls'; readonly source: TlsSource; readonly datacenter: string; readonly domain: string }
  | { readonly mode: 'insecure' }
  | { readonly mode: 'refuse' };

/** What grpc-js tells of a call's TLS peer. */
export interface PeerAuth {
  readonly sslPeerCertificate?: PeerCertificate;
}

/** The servers a call's certificate names (empty without one). */
export function certifiedServers(sec: Extract<PeerSecurity, { mode: 'tls' }>, call: { getAuthContext?(): PeerAuth }): string[] {
  const cert = call.getAuthContext?.().sslPeerCertificate;
  return serverNodesOf(dnsNamesOf(cert?.subjectaltname), sec.datacenter, sec.domain);
}

/** Why a peer call is refused before its sender is even considered, or undefined. */
export function peerRefusal(sec: PeerSecurity, call: { getAuthContext?(): PeerAuth }, from: NodeId): { refused: string; reason: 'no_tls' | 'sender_not_certified' } | undefined {
  if (sec.mode === 'insecure') return undefined;
  if (sec.mode === 'refuse') return { refused: `a call claiming to be from ${from}: this server has no TLS, so it cannot tell who calls (configure ca_file, cert_file and key_file, or --insecure-peers for a dev cluster)`, reason: 'no_tls' };
  const named = certifiedServers(sec, call);
  // Exact: names are lower case under TLS (server-tls.ts), so N1 never passes as n1.
  if (named.includes(from)) return undefined;
  return { refused: `a call claiming to be from ${from} with the certificate of ${named.length === 0 ? 'no server' : named.join(', ')}`, reason: 'sender_not_certified' };
}

/** The peer port's TLS: a certificate from the CA always, and only a server's. */
export function peerListenerTls(sec: PeerSecurity, logger: Logger): ListenerTls | undefined {
  if (sec.mode !== 'tls') return undefined;
  const admit = (peer: PeerCertificate): string | undefined =>
    serverNodesOf(dnsNamesOf(peer.subjectaltname), sec.datacenter, sec.domain).length > 0 ? undefined : `a certificate naming ${peer.subjectaltname ?? 'nothing'} is not a server's of ${sec.datacenter}.${sec.domain} (the peer port takes servers only)`;
  return { source: sec.source, requireClientCertificate: true, name: 'peer', admit, logger };
}

/** A channel to the peer `id` at `address`: with TLS, only a server whose certificate names `id` is accepted. */
export function peerChannel(sec: PeerSecurity, id: NodeId, address: string): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if (sec.mode !== 'tls') return { credentials: grpc.credentials.createInsecure(), options: PEER_CHANNEL_OPTIONS };
  const d = dialCredentials({ source: sec.source, serverName: serverNodeName(id, sec.datacenter, sec.domain) }, hostOf(address));
  return { credentials: d.credentials, options: { ...PEER_CHANNEL_OPTIONS, ...d.options } };
}

/**
 * Whether the server `id` really runs at `address`: with TLS, a handshake there must show a
 * certificate of the CA naming it (and accept ours). Gossip news alone (which anyone may forge
 * without the gossip key) is not enough to make a server a member. The reason when it is not.
 */
export function proveServer(sec: PeerSecurity, id: string, address: string, timeoutMs = 3000): Promise<string | undefined> {
  if (sec.mode === 'insecure') return Promise.resolve(undefined);
  if (sec.mode === 'refuse') return Promise.resolve('this server has no TLS and no --insecure-peers: it takes no peers');
  const want = serverNodeName(id, sec.datacenter, sec.domain);
  const { host, port } = splitHostPort(address);
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...sec.source.secureContextOptions(),
      servername: want,
      ALPNProtocols: ['h2'],
      checkServerIdentity: (_name, cert) => (dnsNamesOf(cert.subjectaltname).includes(want) ? undefined : new Error(`its certificate names ${cert.subjectaltname ?? 'nothing'}, not ${want}`)),
    });
    const done = (why: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no TLS handshake with ${address} within ${timeoutMs} ms`), timeoutMs);
    socket.once('secureConnect', () => done(undefined));
    socket.once('error', (err: Error) => done(`${address} did not prove to be ${want}: ${err.message}`));
  });
}
