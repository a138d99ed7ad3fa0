import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegistry, type TestRegistry } from '../../src/testing/index.js';
import { eventually, freePort } from './cluster-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ROSTER = join(ROOT, 'bin/roster.mjs');
const TEMPLATE = join(ROOT, 'examples/haproxy/haproxy.cfg.liquid');
/** The backends' HTTP check interval, and roster template's --wait. */
const CHECK_INTERVAL_MS = 1000;
const WAIT = { minMs: 200, maxMs: 1000 };

/** A backend: answers with its name; its health endpoint fails while `healthy` is false. */
interface Backend {
  readonly name: string;
  readonly port: number;
  healthy: boolean;
  readonly server: Server;
}

async function backend(name: string): Promise<Backend> {
  const port = await freePort('127.0.0.1');
  const b: Backend = {
    name,
    port,
    healthy: true,
    server: createServer((req, res) => {
      if (req.url === '/health') res.writeHead(b.healthy ? 200 : 500).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
    }),
  };
  await new Promise<void>((r) => b.server.listen(port, '127.0.0.1', () => r()));
  return b;
}

/** One request through HAProxy on a new connection: the backend's name, or why it failed. */
function get(port: number): Promise<{ ok: true; from: string } | { ok: false; why: string }> {
  return new Promise((res) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000 }, (r) => {
      let body = '';
      r.on('data', (d: Buffer) => (body += d.toString()));
      r.on('end', () => res(r.statusCode === 200 ? { ok: true, from: body } : { ok: false, why: `HTTP ${r.statusCode}: ${body.slice(0, 80)}` }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => res({ ok: false, why: err.message }));
    req.end();
  });
}

/**
 * examples/haproxy: a real HAProxy (Debian's, installed by .ci/run) whose backends roster template
 * keeps equal to the healthy instances, reloaded in master-worker mode on each change, under a
 * steady stream of requests.
 */
