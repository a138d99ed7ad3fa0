import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RosterClient } from '../../src/client/index.js';
import { startTestRegistry, type TestRegistry } from '../../src/testing/index.js';
import { eventually, freePort } from './cluster-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Whether something accepts connections at host:port. */
function listening(addr: string): Promise<boolean> {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  return new Promise((res) => {
    const s = createConnection({ host, port }, () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

/** startTestRegistry (`roster/testing`): a real registry inside the test's own process. */
describe('the embedded test registry', () => {
  const started: TestRegistry[] = [];
  afterAll(async () => {
    for (const r of started) await r.stop();
  });

  it('starts in this process in well under a second, leading, and the SDK registers, discovers and writes through it', async () => {
    const t0 = performance.now();
    const registry = await startTestRegistry();
    const startedMs = performance.now() - t0;
    started.push(registry);
    console.log(`startTestRegistry: serving writes ${startedMs.toFixed(0)} ms after the call`);
    // The first in a process also loads the .proto files (later ones take 0.2-0.4 s).
    expect(startedMs).toBeLessThan(1000);
    const client = new RosterClient({ endpoints: [...registry.endpoints], node: { name: 'app-host', address: '127.0.0.1' } });
    try {
      const reg = await client.register({ name: 'orders', id: 'orders-1', port: 9100, tags: ['v1'] }, { ttlMs: 5000 });
      const found = await client.instances('orders', { passingOnly: true });
      expect(found.map((i) => `${i.node}/${i.id}:${i.port}:${i.status}`)).toEqual(['app-host/orders-1:9100:passing']);
      await reg.stop();
      expect(await client.instances('orders')).toEqual([]);
    } finally {
      client.close();
    }
    // Its agent port answers Consul's HTTP API too.
    const res = await fetch(`http://${registry.agentAddr}/v1/kv/cfg/flag`, { method: 'PUT', body: 'on' });
    expect(await res.text()).toBe('true');
    const got = (await (await fetch(`http://${registry.agentAddr}/v1/kv/cfg/flag`)).json()) as { Value: string }[];
    expect(Buffer.from(got[0]!.Value, 'base64').toString()).toBe('on');
  });

  it('two registries in one process are separate; stop closes the ports and removes the store', async () => {
    const [a, b] = await Promise.all([startTestRegistry({ name: 'a' }), startTestRegistry({ name: 'b' })]);
    const ca = new RosterClient({ endpoints: [...a.endpoints], node: { name: 'h', address: '127.0.0.1' } });
    const cb = new RosterClient({ endpoints: [...b.endpoints], node: { name: 'h', address: '127.0.0.1' } });
    try {
      await ca.register({ name: 'only-in-a', port: 1 }, { ttlMs: 5000 });
      expect(await ca.instances('only-in-a')).toHaveLength(1);
      expect(await cb.instances('only-in-a')).toEqual([]);
    } finally {
      ca.close();
      cb.close();
    }
    await b.stop();
    expect(await listening(b.clientAddr)).toBe(false);
    expect(await listening(b.agentAddr)).toBe(false);
    expect(existsSync(b.dataDir)).toBe(false);
    expect(await listening(a.clientAddr)).toBe(true);
    await a.stop();
  });

  it("the greeter example runs against it: its instance is discovered, and leaves when the example stops", async () => {
    const registry = await startTestRegistry();
    started.push(registry);
    const port = await freePort('127.0.0.1');
    const example = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'examples/greeter-service.ts'), '--port', String(port), '--roster', registry.clientAddr], { stdio: 'ignore' });
    const client = new RosterClient({ endpoints: [...registry.endpoints], node: { name: 'caller', address: '127.0.0.1' } });
    try {
      const found = await eventually('the greeter registered', async () => {
        const list = await client.instances('greeter', { passingOnly: true });
        return list.length === 1 ? list : undefined;
      }, 20_000);
      expect(found[0]).toMatchObject({ id: `greeter-${port}`, port, tags: ['http'] });
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`hello from greeter-${port}\n`);
      example.kill('SIGTERM');
      await eventually('the greeter deregistered', async () => ((await client.instances('greeter')).length === 0 ? true : undefined), 10_000);
    } finally {
      if (example.exitCode === null) example.kill('SIGKILL');
      client.close();
    }
  });
});
