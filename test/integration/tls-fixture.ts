import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tlsDialer, type Dialer } from '../../src/client/dialer.js';
import { createCa, loadCa } from '../../src/tls/ca.js';
import type { PemPair } from '../../src/tls/certificate-fields.js';
import { createLeaf, type LeafOptions } from '../../src/tls/leaf-certificate.js';

/** A certificate's files. */
export interface Pair {
  readonly cert: string;
  readonly key: string;
}

/**
 * A CA and the certificates of a test cluster, as `roster tls` makes them (the same code): one
 * per server (--node, its loopback IP), per agent (client), and the CLI's; plus a stranger CA's
 * client certificate, to be refused.
 */
export class TlsFixture {
  readonly caFile: string;
  readonly cli: Pair;
  readonly stranger: Pair;
  private readonly sign: (o: Omit<LeafOptions, 'datacenter' | 'domain' | 'days'>, file: string) => Pair;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const ca = createCa({ domain: 'roster', days: 30 });
    const loaded = loadCa(ca, { cert: 'ca', key: 'ca-key' });
    this.caFile = write(dir, 'ca', ca).cert;
    this.sign = (o, file) => write(dir, file, createLeaf(loaded, { datacenter: 'dc1', domain: 'roster', days: 30, ...o }));
    this.cli = this.sign({ kind: 'cli' }, 'cli');
    const other = createCa({ domain: 'roster', days: 30 });
    this.stranger = write(dir, 'stranger', createLeaf(loadCa(other, { cert: 'o', key: 'o-key' }), { kind: 'client', datacenter: 'dc1', domain: 'roster', days: 30 }));
  }

  /** The certificate of server `name` on `host` (made once per file name). */
  server(name: string, host: string, extraDns: readonly string[] = [], file = `server-${name}`): Pair {
    return this.sign({ kind: 'server', node: name, additionalIpAddresses: [host], additionalDnsNames: [...extraDns] }, file);
  }

  client(name: string): Pair {
    return this.sign({ kind: 'client' }, `client-${name}`);
  }

  /** A server's TLS flags: every verification on. */
  serverArgs(pair: Pair): string[] {
    return ['--ca-file', this.caFile, '--cert-file', pair.cert, '--key-file', pair.key, '--verify-incoming', '--verify-outgoing', '--verify-server-hostname'];
  }

  /** How the harness (as the CLI would) dials servers: the CLI certificate, servers checked by name. */
  dialer(): Dialer {
    return tlsDialer({ caFile: this.caFile, certFile: this.cli.cert, keyFile: this.cli.key, serverName: 'server.dc1.roster' });
  }

  get path(): string {
    return this.dir;
  }
}

function write(dir: string, name: string, pair: PemPair): Pair {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  writeFileSync(cert, pair.certPem);
  writeFileSync(key, pair.keyPem, { mode: 0o600 });
  return { cert, key };
}
