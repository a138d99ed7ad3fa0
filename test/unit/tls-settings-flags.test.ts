import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenerTlsOf, serverDialerOf, tlsSettingsFrom, tlsSourceFrom } from '../../src/agent/tls-flags.js';
import { cliDialer } from '../../src/cli/tls-options.js';
import { PLAINTEXT } from '../../src/client/dialer.js';
import { AGENT_FLAGS } from '../../src/cmd/agent-flags.js';
import { loadAgentConfig } from '../../src/cmd/config/load-config.js';
import { createCa, loadCa } from '../../src/tls/ca.js';
import { createLeaf } from '../../src/tls/leaf-certificate.js';
import { peerRefusal, proveServer } from '../../src/transport/peer-security.js';
import { nodeId } from '../../src/util/ids.js';
import type { Logger } from '../../src/util/logger.js';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('TLS settings from flags and config files; who a peer call may be from', () => {
  let dir: string;
  let ca: string;
  let server: { cert: string; key: string };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-tls-flags-'));
    const pem = createCa({ domain: 'roster', days: 30 });
    ca = join(dir, 'ca.pem');
    writeFileSync(ca, pem.certPem);
    const leaf = createLeaf(loadCa(pem, { cert: 'c', key: 'k' }), { kind: 'server', node: 'n1', datacenter: 'dc1', domain: 'roster', days: 30 });
    server = { cert: join(dir, 's.pem'), key: join(dir, 's-key.pem') };
    writeFileSync(server.cert, leaf.certPem);
    writeFileSync(server.key, leaf.keyPem);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a config file's Consul-named keys become the settings; TLS is off without files", async () => {
    const file = join(dir, 'agent.json');
    writeFileSync(file, JSON.stringify({ ca_file: ca, cert_file: server.cert, key_file: server.key, verify_incoming_rpc: true, verify_server_hostname: true, tls_min_version: 'TLSv1_3', domain: 'corp' }));
    const cfg = await loadAgentConfig({ files: [file], dirs: [], env: {}, cli: {}, spec: AGENT_FLAGS });
    const s = tlsSettingsFrom(cfg.flags, 'dc7');
    expect(s).toMatchObject({ caFile: ca, certFile: server.cert, keyFile: server.key, verifyIncoming: false, verifyIncomingRpc: true, verifyIncomingHttps: false, verifyServerHostname: true, minVersion: 'TLSv1.3', datacenter: 'dc7', domain: 'corp' });
    const source = tlsSourceFrom(s)!;
    expect(listenerTlsOf(source, 'rpc', 'client', quiet)?.requireClientCertificate).toBe(true);
    expect(listenerTlsOf(source, 'https', 'http', quiet)?.requireClientCertificate).toBe(false);
    expect(tlsSourceFrom(tlsSettingsFrom({}, 'dc1'))).toBeUndefined();
    expect(serverDialerOf(undefined, true)).toBe(PLAINTEXT);
    expect(() => tlsSettingsFrom({ domain: 'no_underscore' }, 'dc1')).toThrow(/--domain/);
    expect(() => tlsSettingsFrom({ 'verify-incoming': true }, 'dc1')).toThrow(/need ca_file or ca_path/);
    // A CA alone would leave a member's listeners serving TLS with no certificate.
    expect(() => tlsSourceFrom(tlsSettingsFrom({ 'ca-file': ca }, 'dc1'))).toThrow(/ca_file without cert_file and key_file/);
  });

  it('the CLI: TLS only with a CA; half a key pair is a usage error', () => {
    expect(cliDialer({}, {})).toBe(PLAINTEXT);
    expect(cliDialer({}, { ROSTER_CACERT: ca })).not.toBe(PLAINTEXT);
    expect(() => cliDialer({ 'cert-file': server.cert }, { ROSTER_CACERT: ca })).toThrow('--cert-file and --key-file go together');
    expect(() => cliDialer({ 'tls-server-name': 'server.dc1.roster' }, {})).toThrow(/need --ca-file/);
    expect(() => cliDialer({ 'ca-file': join(dir, 'nope.pem') }, {})).toThrow(/cannot read ca_file .*nope\.pem: ENOENT/);
  });

  it('a peer call: refused without TLS unless insecure; with TLS, the claimed sender must be the one its certificate names', () => {
    const n1 = nodeId('n1');
    expect(peerRefusal({ mode: 'refuse' }, {}, n1)).toMatchObject({ reason: 'no_tls' });
    expect(peerRefusal({ mode: 'insecure' }, {}, n1)).toBeUndefined();
    const source = tlsSourceFrom(tlsSettingsFrom({ 'ca-file': ca, 'cert-file': server.cert, 'key-file': server.key }, 'dc1'))!;
    const sec = { mode: 'tls', source, datacenter: 'dc1', domain: 'roster' } as const;
    const withCert = (san: string) => ({ getAuthContext: () => ({ sslPeerCertificate: { subjectaltname: san } as never }) });
    expect(peerRefusal(sec, withCert('DNS:server.dc1.roster, DNS:n1.server.dc1.roster'), n1)).toBeUndefined();
    expect(peerRefusal(sec, withCert('DNS:server.dc1.roster, DNS:n2.server.dc1.roster'), n1)).toMatchObject({ reason: 'sender_not_certified', refused: 'a call claiming to be from n1 with the certificate of n2' });
    expect(peerRefusal(sec, withCert('DNS:n1.server.dc2.roster'), n1)).toMatchObject({ reason: 'sender_not_certified', refused: 'a call claiming to be from n1 with the certificate of no server' });
    expect(peerRefusal(sec, {}, n1)).toMatchObject({ reason: 'sender_not_certified' });
    // Exact: the certificate of n1 does not make a caller N1.
    expect(peerRefusal(sec, withCert('DNS:n1.server.dc1.roster'), nodeId('N1'))).toMatchObject({ reason: 'sender_not_certified' });
  });

  it('proveServer: nothing listening, or no TLS, is not proof', async () => {
    const source = tlsSourceFrom(tlsSettingsFrom({ 'ca-file': ca, 'cert-file': server.cert, 'key-file': server.key }, 'dc1'))!;
    const sec = { mode: 'tls', source, datacenter: 'dc1', domain: 'roster' } as const;
    expect(await proveServer(sec, 'n1', '127.0.0.1:1', 2000)).toMatch(/did not prove to be n1\.server\.dc1\.roster/);
    expect(await proveServer({ mode: 'insecure' }, 'n1', '127.0.0.1:1')).toBeUndefined();
    expect(await proveServer({ mode: 'refuse' }, 'n1', '127.0.0.1:1')).toMatch(/takes no peers/);
  });

  it('proveServer: a handshake shows the certificate naming the server, and not another', async () => {
    const source = tlsSourceFrom(tlsSettingsFrom({ 'ca-file': ca, 'cert-file': server.cert, 'key-file': server.key }, 'dc1'))!;
    const sec = { mode: 'tls', source, datacenter: 'dc1', domain: 'roster' } as const;
    const listener = tls.createServer({ ...source.secureContextOptions(), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] }, (socket) => socket.end());
    const port = await new Promise<number>((resolve) => listener.listen(0, '127.0.0.1', () => resolve((listener.address() as { port: number }).port)));
    try {
      expect(await proveServer(sec, 'n1', `127.0.0.1:${port}`)).toBeUndefined();
      expect(await proveServer(sec, 'n2', `127.0.0.1:${port}`)).toMatch(/its certificate names .*n1\.server\.dc1\.roster.*, not n2\.server\.dc1\.roster/);
    } finally {
      listener.close();
    }
  });
});
