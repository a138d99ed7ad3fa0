import { randomBytes } from 'node:crypto';
/**
 * The two systems under test, each a 3-server cluster on loopback, started and stopped by PID:
 * Roster (this checkout) and etcd 3.4 (Debian's etcd-server) with fsync on, heartbeat 100 ms,
 * election 1000 ms. Each gets its own 127.x.y.z range so they never share an address.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Etcd3 } from 'etcd3';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Server {
  readonly name: string;
  readonly client: string;
  readonly args: readonly string[];
  readonly command: string;
  proc: ChildProcess | undefined;
}

export interface Cluster {
  readonly system: 'roster' | 'etcd';
  readonly servers: Server[];
  start(s: Server): Promise<void>;
  kill9(s: Server): void;
  leader(): Promise<Server>;
  rssMiB(): number[];
  stop(): Promise<void>;
}

function waitForOutput(proc: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`${what} not ready in ${timeoutMs}ms: ${buf.slice(-500)}`)), timeoutMs);
    const on = (d: Buffer): void => {
      buf = (buf + d.toString()).slice(-4000);
      if (pattern.test(buf)) {
        clearTimeout(timer);
        res();
      }
    };
    proc.stdout?.on('data', on);
    proc.stderr?.on('data', on);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${what} exited with ${code}: ${buf.slice(-500)}`));
    });
  });
}

function makeCluster(system: 'roster' | 'etcd', dir: string, servers: Server[], ready: RegExp): Cluster {
  const c: Cluster = {
    system,
    servers,
    async start(s) {
      const proc = spawn(s.command, s.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      s.proc = proc;
      proc.once('exit', () => {
        if (s.proc === proc) s.proc = undefined;
      });
      await waitForOutput(proc, ready, `${system} ${s.name}`);
      // Keep draining output so a chatty server never blocks on a full pipe.
      proc.stdout?.resume();
      proc.stderr?.resume();
    },
    kill9(s) {
      s.proc?.kill('SIGKILL');
      s.proc = undefined;
    },
    async leader() {
      for (let i = 0; i < 200; i++) {
        for (const s of servers.filter((x) => x.proc !== undefined)) {
          const client = new Etcd3({ hosts: [s.client], dialTimeout: 500 });
          try {
            const st = await client.maintenance.status();
            if (st.leader !== '0' && st.leader === st.header.member_id) return s;
          } catch {
            // not up yet
          } finally {
            client.close();
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${system}: no leader`);
    },
    rssMiB() {
      return servers.map((s) => {
        if (s.proc?.pid === undefined) return 0;
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${s.proc.pid}/status`, 'utf8'));
        return m === null ? 0 : Math.round(Number(m[1]) / 1024);
      });
    },
    async stop() {
      await Promise.all(
        servers.map(async (s) => {
          const p = s.proc;
          if (p === undefined) return;
          const gone = new Promise<void>((r) => p.once('exit', () => r()));
          p.kill('SIGKILL');
          await gone;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return c;
}

export async function startRoster(base: string): Promise<Cluster> {
  const dir = join(base, 'roster');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hosts = [1, 2, 3].map((i) => `127.0.10.${i}`);
  const initial = hosts.map((h, i) => `n${i + 1}=${h}:8300`).join(',');
  const token = randomBytes(8).toString('hex');
  const servers: Server[] = hosts.map((h, i) => ({
    name: `n${i + 1}`,
    client: `${h}:8502`,
    command: process.execPath,
    // The compiled server (npm run build), as deployed: tsx's loader thread would add memory.
    // --expose-gc lets the watch bench ask a server to collect before it reads the live heap.
    args: ['--max-semi-space-size=4', '--expose-gc', join(ROOT, 'dist/cmd/main.js'), '--server', '--name', `n${i + 1}`, '--data-dir', join(dir, `n${i + 1}`), '--peer-addr', `${h}:8300`, '--client-addr', `${h}:8502`, '--initial-cluster', initial, '--initial-cluster-token', token, '--insecure-peers', '--log-level', 'warn'],
    proc: undefined,
  }));
  const c = makeCluster('roster', dir, servers, / ready:/);
  await Promise.all(servers.map((s) => c.start(s)));
  await c.leader();
  return c;
}

export function etcdAvailable(): boolean {
  return spawnSync('etcd', ['--version']).status === 0;
}

export async function startEtcd(base: string): Promise<Cluster> {
  const dir = join(base, 'etcd');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hosts = [1, 2, 3].map((i) => `127.0.20.${i}`);
  const initial = hosts.map((h, i) => `e${i + 1}=http://${h}:2380`).join(',');
  const servers: Server[] = hosts.map((h, i) => ({
    name: `e${i + 1}`,
    client: `${h}:2379`,
    command: 'etcd',
    args: [
      '--name',
      `e${i + 1}`,
      '--data-dir',
      join(dir, `e${i + 1}`),
      '--listen-client-urls',
      `http://${h}:2379`,
      '--advertise-client-urls',
      `http://${h}:2379`,
      '--listen-peer-urls',
      `http://${h}:2380`,
      '--initial-advertise-peer-urls',
      `http://${h}:2380`,
      '--initial-cluster',
      initial,
      '--initial-cluster-state',
      'new',
      '--heartbeat-interval',
      '100',
      '--election-timeout',
      '1000',
      '--log-level',
      'info',
      '--logger',
      'zap',
    ],
    proc: undefined,
  }));
  const c = makeCluster('etcd', dir, servers, /serving client traffic insecurely|ready to serve client requests/);
  await Promise.all(servers.map((s) => c.start(s)));
  await c.leader();
  return c;
}
