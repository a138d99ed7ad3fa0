import { RosterError } from '../util/errors.js';

/** The lowest TLS version a listener or dialer accepts. */
export type TlsMinVersion = 'TLSv1.2' | 'TLSv1.3';

/**
 * TLS as an agent is configured: Consul's settings and names (ca_file, cert_file, key_file,
 * verify_incoming, verify_outgoing, verify_server_hostname, tls_min_version). `undefined` files
 * mean TLS is off.
 */
export interface TlsSettings {
  readonly caFile?: string;
  /** A folder of PEM files, every one a trusted CA (with or instead of caFile). */
  readonly caPath?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Require a client certificate from the CA on every TLS listener (the gRPC APIs and HTTPS). */
  readonly verifyIncoming: boolean;
  /** ... on the gRPC listeners only (the client API, the agent API). */
  readonly verifyIncomingRpc: boolean;
  /** ... on the HTTP listener only (/metrics, /health). */
  readonly verifyIncomingHttps: boolean;
  /** Dial servers' client ports over TLS, checking their certificate against the CA. */
  readonly verifyOutgoing: boolean;
  /** Also require the server's certificate to name `server.<datacenter>.<domain>`. */
  readonly verifyServerHostname: boolean;
  readonly minVersion: TlsMinVersion;
  readonly datacenter: string;
  readonly domain: string;
}

export const TLS_DEFAULTS = { verifyIncoming: false, verifyIncomingRpc: false, verifyIncomingHttps: false, verifyOutgoing: false, verifyServerHostname: false, minVersion: 'TLSv1.2', domain: 'roster' } as const;

/** Whether TLS is configured at all: a certificate, its key and a CA to check peers with. */
export function tlsEnabled(s: TlsSettings): boolean {
  return s.certFile !== undefined || s.keyFile !== undefined || s.caFile !== undefined || s.caPath !== undefined;
}

/**
 * Settings that cannot work together are refused before anything listens: half a key pair, no
 * CA to verify with, or verification asked for without TLS.
 */
export function checkTlsSettings(s: TlsSettings): void {
  const bad = (why: string): never => {
    throw new RosterError('INVALID_CONFIG', `TLS: ${why}`);
  };
  if ((s.certFile === undefined) !== (s.keyFile === undefined)) bad('cert_file and key_file go together: give both or neither');
  const hasCa = s.caFile !== undefined || s.caPath !== undefined;
  if (s.certFile !== undefined && !hasCa) bad('cert_file needs ca_file or ca_path: the CA that peers\' certificates must come from');
  const verifying = s.verifyIncoming || s.verifyIncomingRpc || s.verifyIncomingHttps || s.verifyOutgoing || s.verifyServerHostname;
  if (verifying && !hasCa) bad('verify_incoming, verify_outgoing and verify_server_hostname need ca_file or ca_path');
  if ((s.verifyIncoming || s.verifyIncomingRpc || s.verifyIncomingHttps) && s.certFile === undefined) bad('verify_incoming needs cert_file and key_file: a listener serves TLS with them');
}

/** tls_min_version as Consul spells it (TLSv1_2, TLSv1_3; the older tls12, tls13 too). */
export function tlsMinVersionOf(text: string): TlsMinVersion {
  switch (text.toLowerCase().replace(/[._]/g, '')) {
    case 'tlsv12':
    case 'tls12':
      return 'TLSv1.2';
    case 'tlsv13':
    case 'tls13':
      return 'TLSv1.3';
    default:
      throw new RosterError('INVALID_CONFIG', `tls_min_version: "${text}" is not TLSv1_2 or TLSv1_3 (older versions are not offered)`);
  }
}
