import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { createCa, loadCa, type CertificateAuthority } from '../../src/tls/ca.js';
import { caFiles, nextLeafFiles, writeNewPair, type PairFiles } from '../../src/tls/cert-files.js';
import type { PemPair } from '../../src/tls/certificate-fields.js';
import { createLeaf, type LeafKind, type LeafOptions } from '../../src/tls/leaf-certificate.js';

const OPENSSL = '/usr/bin/openssl';

function openssl(...args: string[]): string {
  const r = spawnSync(OPENSSL, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** What Node's crypto reads: the certificate, and whether the key is its key. */
function parsed(pair: PemPair): { cert: X509Certificate; keyMatches: boolean } {
  const cert = new X509Certificate(pair.certPem);
  return { cert, keyMatches: cert.checkPrivateKey(createPrivateKey(pair.keyPem)) };
}

describe('roster tls: a CA and the certificates it signs', () => {
  let dir: string;
  let caPair: PemPair;
  let ca: CertificateAuthority;
  let caFile: string;
  const leaf = (kind: LeafKind, more: Partial<LeafOptions> = {}): PemPair => createLeaf(ca, { kind, datacenter: 'dc1', domain: 'roster', days: 365, ...more });
  /** Writes a pair under its own names in the temp dir, for openssl. */
  const saved = (pair: PemPair, name: string): PairFiles => {
    const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}-key.pem`) };
    writeNewPair(files, pair);
    return files;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-tls-'));
    caPair = createCa({ domain: 'roster', days: 1825 });
    ca = loadCa(caPair, { cert: 'ca.pem', key: 'ca-key.pem' });
    caFile = saved(caPair, 'ca').cert;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the CA is self-signed, a CA that signs certificates and CRLs, with a key id', () => {
    const { cert, keyMatches } = parsed(caPair);
    expect(keyMatches).toBe(true);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toMatch(/^CN=Roster Agent CA roster [0-9a-f]{8}$/);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const validDays = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(validDays)).toBe(1825);
    const text = openssl('x509', '-noout', '-text', '-in', caFile);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).toMatch(/Subject Key Identifier/);
  });

  it('a common name given is the subject', () => {
    expect(new X509Certificate(createCa({ domain: 'roster', days: 1, commonName: 'Acme CA' }).certPem).subject).toBe('CN=Acme CA');
  });

  it('server, client and CLI certificates: names, key usages, signed by the CA, openssl verifies them', () => {
    const expected: Record<LeafKind, { san: string; eku: string }> = {
      server: { san: 'DNS:server.dc1.roster, DNS:localhost, IP Address:127.0.0.1', eku: 'TLS Web Server Authentication, TLS Web Client Authentication' },
      client: { san: 'DNS:client.dc1.roster, DNS:localhost, IP Address:127.0.0.1', eku: 'TLS Web Server Authentication, TLS Web Client Authentication' },
      cli: { san: 'DNS:cli.dc1.roster', eku: 'TLS Web Client Authentication' },
    };
    const caCert = new X509Certificate(caPair.certPem);
    for (const kind of ['server', 'client', 'cli'] as const) {
      const before = Date.now();
      const pair = leaf(kind);
      const { cert, keyMatches } = parsed(pair);
      expect(keyMatches, kind).toBe(true);
      expect(cert.ca, kind).toBe(false);
      expect(cert.subject, kind).toBe(`CN=${kind}.dc1.roster`);
      expect(cert.issuer, kind).toBe(caCert.subject);
      expect(cert.subjectAltName, kind).toBe(expected[kind].san);
      expect(cert.checkIssued(caCert), kind).toBe(true);
      expect(cert.verify(caCert.publicKey), kind).toBe(true);
      // Valid from a minute back (a peer's clock a little behind still accepts it), for the days asked.
      expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(before - 59_000);
      expect(Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000)).toBe(365);
      expect(cert.serialNumber, kind).toMatch(/^[4-7][0-9A-F]{31}$/);

      const files = saved(pair, `${kind}-leaf`);
      const text = openssl('x509', '-noout', '-text', '-in', files.cert);
      expect(text, kind).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
      expect(text, kind).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
      expect(text, kind).toContain(`Extended Key Usage: \n                ${expected[kind].eku}\n`);
      const caKeyId = /Subject Key Identifier:\s+(\S+)/.exec(openssl('x509', '-noout', '-text', '-in', caFile))![1];
      expect(text, kind).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${caKeyId}`));
      expect(openssl('verify', '-CAfile', caFile, files.cert).trim(), kind).toBe(`${files.cert}: OK`);
      expect(openssl('verify', '-CAfile', caFile, '-purpose', kind === 'cli' ? 'sslclient' : 'sslserver', files.cert).trim(), kind).toBe(`${files.cert}: OK`);
    }
  });

  it('serials differ between certificates', () => {
    expect(new X509Certificate(leaf('cli').certPem).serialNumber).not.toBe(new X509Certificate(leaf('cli').certPem).serialNumber);
  });

  it('additional DNS names and IPs (v4 and v6), another datacenter and domain', () => {
    const pair = leaf('server', { datacenter: 'eu-west', domain: 'corp.example', additionalDnsNames: ['roster-1.corp.example', '*.svc.example'], additionalIpAddresses: ['10.0.0.7', '::1'] });
    const cert = new X509Certificate(pair.certPem);
    expect(cert.subject).toBe('CN=server.eu-west.corp.example');
    // The IPv6 address as OpenSSL prints it (the zeros in full, or compressed in newer versions).
    expect(cert.subjectAltName).toMatch(/^DNS:server\.eu-west\.corp\.example, DNS:localhost, DNS:roster-1\.corp\.example, DNS:\*\.svc\.example, IP Address:127\.0\.0\.1, IP Address:10\.0\.0\.7, IP Address:(0:0:0:0:0:0:0:1|::1)$/);
    expect(cert.checkHost('roster-1.corp.example')).toBe('roster-1.corp.example');
    expect(cert.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkIP('10.0.0.8')).toBeUndefined();
  });

  it('refuses bad names and addresses in one line', () => {
    const cases: [Partial<LeafOptions>, string][] = [
      [{ additionalIpAddresses: ['300.1.1.1'] }, '--additional-ipaddress: "300.1.1.1" is not an IP address'],
      [{ additionalIpAddresses: ['localhost'] }, '--additional-ipaddress: "localhost" is not an IP address'],
      [{ additionalDnsNames: ['bad_name'] }, '--additional-dnsname: "bad_name" is not a DNS name'],
      [{ additionalDnsNames: ['-x.example'] }, '--additional-dnsname: "-x.example" is not a DNS name'],
      [{ additionalDnsNames: ['a..b'] }, '--additional-dnsname: "a..b" is not a DNS name'],
      [{ datacenter: 'dc 1' }, '--dc: "dc 1" is not a DNS name'],
      [{ domain: '*.roster' }, '--domain: "*.roster" is not a DNS name'],
    ];
    for (const [more, message] of cases) expect(() => leaf('server', more)).toThrow(message);
  });

  it('refuses a CA that is not one, or a key that is not its key', () => {
    const server = leaf('server');
    expect(() => loadCa(server, { cert: 's.pem', key: 's-key.pem' })).toThrow('s.pem is not a CA certificate (no basicConstraints cA=true)');
    expect(() => loadCa({ certPem: caPair.certPem, keyPem: server.keyPem }, { cert: 'ca.pem', key: 'other-key.pem' })).toThrow('other-key.pem is not the private key of ca.pem');
    expect(() => loadCa({ certPem: 'junk', keyPem: caPair.keyPem }, { cert: 'junk.pem', key: 'k' })).toThrow(/^junk\.pem is not an RSA certificate in PEM/);
  });

  it('names files as Consul does, numbering from the first free index, and never overwrites', () => {
    const out = mkdtempSync(join(dir, 'files-'));
    expect(caFiles(out)).toEqual({ cert: join(out, 'roster-agent-ca.pem'), key: join(out, 'roster-agent-ca-key.pem') });
    const first = nextLeafFiles(out, 'dc1', 'server');
    expect(first).toEqual({ cert: join(out, 'dc1-server-roster-0.pem'), key: join(out, 'dc1-server-roster-0-key.pem') });
    const pair = leaf('server');
    writeNewPair(first, pair);
    expect(nextLeafFiles(out, 'dc1', 'server').cert).toBe(join(out, 'dc1-server-roster-1.pem'));
    expect(nextLeafFiles(out, 'dc1', 'client').cert).toBe(join(out, 'dc1-client-roster-0.pem'));
    expect(nextLeafFiles(out, 'dc2', 'server').cert).toBe(join(out, 'dc2-server-roster-0.pem'));
    // A lone key file still takes its index: its certificate may just have been moved.
    writeFileSync(join(out, 'dc1-cli-roster-0-key.pem'), 'x');
    expect(nextLeafFiles(out, 'dc1', 'cli').cert).toBe(join(out, 'dc1-cli-roster-1.pem'));

    expect(() => writeNewPair(first, leaf('server'))).toThrow(`${first.cert} already exists: not overwriting it (move it away, or write elsewhere with --dir)`);
    expect(readFileSync(first.cert, 'utf8')).toBe(pair.certPem);
    expect(readFileSync(first.key, 'utf8')).toBe(pair.keyPem);
    // Only the key in the way: refused too, and no certificate is left behind without it.
    const keyOnly = { cert: join(out, 'x.pem'), key: join(out, 'dc1-cli-roster-0-key.pem') };
    expect(() => writeNewPair(keyOnly, pair)).toThrow(`${keyOnly.key} already exists`);
    expect(() => readFileSync(keyOnly.cert)).toThrow(/ENOENT/);
  });

  it('the command line: one of --server/--client/--cli, list flags by commas or repeats', () => {
    const line = parseCommandLine(['tls', 'cert', 'create', '--server', '--additional-dnsname', 'a.example', '--additional-dnsname=b.example,c.example', '--additional-ipaddress', '10.0.0.1', '--dc', 'dc2']);
    expect(line).toMatchObject({ kind: 'run', flags: { server: true, 'additional-dnsname': 'a.example,b.example,c.example', 'additional-ipaddress': '10.0.0.1', dc: 'dc2' } });
    // A flag that is no list keeps its last value, as before.
    expect(parseCommandLine(['tls', 'cert', 'create', '--dc', 'a', '--dc', 'b'])).toMatchObject({ flags: { dc: 'b' } });
    expect(() => parseCommandLine(['tls', 'ca', 'create', '--server'])).toThrow('unknown flag --server for roster tls ca create (see roster tls ca create --help)');
    expect(() => parseCommandLine(['tls', 'cert', 'create', '--endpoint', 'h:1'])).toThrow('unknown flag --endpoint for roster tls cert create');
    expect(() => parseCommandLine(['tls'])).toThrow('tls needs a subcommand: ca create, cert create (see roster tls --help)');
  });
});
