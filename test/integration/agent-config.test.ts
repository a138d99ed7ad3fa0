import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProto } from '../../src/proto/agent-proto.js';
import { eventually, freePort, TestCluster } from './cluster-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');

type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

interface Instance {
  node: { name: string };
  service: { id: string; name: string; port: number; tags: string[]; meta: Record<string, string> };
  status: string;
}

/** Runs `roster agent ARGS` until it exits by itself (a bad config): its exit code and stderr. */
function runToExit(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stderr: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cmd/main.ts'), 'agent', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  proc.stdout.resume();
  return new Promise((res, rej) => {
    // A config error is found before anything starts: it exits within seconds, or the test fails.
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`the agent did not exit on a bad config; stderr so far:\n${stderr}`));
    }, 30_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, stderr });
    });
  });
}

/** A client agent whose settings and services come from a --config-dir: they reach the catalog. */
describe('roster agent --config-dir: settings and services from config files', () => {
  let c: TestCluster;
  let root = '';
  let tcp: Server;
  let tcpPort = 0;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 1, hostBase: 220, gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
    root = mkdtempSync(join(tmpdir(), 'roster-it-config-'));
    tcp = createServer((s) => s.end());
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
    tcpPort = (tcp.address() as { port: number }).port;
  }, 60_000);
  afterAll(async () => {
    tcp?.close();
    await c?.destroy();
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it('services defined in the config dir are registered at startup and show up in the catalog, with their checks', async () => {
    const dir = join(root, 'good.d');
    mkdirSync(dir);
    const apiAddr = `127.0.0.222:${await freePort('127.0.0.222')}`;
    // The API address comes from a file (no --api-addr flag): settings from files are in force.
    writeFileSync(join(dir, '00-agent.json'), JSON.stringify({ api_addr: apiAddr, datacenter: 'dc1' }));
    writeFileSync(
      join(dir, '10-services.json'),
      JSON.stringify({
        services: [
          { id: 'cfg-db-1', name: 'cfg-db', port: tcpPort, tags: ['primary'], meta: { from: 'config' }, checks: [{ tcp: `127.0.0.1:${tcpPort}`, interval_ms: 500 }] },
          { name: 'cfg-worker', checks: [{ id: 'cfg-worker-ttl', ttl_ms: 60_000 }] },
        ],
      }),
    );
    writeFileSync(join(dir, 'README.txt'), 'not a config file: ignored');
    await c.startAgent('cfg-host', '127.0.0.222', ['--config-dir', dir]);
    const server = c.servers[0]!;
    const instances = (service: string): Promise<Instance[]> => c.rcall<{ instances: Instance[] }>(server, 'Health', 'ServiceInstances', { service, options: { consistency: 'STALE' } }).then((r) => r.instances);
    const db = await eventually('cfg-db passing in the catalog', async () => {
      const list = await instances('cfg-db');
      return list.length === 1 && list[0]!.status === 'PASSING' ? list[0]! : undefined;
    }, 20_000);
    expect(db.node.name).toBe('cfg-host');
    expect(db.service).toMatchObject({ id: 'cfg-db-1', name: 'cfg-db', port: tcpPort, tags: ['primary'], meta: { from: 'config' } });
    // The TTL check is not reported yet: the instance is there, critical.
    const worker = await eventually('cfg-worker in the catalog', async () => (await instances('cfg-worker'))[0]);
    expect([worker.node.name, worker.service.id, worker.status]).toEqual(['cfg-host', 'cfg-worker', 'CRITICAL']);
    // The agent's own API (on the address from the file) holds them too, and reports the TTL check like any other.
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    const agent = new Ctor(apiAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
    try {
      const call = <T>(method: string, req: unknown): Promise<T> => new Promise((res, rej) => agent[method]!(req, { deadline: Date.now() + 5000 }, (err, out) => (err ? rej(err) : res(out as T))));
      const listed = await call<{ services: { service: { id: string } }[] }>('Services', {});
      expect(listed.services.map((s) => s.service.id).sort()).toEqual(['cfg-db-1', 'cfg-worker']);
      await call('UpdateTtl', { checkId: 'cfg-worker-ttl', status: 'passing', output: 'ok' });
      await eventually('cfg-worker passing', async () => ((await instances('cfg-worker'))[0]?.status === 'PASSING' ? true : undefined));
    } finally {
      agent.close();
    }
  }, 60_000);

  it('templates in the config: the agent keeps the file rendered from the registry and runs the command after each change', async () => {
    const dir = join(root, 'templates.d');
    mkdirSync(dir);
    const apiAddr = `127.0.0.224:${await freePort('127.0.0.224')}`;
    const source = join(dir, 'upstreams.liquid');
    const destination = join(dir, 'upstreams.conf');
    const ran = join(dir, 'ran');
    writeFileSync(source, '{% assign s = "tpl-web" | service: "any" %}{% for i in s %}upstream {{ i.id }} {{ i.address }}:{{ i.port }}\n{% endfor %}mode {{ "tpl/mode" | key_or_default: "none" }}\n');
    writeFileSync(join(dir, 'agent.json'), JSON.stringify({ api_addr: apiAddr, services: [{ id: 'tpl-web-1', name: 'tpl-web', port: 7001 }], templates: [{ source, destination, command: `cat ${destination} >> ${ran}; echo --- >> ${ran}`, wait: '50ms:500ms', perms: '0600' }] }));
    const agent = await c.startAgent('tpl-host', '127.0.0.224', ['--config-dir', dir]);
    const read = (f: string): string | undefined => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
    await eventually('the first render', async () => (read(destination) === 'upstream tpl-web-1 127.0.0.224:7001\nmode none\n' ? true : undefined), 40_000).catch((err: unknown) => {
      throw new Error(`${String(err)}; the file: ${JSON.stringify(read(destination))}; the agent said: ${agent.log.filter((l) => /template|anti-entropy|server/.test(l)).slice(-12).join(' | ')}`);
    });
    expect(statSync(destination).mode & 0o777).toBe(0o600);
    // The command runs after each write, seeing the file as written (an earlier render, before the
    // agent's service reached the catalog, ran it too).
    await eventually('its command', async () => (read(ran)?.endsWith('upstream tpl-web-1 127.0.0.224:7001\nmode none\n---\n') === true ? true : undefined), 10_000);
    await c.call(c.servers[0]!, 'KV', 'Put', { key: Buffer.from('tpl/mode'), value: Buffer.from('strict') });
    await eventually('rendered again on the KV change', async () => (read(destination) === 'upstream tpl-web-1 127.0.0.224:7001\nmode strict\n' ? true : undefined), 10_000);
    await eventually('the command again', async () => (read(ran)?.endsWith('mode none\n---\nupstream tpl-web-1 127.0.0.224:7001\nmode strict\n---\n') === true ? true : undefined), 10_000);

    // An agent that starts without servers (its join target is wrong) renders nothing, then
    // catches up once it joins: the sources it could not open are opened again.
    const lateDir = join(root, 'late.d');
    mkdirSync(lateDir);
    const lateApi = `127.0.0.226:${await freePort('127.0.0.226')}`;
    const lateOut = join(lateDir, 'upstreams.conf');
    writeFileSync(join(lateDir, 'agent.json'), JSON.stringify({ api_addr: lateApi, templates: [{ source, destination: lateOut }] }));
    const late = await c.startAgent('late-host', '127.0.0.226', ['--config-dir', lateDir], ['127.0.0.226:1']);
    // A render gives up waiting for its first answers (10 s), says so, and is tried again.
    await eventually('a render that found no server', async () => (late.log.some((l) => l.includes('template: render failed')) ? true : undefined), 20_000);
    expect(read(lateOut)).toBeUndefined();
    const joined = await fetch(`http://${lateApi}/v1/agent/join/${c.servers[0]!.gossipAddr!}`, { method: 'PUT' });
    expect(joined.status).toBe(200);
    await eventually('rendered after the join', async () => (read(lateOut) === 'upstream tpl-web-1 127.0.0.224:7001\nmode strict\n' ? true : undefined), 30_000);

    // A template that names a missing file, or a bad wait, stops the agent at startup, named.
    const badDir = join(root, 'bad-templates.d');
    mkdirSync(badDir);
    const cfg = join(badDir, 'agent.json');
    writeFileSync(cfg, JSON.stringify({ api_addr: `127.0.0.225:${await freePort('127.0.0.225')}`, templates: [{ source, destination: join(badDir, 'x'), wait: 'soon' }] }));
    const badWait = await runToExit(['--name', 'bad-tpl', '--gossip-addr', `127.0.0.225:${await freePort('127.0.0.225')}`, '--config-dir', badDir]);
    expect(badWait.stderr).toContain(`roster: ${cfg}: templates[0].wait: wait must be MIN:MAX as Go durations (2s:10s, 500ms:2s), got "soon"`);
    writeFileSync(cfg, JSON.stringify({ api_addr: `127.0.0.225:${await freePort('127.0.0.225')}`, templates: [{ source: join(badDir, 'missing.liquid'), destination: join(badDir, 'x') }] }));
    const missing = await runToExit(['--name', 'bad-tpl', '--gossip-addr', `127.0.0.225:${await freePort('127.0.0.225')}`, '--config-dir', badDir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`roster: no such file: ${join(badDir, 'missing.liquid')} (check the path)`);
  }, 90_000);

  it('a bad config file: the agent exits non-zero, naming the file and the field on stderr', async () => {
    const gossip = `127.0.0.223:${await freePort('127.0.0.223')}`;
    const apiAddr = `127.0.0.223:${await freePort('127.0.0.223')}`;
    const dir = join(root, 'bad.d');
    mkdirSync(dir);
    const web = join(dir, 'web.json');
    writeFileSync(web, JSON.stringify({ api_addr: apiAddr, services: [{ name: 'web', checks: [{ ttl_ms: 1000 }, { http: 'http://127.0.0.1:1/health', interval_ms: 50 }] }] }));
    const bad = await runToExit(['--name', 'bad-host', '--gossip-addr', gossip, '--config-dir', dir]);
    expect(bad.code, bad.stderr).not.toBe(0);
    expect(bad.stderr).toContain(`roster: ${web}: services[0].checks[1].interval_ms: must be at least 100, got 50`);

    const agentJson = join(root, 'agent.json');
    writeFileSync(agentJson, JSON.stringify({ bootstrap_expect: 'three' }));
    const typed = await runToExit(['--name', 'bad-host', '--gossip-addr', gossip, '--config-file', agentJson]);
    expect(typed.code, typed.stderr).not.toBe(0);
    expect(typed.stderr).toContain(`roster: ${agentJson}: bootstrap_expect: expected an integer, got "three"`);

    // The environment is checked the same way, naming the variable.
    const env = await runToExit(['--name', 'bad-host', '--gossip-addr', gossip], { ...process.env, ROSTER_GOSSIP_PROBE_INTERVAL_MS: 'soon' });
    expect(env.code, env.stderr).not.toBe(0);
    expect(env.stderr).toContain('roster: ROSTER_GOSSIP_PROBE_INTERVAL_MS: expected an integer, got "soon"');
  }, 60_000);
});
