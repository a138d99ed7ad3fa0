import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, loadCa } from '../../src/tls/ca.js';
import type { PemPair } from '../../src/tls/certificate-fields.js';
import { createLeaf, type LeafOptions } from '../../src/tls/leaf-certificate.js';
import { dnsNamesOf, hasRole, serverNodesOf } from '../../src/tls/peer-certificate.js';
import { dialCredentials } from '../../src/tls/tls-dial.js';
import { listenGrpc, type GrpcListener } from '../../src/tls/tls-listener.js';
import { loadTlsMaterial } from '../../src/tls/tls-material.js';
import { TLS_DEFAULTS, checkTlsSettings, tlsMinVersionOf, type TlsSettings } from '../../src/tls/tls-settings.js';
import { TlsSource } from '../../src/tls/tls-source.js';
import { droppedCount } from '../../src/util/dropped.js';
import type { Logger } from '../../src/util/logger.js';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const PATH = '/roster.test.Echo/Echo';
const bytes = (b: Buffer): Buffer => b;
const ECHO: grpc.ServiceDefinition = {
  echo: { path: PATH, requestStream: false, responseStream: false, requestSerialize: bytes, requestDeserialize: bytes, responseSerialize: bytes, responseDeserialize: bytes },
};

let dir: string;
let n = 0;
/** Writes a pair to files and gives their paths. */
function files(pair: PemPair): { cert: string; key: string } {
  const base = join(dir, `f${n++}`);
  writeFileSync(`${base}.pem`, pair.certPem);
  writeFileSync(`${base}-key.pem`, pair.keyPem);
  return { cert: `${base}.pem`, key: `${base}-key.pem` };
}

function authority(): { ca: PemPair; caFile: string; leaf: (o: Partial<LeafOptions> & Pick<LeafOptions, 'kind'>) => { cert: string; key: string } } {
  const ca = createCa({ domain: 'roster', days: 30 });
  const loaded = loadCa(ca, { cert: 'ca', key: 'ca-key' });
  return { ca, caFile: files(ca).cert, leaf: (o) => files(createLeaf(loaded, { datacenter: 'dc1', domain: 'roster', days: 30, ...o })) };
}

function settings(caFile: string, leaf?: { cert: string; key: string }, extra: Partial<TlsSettings> = {}): TlsSettings {
  return { ...TLS_DEFAULTS, datacenter: 'dc1', caFile, ...(leaf === undefined ? {} : { certFile: leaf.cert, keyFile: leaf.key }), ...extra };
}

