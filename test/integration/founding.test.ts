import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './cluster-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HOST = '127.0.0.131';

const serverArgs = async (dataDir: string, ...extra: string[]): Promise<string[]> => [
  '--import',
  'tsx',
  join(ROOT, 'src/cmd/main.ts'),
  '--server',
  '--name',
  'solo',
  '--data-dir',
  dataDir,
  '--peer-addr',
  `${HOST}:${await freePort(HOST)}`,
  '--client-addr',
  `${HOST}:${await freePort(HOST)}`,
  ...extra,
];

/** Runs a server until it prints its ready line, then stops it with SIGTERM; resolves with its output. */
function runUntilReady(args: string[]): Promise<{ ready: boolean; code: number | null; out: string }> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let ready = false;
  return new Promise((res) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (!ready && out.includes(' ready:')) {
        ready = true;
        proc.kill('SIGTERM');
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      res({ ready, code, out: `${out}\nexit ${code} ${signal}` });
    });
  });
}

/** A server with an empty data dir founds a cluster only when told to, and with whom. */
describe('founding a cluster takes an explicit flag', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'roster-found-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('an empty data dir without --initial-cluster, --bootstrap-expect or --bootstrap: refused in one line, exit 2, nothing written', async () => {
    const dir = join(tmp, 'refused');
    const r = spawnSync(process.execPath, await serverArgs(dir), { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^roster: .*holds no server yet.*--initial-cluster .*--bootstrap-expect N .*--bootstrap .*--initial-cluster-state existing/);
    expect(r.stdout).not.toContain('ready');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('--bootstrap with --initial-cluster is a usage error', async () => {
    const dir = join(tmp, 'both');
    const r = spawnSync(process.execPath, await serverArgs(dir, '--bootstrap', '--initial-cluster', `solo=${HOST}:1`), { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^roster: --bootstrap founds a single-server cluster/);
  });

  it('--bootstrap founds a single-server cluster; its data dir then restarts with no founding flag', async () => {
    const dir = join(tmp, 'solo');
    const first = await runUntilReady(await serverArgs(dir, '--bootstrap'));
    expect(first.ready, first.out).toBe(true);
    expect(first.code, first.out).toBe(0);
    expect(existsSync(join(dir, 'IDENTITY.json'))).toBe(true);
    const again = await runUntilReady(await serverArgs(dir));
    expect(again.ready, again.out).toBe(true);
  });

  it("the dev agent's own command (npm start in package.json) founds its cluster and starts", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const agentArgs = pkg.scripts.start.split('dist/cmd/main.js ')[1]!.split(' ');
    // The same flags, on this test's free ports and data dir (the standard ports may be taken).
    const moved = await Promise.all(
      agentArgs.map(async (a, i) => {
        if (agentArgs[i - 1] === '--data-dir') return join(tmp, 'dev');
        return /^127\.0\.0\.1:\d+$/.test(a) ? `${HOST}:${await freePort(HOST)}` : a;
      }),
    );
    expect(moved).toContain('--server');
    const r = await runUntilReady(['--import', 'tsx', join(ROOT, 'src/cmd/main.ts'), ...moved]);
    expect(r.ready, r.out).toBe(true);
  });

  it('a server of a several-server cluster without TLS refuses to start unless --insecure-peers says so', async () => {
    const r = spawnSync(process.execPath, await serverArgs(join(tmp, 'plain'), '--initial-cluster-state', 'existing'), { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['roster: a cluster of several servers needs TLS on the peer port (ca_file, cert_file and key_file: see "Securing a cluster" in the README), or --insecure-peers for a dev cluster on a trusted network']);
  });

  it('--initial-cluster-state existing (joining) needs no founding flag', async () => {
    const dir = join(tmp, 'joiner');
    const r = await runUntilReady(await serverArgs(dir, '--initial-cluster-state', 'existing', '--insecure-peers'));
    expect(r.ready, r.out).toBe(true);
  });
});

