import type { FlagSpec, FlagValues } from '../flags/flags.js';
import { TLS_DEFAULTS, checkTlsSettings, tlsEnabled, tlsMinVersionOf, type TlsSettings } from '../tls/tls-settings.js';
import { TlsSource } from '../tls/tls-source.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { checkNamePart } from '../tls/subject-alt-names.js';
import { RosterError, isRosterError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { ListenerTls } from '../tls/tls-listener.js';
import { PLAINTEXT, tlsDialer, type Dialer } from '../client/dialer.js';

/** The TLS settings of `roster agent` (servers and client agents), named as Consul names them. */
export const TLS_FLAGS: FlagSpec = {
  'ca-file': { kind: 'string', help: 'PEM file of the CA every member\'s certificate comes from (TLS is on once a CA and a certificate are given)' },
  'ca-path': { kind: 'string', help: 'a folder of PEM CA certificates, with or instead of --ca-file' },
  'cert-file': { kind: 'string', help: "this member's certificate (PEM; roster tls cert create): a server's must name NAME.server.DC.DOMAIN (--node)" },
  'key-file': { kind: 'string', help: "this member's private key (PEM)" },
  'verify-incoming': { kind: 'bool', help: 'require a client certificate from the CA on every listener (the gRPC APIs and HTTPS); the peer port always does' },
  'verify-incoming-rpc': { kind: 'bool', help: 'require one on the gRPC listeners only (client API, agent API)' },
  'verify-incoming-https': { kind: 'bool', help: 'require one on the HTTP listener only (/metrics, /health)' },
  'verify-outgoing': { kind: 'bool', help: "an agent dials servers over TLS, checking their certificate against the CA (servers always dial each other so)" },
  'verify-server-hostname': { kind: 'bool', help: "also require a server's certificate to name server.DC.DOMAIN, so a client certificate cannot pose as a server" },
  'tls-min-version': { kind: 'string', help: 'TLSv1_2 (default) or TLSv1_3' },
  domain: { kind: 'string', help: 'the domain in members\' certificate names (server.DC.DOMAIN; default roster)' },
  'insecure-peers': { kind: 'bool', help: 'dev only: run a server without TLS and accept Raft peers by the name they claim (from the address the name is known at); the log and /health say so' },
};

/** TLS settings from the flags (off when none of the files is given), checked for consistency. */
export function tlsSettingsFrom(f: FlagValues, datacenter: string): TlsSettings {
  const text = (k: string): string | undefined => (f[k] === undefined ? undefined : String(f[k]));
  const domain = text('domain') ?? TLS_DEFAULTS.domain;
  try {
    checkNamePart(domain, 'domain');
  } catch (err) {
    throw new RosterError('INVALID_CONFIG', isRosterError(err) ? err.message : String(err), { field: 'domain' });
  }
  const s: TlsSettings = {
    ...optional('caFile', text('ca-file')),
    ...optional('caPath', text('ca-path')),
    ...optional('certFile', text('cert-file')),
    ...optional('keyFile', text('key-file')),
    verifyIncoming: f['verify-incoming'] === true,
    verifyIncomingRpc: f['verify-incoming-rpc'] === true,
    verifyIncomingHttps: f['verify-incoming-https'] === true,
    verifyOutgoing: f['verify-outgoing'] === true,
    verifyServerHostname: f['verify-server-hostname'] === true,
    minVersion: tlsMinVersionOf(text('tls-min-version') ?? 'TLSv1_2'),
    datacenter,
    domain,
  };
  checkTlsSettings(s);
  return s;
}

/**
 * The certificates in force, loaded and checked (refusing to start, naming the file), or
 * undefined when TLS is off. A member's listeners serve TLS once it is on, so a CA alone (no
 * certificate to serve with) is refused rather than leaving listeners nobody can connect to.
 * `accept` runs at start and on every reload.
 */
export function tlsSourceFrom(s: TlsSettings, accept?: (m: TlsMaterial) => void): TlsSource | undefined {
  if (!tlsEnabled(s)) return undefined;
  if (s.certFile === undefined) throw new RosterError('INVALID_CONFIG', 'TLS: ca_file without cert_file and key_file: this member\'s listeners would serve TLS with no certificate; give it one (roster tls cert create --client, or --server --node NAME)');
  return new TlsSource(s, undefined, accept);
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined || v === '' ? {} : { [key]: v }) as { [P in K]?: string };
}

/** A listener's TLS: the gRPC APIs ('rpc') and the HTTP port ('https') each have their verify_incoming. */
export function listenerTlsOf(source: TlsSource | undefined, kind: 'rpc' | 'https', name: string, logger: Logger): ListenerTls | undefined {
  if (source === undefined) return undefined;
  const s = source.settings;
  return { source, requireClientCertificate: s.verifyIncoming || (kind === 'rpc' ? s.verifyIncomingRpc : s.verifyIncomingHttps), name, logger };
}

/**
 * How an agent dials servers: TLS once it has a CA (servers with TLS serve nothing else), the
 * server checked by `server.<dc>.<domain>` with verify_server_hostname, else by the CA alone
 * (as Consul's verify_outgoing). Servers dialing servers always check the name.
 */
export function serverDialerOf(source: TlsSource | undefined, asServer: boolean): Dialer {
  if (source === undefined) return PLAINTEXT;
  const s = source.settings;
  return asServer || s.verifyServerHostname ? tlsDialer(source, { serverName: `server.${s.datacenter}.${s.domain}` }) : tlsDialer(source, { caOnly: true });
}

/** The agent API's TLS as an option of startLocalAgent (absent when TLS is off). */
export function apiTlsOption(t: ListenerTls | undefined): { apiTls?: ListenerTls } {
  return t === undefined ? {} : { apiTls: t };
}
