import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckTargetPolicy, checkTargetsOption } from '../../src/agent/checks/check-targets.js';
import { grpcProbe } from '../../src/agent/checks/grpc-probe.js';
import { httpProbe } from '../../src/agent/checks/http-probe.js';
import { tcpProbe } from '../../src/agent/checks/tcp-probe.js';
import { validateRegistration, type DefinitionError } from '../../src/agent/local/service-definition.js';

/** Two "hosts" on loopback: 127.0.0.1 (allowed below) and 127.0.0.2 (the one the checks must not reach). */
describe('--check-allowed-hosts', () => {
  let allowed: Server;
  let forbidden: Server;
  let forbiddenTcp: TcpServer;
  let a: string;
  let f: string;
  let hitsOnForbidden = 0;
  beforeAll(async () => {
    forbidden = createServer((_req, res) => {
      hitsOnForbidden++;
      res.writeHead(200).end('secret metadata');
    });
    await new Promise<void>((r) => forbidden.listen(0, '127.0.0.2', () => r()));
    f = `http://127.0.0.2:${(forbidden.address() as { port: number }).port}`;
    allowed = createServer((req, res) => {
      if (req.url === '/ok') return res.writeHead(200).end('fine');
      if (req.url === '/hop') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/escape') return res.writeHead(302, { location: `${f}/latest/meta-data` }).end();
      if (req.url === '/escape-by-name') return res.writeHead(307, { location: `http://localhost:${(forbidden.address() as { port: number }).port}/` }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => allowed.listen(0, '127.0.0.1', () => r()));
    a = `http://127.0.0.1:${(allowed.address() as { port: number }).port}`;
    forbiddenTcp = createTcpServer((s) => s.end());
    await new Promise<void>((r) => forbiddenTcp.listen(0, '127.0.0.2', () => r()));
  });
  afterAll(() => {
    for (const s of [allowed, forbidden]) {
      s.closeAllConnections();
      s.close();
    }
    forbiddenTcp.close();
  });

  const policy = new CheckTargetPolicy(['127.0.0.1/32', 'db.internal', '*.svc.internal']);

  it('parses CIDRs, addresses, names and suffixes; refuses anything else in one line', () => {
    expect(policy.open).toBe(false);
    expect(new CheckTargetPolicy([]).open).toBe(true);
    expect(policy.refusal('127.0.0.1')).toBeUndefined();
    expect(policy.refusal('127.0.0.2')).toBe('127.0.0.2 is not allowed by --check-allowed-hosts');
    expect(policy.refusal('[::1]')).toMatch(/not allowed/);
    expect(policy.refusal('api.svc.internal')).toBeUndefined();
    // A name not listed may still resolve into 127.0.0.1/32: decided when it runs.
    expect(policy.refusal('elsewhere.example')).toBeUndefined();
    expect(new CheckTargetPolicy(['db.internal']).refusal('elsewhere.example')).toMatch(/not allowed/);
    expect(() => new CheckTargetPolicy(['10.0.0.0/33'])).toThrow(/not a CIDR/);
    expect(() => new CheckTargetPolicy(['bad host!'])).toThrow(/not a CIDR, an address, a host name or \*\.suffix/);
    expect(() => checkTargetsOption({ 'check-allowed-hosts': '10.0.0.0/8,bad host' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as Error);
    expect(checkTargetsOption({})).toEqual({});
  });

  it('an HTTP check follows redirects within the allowed hosts, and is critical when one leads outside, by address or by name', async () => {
    expect(await httpProbe({ url: `${a}/hop`, targets: policy })(2000)).toEqual({ status: 'passing', output: `HTTP GET ${a}/hop: 200 OK Output: fine` });
    const escaped = await httpProbe({ url: `${a}/escape`, targets: policy })(2000);
    expect(escaped.status).toBe('critical');
    expect(escaped.output).toContain('127.0.0.2 is not allowed by --check-allowed-hosts');
    // localhost resolves to 127.0.0.1 (allowed) or ::1 (not): only the allowed address is dialled, and nothing listens there.
    const byName = await httpProbe({ url: `${a}/escape-by-name`, targets: new CheckTargetPolicy(['127.0.0.1/32']) })(2000);
    expect(byName.status).toBe('critical');
    const direct = await httpProbe({ url: `${f}/`, targets: policy })(2000);
    expect(direct).toEqual({ status: 'critical', output: `HTTP GET ${f}/: 127.0.0.2 is not allowed by --check-allowed-hosts` });
    const nameOutside = await httpProbe({ url: `http://localhost:1/`, targets: new CheckTargetPolicy(['10.0.0.0/8']) })(2000);
    expect(nameOutside.output).toMatch(/localhost \(.*\) is not allowed by --check-allowed-hosts/);
    expect(hitsOnForbidden).toBe(0);
    // Without the option the same redirect is followed (Consul's default).
    expect((await httpProbe({ url: `${a}/escape` })(2000)).status).toBe('passing');
    expect(hitsOnForbidden).toBe(1);
  });

  it('TCP and gRPC checks are held to the same hosts', async () => {
    const port = (forbiddenTcp.address() as { port: number }).port;
    expect((await tcpProbe(`127.0.0.2:${port}`)(1000)).status).toBe('passing');
    expect(await tcpProbe(`127.0.0.2:${port}`, policy)(1000)).toEqual({ status: 'critical', output: `TCP connect 127.0.0.2:${port}: 127.0.0.2 is not allowed by --check-allowed-hosts` });
    const g = await grpcProbe(`127.0.0.2:${port}`, '', policy)(1000);
    expect(g).toEqual({ status: 'critical', output: `gRPC 127.0.0.2:${port}: 127.0.0.2 is not allowed by --check-allowed-hosts` });
  });

  it('a registration whose check can never be allowed is a failed precondition naming the field', () => {
    const req = (check: object): Parameters<typeof validateRegistration>[0] => ({
      service: { id: '', name: 'web', port: 0, address: '', tags: [], meta: {}, weights: null },
      checks: [{ id: '', name: '', http: '', tcp: '', grpc: '', ttlMs: 0, intervalMs: 0, timeoutMs: 0, successBeforePassing: 0, failuresBeforeCritical: 0, method: '', headers: {}, args: [], deregisterCriticalServiceAfterMs: 0, ...check }],
    });
    const only = new CheckTargetPolicy(['127.0.0.1/32']);
    const refused = (check: object): DefinitionError => {
      try {
        validateRegistration(req(check), { enableScriptChecks: false, checkTargets: only });
      } catch (err) {
        return err as DefinitionError;
      }
      throw new Error('expected a refusal');
    };
    expect(refused({ http: 'http://169.254.169.254/latest/meta-data' })).toMatchObject({ code: 'FAILED_PRECONDITION', message: expect.stringContaining('checks[0].http') as string });
    expect(refused({ tcp: '127.0.0.2:22' }).code).toBe('FAILED_PRECONDITION');
    expect(refused({ grpc: '127.0.0.3:9000/svc' }).code).toBe('FAILED_PRECONDITION');
    expect(validateRegistration(req({ http: 'http://127.0.0.1:8080/health' }), { enableScriptChecks: false, checkTargets: only }).checks).toHaveLength(1);
  });
});