describe('TLS listeners and dialers', () => {
  let ours: ReturnType<typeof authority>;
  let stranger: ReturnType<typeof authority>;
  const closers: (() => void)[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-tls-listener-'));
    ours = authority();
    stranger = authority();
  });
  afterAll(() => {
    for (const c of closers) c();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An echo server answering with the SANs of the caller's certificate. */
  async function serve(source: TlsSource, o: { requireClientCertificate: boolean; name: string; admit?: (p: tls.PeerCertificate) => string | undefined }): Promise<{ addr: string; listener: GrpcListener }> {
    const server = new grpc.Server();
    server.addService(ECHO, { echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from(call.getAuthContext().sslPeerCertificate?.subjectaltname ?? 'anonymous')) });
    const port = await freePort();
    const listener = await listenGrpc(server, `127.0.0.1:${port}`, { source, logger: quiet, ...o });
    closers.push(() => {
      server.forceShutdown();
      listener.close();
    });
    return { addr: `127.0.0.1:${port}`, listener };
  }

  function call(addr: string, creds: { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions }): Promise<string> {
    const client = new grpc.Client(addr, creds.credentials, creds.options);
    return new Promise((resolve) => {
      client.makeUnaryRequest(PATH, bytes, bytes, Buffer.from('hi'), { deadline: Date.now() + 5000 }, (err, reply) => {
        client.close();
        resolve(err ? `failed: ${err.details}` : `ok: ${reply!.toString()}`);
      });
    });
  }

  it('mutual TLS: a client certificate of the CA gets through and the server sees who it is; the rest is refused and counted by why', async () => {
    const server = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'server' })));
    const { addr } = await serve(server, { requireClientCertificate: true, name: 't1' });
    const client = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'client' })));
    expect(await call(addr, dialCredentials({ source: client, serverName: 'server.dc1.roster' }, '127.0.0.1'))).toBe('ok: DNS:client.dc1.roster, DNS:localhost, IP Address:127.0.0.1');
    // By the dialed host (the server certificate carries 127.0.0.1).
    expect(await call(addr, dialCredentials({ source: client }, '127.0.0.1'))).toBe('ok: DNS:client.dc1.roster, DNS:localhost, IP Address:127.0.0.1');

    expect(await call(addr, dialCredentials({ source: new TlsSource(settings(ours.caFile)) }, '127.0.0.1'))).toMatch(/^failed: /);
    expect(await call(addr, { credentials: grpc.credentials.createInsecure(), options: {} })).toMatch(/^failed: /);
    // Another CA's certificate, from a client that trusts our server.
    const strangerLeaf = stranger.leaf({ kind: 'client' });
    expect(await call(addr, dialCredentials({ source: new TlsSource(settings(ours.caFile), { ca: readFileSync(ours.caFile), cert: readFileSync(strangerLeaf.cert), key: readFileSync(strangerLeaf.key) }) }, '127.0.0.1'))).toMatch(/^failed: /);
    expect(droppedCount('tls_t1', 'no_client_certificate')).toBeGreaterThanOrEqual(1);
    expect(droppedCount('tls_t1', 'plaintext')).toBeGreaterThanOrEqual(1);
    expect(droppedCount('tls_t1', 'untrusted_certificate')).toBeGreaterThanOrEqual(1);
  });

  it('the dialer checks the name it was told: a client certificate cannot pose as a server', async () => {
    const posing = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'client', additionalIpAddresses: ['127.0.0.1'] })));
    const { addr } = await serve(posing, { requireClientCertificate: false, name: 't2' });
    const cli = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'cli' })));
    // Without verify_incoming the listener asks for no client certificate.
    expect(await call(addr, dialCredentials({ source: cli }, '127.0.0.1'))).toBe('ok: anonymous');
    expect(await call(addr, dialCredentials({ source: cli, serverName: 'server.dc1.roster' }, '127.0.0.1'))).toMatch(/^failed: .*does not name server\.dc1\.roster/);
  });

  it('admit refuses a certificate the CA issued but this listener does not want (a client certificate on the peer port)', async () => {
    const source = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'server', node: 'n1' })));
    const admit = (p: tls.PeerCertificate): string | undefined => (serverNodesOf(dnsNamesOf(p.subjectaltname), 'dc1', 'roster').length > 0 ? undefined : `${p.subjectaltname} is not a server's certificate`);
    const { addr } = await serve(source, { requireClientCertificate: true, name: 't3', admit });
    const peer = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'server', node: 'n2' })));
    expect(await call(addr, dialCredentials({ source: peer, serverName: 'n1.server.dc1.roster' }, '127.0.0.1'))).toBe('ok: DNS:server.dc1.roster, DNS:n2.server.dc1.roster, DNS:localhost, IP Address:127.0.0.1');
    // Dialing n1 but reaching a server that is not n1 fails on the dialer's side.
    expect(await call(addr, dialCredentials({ source: peer, serverName: 'n3.server.dc1.roster' }, '127.0.0.1'))).toMatch(/does not name n3\.server\.dc1\.roster/);
    const client = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'client' })));
    expect(await call(addr, dialCredentials({ source: client, serverName: 'n1.server.dc1.roster' }, '127.0.0.1'))).toMatch(/^failed: /);
    expect(droppedCount('tls_t3', 'wrong_certificate')).toBe(1);
  });

  it('reload: new connections get the new certificate, one already open keeps working; a bad file keeps the old', async () => {
    const first = ours.leaf({ kind: 'server', additionalDnsNames: ['first.example'] });
    const source = new TlsSource(settings(ours.caFile, first));
    const { addr } = await serve(source, { requireClientCertificate: false, name: 't4' });
    const names = async (): Promise<string> => {
      const cert = await new Promise<tls.PeerCertificate>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: Number(addr.split(':')[1]), ca: ours.ca.certPem, servername: 'localhost', ALPNProtocols: ['h2'] }, () => {
          resolve(s.getPeerCertificate());
          s.end();
        });
        s.on('error', reject);
      });
      return dnsNamesOf(cert.subjectaltname).join(',');
    };
    const kept = new grpc.Client(addr, ...Object.values(dialCredentials({ source: new TlsSource(settings(ours.caFile)) }, '127.0.0.1')) as [grpc.ChannelCredentials, grpc.ChannelOptions]);
    const once = (): Promise<string> => new Promise((resolve) => kept.makeUnaryRequest(PATH, bytes, bytes, Buffer.from('x'), (err, r) => resolve(err ? `failed: ${err.details}` : r!.toString())));
    expect(await once()).toBe('anonymous');
    expect(await names()).toContain('first.example');

    const second = ours.leaf({ kind: 'server', additionalDnsNames: ['second.example'] });
    writeFileSync(first.cert, readText(second.cert));
    writeFileSync(first.key, readText(second.key));
    source.reload();
    expect(await names()).toContain('second.example');
    expect(await once()).toBe('anonymous');

    // A certificate without its key: refused, and the one in force stays.
    writeFileSync(first.cert, readText(ours.leaf({ kind: 'server', additionalDnsNames: ['third.example'] }).cert));
    expect(() => source.reload()).toThrow(/is not the key of cert_file/);
    expect(await names()).toContain('second.example');
    kept.close();
  });

  it('caOnly: a server whose certificate does not name the host dialed passes on the CA alone', async () => {
    const source = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'server' })));
    const server = new grpc.Server();
    server.addService(ECHO, { echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) });
    const port = await freePort('127.0.0.2');
    const listener = await listenGrpc(server, `127.0.0.2:${port}`, { source, logger: quiet, requireClientCertificate: false, name: 't6' });
    closers.push(() => {
      server.forceShutdown();
      listener.close();
    });
    const dialer = new TlsSource(settings(ours.caFile));
    expect(await call(`127.0.0.2:${port}`, dialCredentials({ source: dialer }, '127.0.0.2'))).toMatch(/^failed: .*IP: 127\.0\.0\.2 is not in the cert's list/);
    expect(await call(`127.0.0.2:${port}`, dialCredentials({ source: dialer, caOnly: true }, '127.0.0.2'))).toBe('ok: hi');
    const strangerSource = new TlsSource(settings(stranger.caFile));
    expect(await call(`127.0.0.2:${port}`, dialCredentials({ source: strangerSource, caOnly: true }, '127.0.0.2'))).toMatch(/^failed: /);
  });

  it('an owner\'s check runs at start and on every reload: a certificate it refuses never comes into force', () => {
    const pair = ours.leaf({ kind: 'server', node: 'n1' });
    const namesN1 = (m: { leaf?: { subjectAltName?: string } }): void => {
      if (!(m.leaf?.subjectAltName ?? '').includes('n1.server.dc1.roster')) throw new Error('does not name n1');
    };
    const source = new TlsSource(settings(ours.caFile, pair), undefined, namesN1);
    let reloads = 0;
    source.onChange(() => reloads++);
    const other = ours.leaf({ kind: 'server', node: 'n2' });
    writeFileSync(pair.cert, readText(other.cert));
    writeFileSync(pair.key, readText(other.key));
    expect(() => source.reload()).toThrow('does not name n1');
    expect(source.leaf?.subjectAltName).toContain('n1.server.dc1.roster');
    expect(reloads).toBe(0);
    expect(() => new TlsSource(settings(ours.caFile, other), undefined, namesN1)).toThrow('does not name n1');
  });

  it('tls_min_version TLSv1_3 refuses a TLS 1.2 client', async () => {
    const source = new TlsSource(settings(ours.caFile, ours.leaf({ kind: 'server' }), { minVersion: 'TLSv1.3' }));
    const { addr } = await serve(source, { requireClientCertificate: false, name: 't5' });
    const outcome = await new Promise<string>((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port: Number(addr.split(':')[1]), ca: ours.ca.certPem, servername: 'localhost', maxVersion: 'TLSv1.2', ALPNProtocols: ['h2'] }, () => resolve(`connected ${s.getProtocol() ?? ''}`));
      s.on('error', (e: Error) => resolve(`refused: ${e.message}`));
    });
    expect(outcome).toMatch(/^refused: /);
    expect(droppedCount('tls_t5', 'old_tls_version')).toBe(1);
  });

  it('loading fails closed, naming the file and the reason', () => {
    const server = ours.leaf({ kind: 'server' });
    const missing = join(dir, 'missing.pem');
    expect(() => loadTlsMaterial({ caFile: missing })).toThrow(`TLS: cannot read ca_file ${missing}: ENOENT`);
    expect(() => loadTlsMaterial({ caFile: ours.caFile, certFile: server.cert, keyFile: missing })).toThrow(`TLS: cannot read key_file ${missing}: ENOENT`);
    expect(() => loadTlsMaterial({ caFile: stranger.caFile, certFile: server.cert, keyFile: server.key })).toThrow(`TLS: cert_file ${server.cert} was not issued by the configured CA`);
    expect(() => loadTlsMaterial({ caFile: server.cert })).toThrow(/is not a CA/);
    expect(() => loadTlsMaterial({ caFile: ours.caFile, certFile: server.cert, keyFile: ours.leaf({ kind: 'client' }).key })).toThrow(`TLS: key_file`);
    const later = new Date(Date.now() + 40 * 86_400_000);
    expect(() => loadTlsMaterial({ caFile: ours.caFile, certFile: server.cert, keyFile: server.key }, later)).toThrow(/expired on .*roster tls cert create/);
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    expect(() => loadTlsMaterial({ caFile: garbage })).toThrow(`TLS: ca_file ${garbage} holds no PEM certificate`);
    expect(loadTlsMaterial({ caFile: ours.caFile, certFile: server.cert, keyFile: server.key }).leaf?.subject).toBe('CN=server.dc1.roster');
    // A CA past its validity: every handshake would fail, so it is refused at start.
    const oldCa = files(createCa({ domain: 'roster', days: 1, now: new Date(Date.now() - 3 * 86_400_000) }));
    expect(() => loadTlsMaterial({ caFile: oldCa.cert })).toThrow(/TLS: the CA in .* expired on /);
  });

  it('settings that cannot work together are refused; tls_min_version as Consul spells it', () => {
    expect(() => checkTlsSettings(settings(ours.caFile, undefined, { certFile: 'a.pem' }))).toThrow('cert_file and key_file go together');
    expect(() => checkTlsSettings({ ...TLS_DEFAULTS, datacenter: 'dc1', verifyOutgoing: true })).toThrow(/need ca_file or ca_path/);
    expect(() => checkTlsSettings(settings(ours.caFile, undefined, { verifyIncoming: true }))).toThrow(/verify_incoming needs cert_file/);
    expect(tlsMinVersionOf('TLSv1_3')).toBe('TLSv1.3');
    expect(tlsMinVersionOf('tls12')).toBe('TLSv1.2');
    expect(() => tlsMinVersionOf('TLSv1_0')).toThrow(/not TLSv1_2 or TLSv1_3/);
  });

  it('a certificate names its role and its server', () => {
    const dns = dnsNamesOf('DNS:server.dc1.roster, DNS:N1.server.dc1.roster, DNS:localhost, IP Address:127.0.0.1');
    expect(dns).toEqual(['server.dc1.roster', 'n1.server.dc1.roster', 'localhost']);
    expect(hasRole(dns, 'server', 'dc1', 'roster')).toBe(true);
    expect(hasRole(dns, 'client', 'dc1', 'roster')).toBe(false);
    expect(hasRole(dns, 'server', 'dc2', 'roster')).toBe(false);
    expect(serverNodesOf(dns, 'dc1', 'roster')).toEqual(['n1']);
    expect(serverNodesOf(['a.b.server.dc1.roster', '*.server.dc1.roster'], 'dc1', 'roster')).toEqual([]);
  });
});

function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

async function freePort(host = '127.0.0.1'): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, host, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}
