import { serverDialerOf, tlsSettingsFrom, tlsSourceFrom } from '../agent/tls-flags.js';
import type { Dialer } from '../client/dialer.js';
import type { FlagValues } from '../flags/flags.js';
import { dnsNamesOf, serverNodeName } from '../tls/peer-certificate.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { tlsEnabled } from '../tls/tls-settings.js';
import type { TlsSource } from '../tls/tls-source.js';
import type { PeerSecurity } from '../transport/peer-security.js';
import { RosterError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

/** A server's TLS: its certificates (none with TLS off), the peer port's security, how it dials servers. */
export interface ServerTls {
  readonly source: TlsSource | undefined;
  readonly security: PeerSecurity;
  readonly dial: Dialer;
}

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The server's TLS from its flags, failing closed before anything listens: files that do not
 * load, a certificate that does not name this server (`<name>.server.<dc>.<domain>`, what its
 * peers check), or a cluster of several servers with no TLS and no explicit --insecure-peers.
 */
export function serverTlsOf(f: FlagValues, name: string, datacenter: string, severalServers: boolean, logger: Logger): ServerTls {
  const settings = tlsSettingsFrom(f, datacenter);
  const insecure = f['insecure-peers'] === true;
  const want = serverNodeName(name, datacenter, settings.domain);
  // At start and at every reload: a certificate that does not name this server would have its
  // peers refuse it, reconnect by reconnect.
  const namesThisServer = (m: TlsMaterial): void => {
    if (m.leaf !== undefined && dnsNamesOf(m.leaf.subjectAltName).includes(want)) return;
    throw new RosterError('TLS_CONFIG', `TLS: cert_file ${settings.certFile ?? ''} does not name ${want}, so this server's peers would refuse it: make its certificate with roster tls cert create --server --node ${name}${datacenter === 'dc1' ? '' : ` --dc ${datacenter}`}${settings.domain === 'roster' ? '' : ` --domain ${settings.domain}`}`);
  };
  if (tlsEnabled(settings)) {
    if (insecure) throw new RosterError('INVALID_CONFIG', '--insecure-peers and TLS (ca_file, cert_file, key_file) exclude each other: drop one');
    // Certificates name servers in lower case, and a sender is matched exactly: N1 and n1 are
    // different servers, so only the lower-case form can be certified.
    if (!DNS_LABEL.test(name)) throw new RosterError('INVALID_CONFIG', `TLS: the server name ${JSON.stringify(name)} must be one lower-case DNS label (letters, digits, hyphens) to be named in its certificate`);
  }
  const source = tlsSourceFrom(settings, namesThisServer);
  if (source !== undefined) {
    return { source, security: { mode: 'tls', source, datacenter, domain: settings.domain }, dial: serverDialerOf(source, true) };
  }
  if (insecure) {
    logger.warn('INSECURE: --insecure-peers: the peer port has no TLS and takes Raft peers by the name they claim; anyone who reaches it can disrupt the cluster. For a dev cluster on a trusted network only');
    // Calls and proposals forwarded between servers are trusted as checked by the server that took them.
    if (f['acl-enabled'] === true) logger.warn('INSECURE: --acl-enabled with --insecure-peers: whoever reaches the peer port can bypass ACLs (forwarded calls and proposals are trusted); use TLS on the peer port');
    return { source, security: { mode: 'insecure' }, dial: serverDialerOf(undefined, true) };
  }
  if (severalServers) {
    throw new RosterError('INVALID_CONFIG', 'a cluster of several servers needs TLS on the peer port (ca_file, cert_file and key_file: see "Securing a cluster" in the README), or --insecure-peers for a dev cluster on a trusted network');
  }
  return { source, security: { mode: 'refuse' }, dial: serverDialerOf(undefined, true) };
}
