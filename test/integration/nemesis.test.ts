import * as grpc from '@grpc/grpc-js';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from './cluster-harness.js';
import { Partitioner } from '../nemesis/partition.js';
import { runNemesisTest } from '../nemesis/run.js';

// The short runs of `npm run test:nemesis` (the long ones are a script: see README, Fault injection).
const canPartition = Partitioner.available();

describe('nemesis partitions on loopback', () => {
  let c: TestCluster | undefined;
  let p: Partitioner | undefined;
  beforeAll(async () => {
    if (!canPartition.ok) return;
    c = await TestCluster.start({ servers: 3, hostBase: 250, uidBase: 47_100 });
    p = new Partitioner(c.servers);
  });
  afterAll(async () => {
    p?.cleanup();
    await c?.destroy();
  });

  it('cut an isolated leader off: the majority elects another, the old one refuses linearizable reads; healing rejoins it', async () => {
    if (!canPartition.ok) {
      // Without root there are no per-member uids nor iptables: the runner says so and runs kill and pause only.
      expect(process.getuid?.()).not.toBe(0);
      expect(canPartition.why).toContain('root');
      return;
    }
    const cluster = c!;
    const old = await cluster.waitForLeader();
    const rest = cluster.servers.filter((s) => s !== old);
    p!.partition([[old], rest]);
    try {
      const fresh = await cluster.waitForLeader(20_000, rest);
      expect(fresh).not.toBe(old);
      await cluster.call(fresh, 'KV', 'Put', { key: Buffer.from('p'), value: Buffer.from('majority') });
      await expect(cluster.call(old, 'KV', 'Range', { key: Buffer.from('p') }, { timeoutMs: 5000 })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      p!.heal();
    }
    await cluster.waitForLeader(20_000);
    const r = await cluster.call<{ kvs: { value: Buffer }[] }>(old, 'KV', 'Range', { key: Buffer.from('p') });
    expect(r.kvs.map((kv) => Buffer.from(kv.value).toString())).toEqual(['majority']);
  });
});

describe('npm run test:nemesis, short', () => {
  it('a 25 s run on 3 servers with kills, pauses and partitions is linearizable', async () => {
    const lines: string[] = [];
    const r = await runNemesisTest({ servers: 3, seconds: 25, reads: 'linearizable', hostBase: 250, uidBase: 47_200, log: (l) => lines.push(l) });
    console.log(r.summary);
    expect(r.check.verdict, `${r.summary}\n${lines.join('\n')}`).toBe('linearizable');
    expect(r.faults.length).toBeGreaterThanOrEqual(3);
    expect(r.history.filter((o) => o.kind === 'put' && o.outcome === 'ok').length).toBeGreaterThan(100);
    expect(r.history.filter((o) => o.kind === 'get' && o.outcome === 'ok').length).toBeGreaterThan(100);
  }, 180_000);

  it('flags serializable reads under partitions (the negative control)', async () => {
    if (!canPartition.ok) {
      expect(canPartition.why).toContain('root');
      return;
    }
    const r = await runNemesisTest({ servers: 3, seconds: 10, reads: 'serializable', faults: ['isolate'], hostBase: 250, uidBase: 47_300, log: () => undefined });
    console.log(r.summary);
    expect(r.check.verdict).toBe('not-linearizable');
    expect(r.faults.map((f) => f.kind)).toContain('isolate');
    expect(r.check.failures[0]!.stuck.kind).toBe('get');
    expect(r.historyFile).toBeDefined();
    rmSync(r.historyFile!, { force: true });
  }, 120_000);
});