describe('roster template keeps HAProxy in line with the registry', () => {
  let registry: TestRegistry;
  const dir = mkdtempSync(join(tmpdir(), 'roster-haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  const backends: Backend[] = [];
  const procs: ChildProcess[] = [];
  let frontPort = 0;

  const register = (b: Backend): Promise<Response> =>
    fetch(`http://${registry.agentAddr}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ Name: 'web', ID: b.name, Address: '127.0.0.1', Port: b.port, Check: { HTTP: `http://127.0.0.1:${b.port}/health`, Interval: `${CHECK_INTERVAL_MS}ms` } }),
    });
  const template = (...extra: string[]): ChildProcess => {
    const p = spawn(process.execPath, [ROSTER, 'template', TEMPLATE, cfg, '--endpoint', registry.clientAddr, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    const version = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
    if (version.error !== undefined) throw new Error(`haproxy could not run (apt-get install haproxy; .ci/run does): ${version.error.message}`);
    registry = await startTestRegistry();
    frontPort = await freePort('127.0.0.1');
    for (const [k, v] of [['haproxy/services', 'web'], [`haproxy/port/web`, String(frontPort)], ['haproxy/stats-socket', join(dir, 'haproxy.sock')]]) {
      expect((await fetch(`http://${registry.agentAddr}/v1/kv/${k}`, { method: 'PUT', body: v })).status).toBe(200);
    }
    backends.push(await backend('b1'), await backend('b2'));
    for (const b of backends) expect((await register(b)).status).toBe(200);
  });
  afterAll(async () => {
    for (const p of procs.reverse()) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const b of backends) b.server.close();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a failed backend stops receiving traffic within interval + wait + 1 s, a new one starts, and no request fails across the reloads', async () => {
    // The first configuration, once both backends pass their checks.
    await eventually('both backends passing', async () => {
      const r = (await (await fetch(`http://${registry.agentAddr}/v1/health/service/web?passing`)).json()) as unknown[];
      return r.length === 2 ? true : undefined;
    }, 20_000);
    const once = spawn(process.execPath, [ROSTER, 'template', TEMPLATE, cfg, '--once', '--endpoint', registry.clientAddr], { stdio: 'ignore' });
    expect(await new Promise<number | null>((r) => once.once('exit', r))).toBe(0);
    expect(readFileSync(cfg, 'utf8')).toMatch(/server test_b1 127\.0\.0\.1:\d+\n {2}server test_b2 127\.0\.0\.1:\d+\n/);
    const check = spawnSync('haproxy', ['-c', '-f', cfg], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const haproxy = spawn('haproxy', ['-W', '-db', '-f', cfg], { stdio: 'ignore' });
    procs.push(haproxy);
    await eventually('HAProxy serving', async () => ((await get(frontPort)).ok ? true : undefined), 10_000, 50);
    // From here the template follows the registry and reloads HAProxy on each change.
    const follower = template('--wait', `${WAIT.minMs}ms:${WAIT.maxMs}ms`, '--exec', `kill -USR2 ${haproxy.pid}`);
    let followerLog = '';
    follower.stderr!.on('data', (d: Buffer) => (followerLog += d.toString()));

    // A steady stream of requests, each on a new connection, for the whole test (bounded).
    const seen: { at: number; from?: string; why?: string }[] = [];
    let streaming = true;
    const stream = (async () => {
      const until = Date.now() + 60_000;
      while (streaming && Date.now() < until) {
        const at = Date.now();
        const r = await get(frontPort);
        seen.push(r.ok ? { at, from: r.from } : { at, why: r.why });
        await new Promise((res) => setTimeout(res, 10));
      }
    })();
    const bound = CHECK_INTERVAL_MS + WAIT.maxMs + 1000;
    try {
      await eventually('traffic to both backends', async () => (new Set(seen.filter((s) => s.from !== undefined).map((s) => s.from)).size === 2 ? true : undefined), 10_000, 50);

      // b1's check fails: it leaves HAProxy's backend.
      const failedAt = Date.now();
      backends[0]!.healthy = false;
      await eventually('no more traffic to b1', async () => {
        const last = seen.filter((s) => s.from === 'b1').at(-1);
        return last !== undefined && Date.now() - last.at > 1000 ? true : undefined;
      }, 15_000, 50);
      const lastToB1 = seen.filter((s) => s.from === 'b1').at(-1)!.at;
      const stoppedMs = lastToB1 - failedAt;

      // A new instance b3 is registered: it starts receiving traffic.
      const b3 = await backend('b3');
      backends.push(b3);
      const addedAt = Date.now();
      expect((await register(b3)).status).toBe(200);
      await eventually('traffic to b3', async () => (seen.some((s) => s.from === 'b3') ? true : undefined), 15_000, 50);
      const startedMs = seen.find((s) => s.from === 'b3')!.at - addedAt;
      // Some more traffic after the last reload.
      const after = seen.length;
      await eventually('requests after the last reload', async () => (seen.length > after + 50 ? true : undefined), 10_000, 50);
      streaming = false;
      await stream;

      const failures = seen.filter((s) => s.why !== undefined);
      const reloads = (followerLog.match(/template: rendered/g) ?? []).length;
      console.log(`haproxy example: ${seen.length} requests, ${failures.length} failed, ${reloads} reloads; b1 out ${stoppedMs} ms after its check failed, b3 in ${startedMs} ms after it was registered (bound ${bound} ms: interval ${CHECK_INTERVAL_MS} + wait max ${WAIT.maxMs} + 1000)`);
      expect(failures, JSON.stringify(failures.slice(0, 5))).toEqual([]);
      expect(reloads).toBeGreaterThanOrEqual(2);
      expect(stoppedMs).toBeLessThan(bound);
      expect(startedMs).toBeLessThan(bound);
      expect(readFileSync(cfg, 'utf8')).not.toContain('test_b1 ');
      expect(readFileSync(cfg, 'utf8')).toContain('test_b3 ');
    } finally {
      streaming = false;
      await stream;
    }
  }, 120_000);
});
