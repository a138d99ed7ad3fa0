import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from './cluster-harness.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

/** The roster CLI's data commands against a 3-server cluster (any server answers). */
describe('roster CLI: kv, services, catalog, health, lease', () => {
  let c: TestCluster;
  let endpoint: string;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 160 });
    endpoint = c.servers[1]!.clientAddr;
  });
  afterAll(async () => {
    await c?.destroy();
  });

  const roster = (...args: string[]): { code: number; out: string; err: string } => {
    const r = spawnSync(process.execPath, [ROSTER, ...args, '--endpoint', endpoint], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
  };

  it('kv put, get (one key, a prefix, JSON), del', () => {
    expect(roster('kv', 'put', 'cfg/a', '1').out).toBe('OK');
    expect(roster('kv', 'put', 'cfg/b', 'two words').out).toBe('OK');
    expect(roster('kv', 'get', 'cfg/a').out.split('\n')[1]).toMatch(/^cfg\/a\s+1\s+\d+$/);
    const json = JSON.parse(roster('kv', 'get', 'cfg/', '--prefix', '--format', 'json').out) as { key: string; value: string }[];
    expect(json.map((x) => `${x.key}=${x.value}`)).toEqual(['cfg/a=1', 'cfg/b=two words']);
    expect(roster('kv', 'del', 'cfg/', '--prefix').out).toBe('deleted 2');
    const missing = roster('kv', 'get', 'cfg/a');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('roster: key not found: cfg/a');
  });

  it('services register, catalog services and nodes, health, services deregister', () => {
    expect(roster('services', 'register', 'billing', '--port', '9000', '--node', 'host-7', '--node-address', '10.1.0.7', '--tags', 'v2,grpc').out).toBe('registered billing-host-7 on node host-7');
    expect(roster('catalog', 'services').out).toMatch(/^SERVICE\s+TAGS\s+INSTANCES\s+PASSING\nbilling\s+grpc,v2\s+1\s+1$/m);
    expect(roster('catalog', 'nodes').out).toMatch(/host-7\s+10\.1\.0\.7\s+dc1/);
    expect(roster('health', 'billing').out.split('\n')[1]).toMatch(/^billing-host-7\s+host-7\s+10\.1\.0\.7\s+9000\s+passing$/);
    expect(roster('services', 'deregister', 'billing-host-7', '--node', 'host-7').out).toBe('deregistered billing-host-7 from node host-7');
    expect(roster('health', 'billing').out.split('\n')).toHaveLength(1);
  });

  it('lease grant, list, revoke', () => {
    const id = /^lease (\d+) granted with TTL 30s$/.exec(roster('lease', 'grant', '30').out)?.[1];
    expect(id).toBeDefined();
    expect(roster('lease', 'list').out.split('\n')).toContain(id);
    expect(roster('lease', 'revoke', id!).out).toBe(`lease ${id} revoked`);
    expect(roster('lease', 'list').out.split('\n')).not.toContain(id);
  });

  it('kv watch prints each change as it happens, then stops after --count', async () => {
    const watch = spawn(process.execPath, [ROSTER, 'kv', 'watch', 'w/', '--prefix', '--count', '2', '--endpoint', endpoint]);
    let out = '';
    watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((r) => watch.once('exit', (code) => r(code ?? -1)));
    try {
      // The watch is in place once a put shows up; keep writing until it does.
      for (let i = 0; i < 100 && !out.includes('PUT'); i++) {
        roster('kv', 'put', 'w/x', String(i));
        await new Promise((r) => setTimeout(r, 100));
      }
      roster('kv', 'del', 'w/x');
      expect(await exited).toBe(0);
      expect(out.trim().split('\n')).toHaveLength(2);
      expect(out).toMatch(/^PUT w\/x \d+\n/);
    } finally {
      watch.kill();
    }
  });

  it('bad input: one line on stderr and a non-zero exit', () => {
    for (const args of [['kv', 'put', 'only-key'], ['services', 'register', 'x'], ['lease', 'grant', 'soon'], ['kv', 'get', 'a', '--port', '1'], ['catalog', 'everything']]) {
      const r = roster(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err.split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
