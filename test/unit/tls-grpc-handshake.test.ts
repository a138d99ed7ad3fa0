import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, loadCa } from '../../src/tls/ca.js';
import type { PemPair } from '../../src/tls/certificate-fields.js';
import { createLeaf, type LeafKind } from '../../src/tls/leaf-certificate.js';

/** One unary method that echoes its bytes: enough to see a TLS handshake through. */
const PATH = '/roster.test.Echo/Echo';
const bytes = (b: Buffer): Buffer => b;
const ECHO: grpc.ServiceDefinition = {
  echo: { path: PATH, requestStream: false, responseStream: false, requestSerialize: bytes, requestDeserialize: bytes, responseSerialize: bytes, responseDeserialize: bytes },
};

/** The certificates of two unrelated CAs: `ours` and a stranger's. */
function certificatesOf(): { ca: PemPair; leaf: (kind: LeafKind) => PemPair } {
  const ca = createCa({ domain: 'roster', days: 30 });
  const loaded = loadCa(ca, { cert: 'ca.pem', key: 'ca-key.pem' });
  return { ca, leaf: (kind) => createLeaf(loaded, { kind, datacenter: 'dc1', domain: 'roster', days: 30 }) };
}

describe('roster tls certificates work for mutual TLS in grpc-js', () => {
  const ours = certificatesOf();
  const stranger = certificatesOf();
  const servers: grpc.Server[] = [];

  /** A server presenting `cert`, trusting `ca`, requiring a client certificate. */
  async function serve(cert: PemPair, ca: PemPair): Promise<string> {
    const server = new grpc.Server();
    server.addService(ECHO, { echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) });
    const creds = grpc.ServerCredentials.createSsl(Buffer.from(ca.certPem), [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }], true);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
    servers.push(server);
    return `127.0.0.1:${port}`;
  }

  /** One call with the client's certificate; the error's text when it fails. */
  function call(addr: string, trusts: PemPair, cert: PemPair, name = 'server.dc1.roster'): Promise<string> {
    const creds = grpc.credentials.createSsl(Buffer.from(trusts.certPem), Buffer.from(cert.keyPem), Buffer.from(cert.certPem));
    const client = new grpc.Client(addr, creds, { 'grpc.ssl_target_name_override': name });
    return new Promise<string>((resolve) => {
      client.makeUnaryRequest(PATH, bytes, bytes, Buffer.from('hello'), { deadline: Date.now() + 5_000 }, (err, reply) => {
        client.close();
        resolve(err ? `failed: ${err.details}` : `ok: ${reply!.toString()}`);
      });
    });
  }

  let addr: string;
  beforeAll(async () => {
    addr = await serve(ours.leaf('server'), ours.ca);
  });
  afterAll(() => {
    for (const s of servers) s.forceShutdown();
  });

  it('a client or CLI certificate of the same CA gets through, checking the name server.dc1.roster', async () => {
    expect(await call(addr, ours.ca, ours.leaf('client'))).toBe('ok: hello');
    expect(await call(addr, ours.ca, ours.leaf('cli'))).toBe('ok: hello');
    expect(await call(addr, ours.ca, ours.leaf('server'))).toBe('ok: hello');
  });

  it("is refused with another CA's certificate, or a name the server's certificate does not carry", async () => {
    // The server drops the handshake of a client it does not trust (the client sees only that).
    expect(await call(addr, ours.ca, stranger.leaf('client'))).toMatch(/^failed: /);
    // A client that trusts another CA does not accept the server.
    expect(await call(addr, stranger.ca, stranger.leaf('client'))).toMatch(/^failed: .*self-signed certificate in certificate chain/);
    expect(await call(addr, ours.ca, ours.leaf('client'), 'client.dc1.roster')).toMatch(/^failed: .*does not match certificate's altnames/);
  });

  it('a CLI certificate cannot serve: it has no serverAuth', async () => {
    const cliAsServer = await serve(ours.leaf('cli'), ours.ca);
    expect(await call(cliAsServer, ours.ca, ours.leaf('client'), 'cli.dc1.roster')).toMatch(/^failed: .*unsuitable certificate purpose/);
    const clientAsServer = await serve(ours.leaf('client'), ours.ca);
    expect(await call(clientAsServer, ours.ca, ours.leaf('cli'), 'client.dc1.roster')).toBe('ok: hello');
  });
});
