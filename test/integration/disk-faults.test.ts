import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';
import { dropUnsyncedWrites } from './power-loss.js';

interface RangeRes {
  kvs: { key: Buffer; value: Buffer }[];
}
interface GrpcErr {
  code: number;
  details: string;
}
const UNAVAILABLE = 14;

async function failpoint(s: ServerProc, name: string, action: string | undefined): Promise<void> {
  const res = await fetch(`http://${s.httpAddr!}/debug/failpoints/${name}`, { method: action === undefined ? 'DELETE' : 'PUT', body: action });
  expect(res.status, await res.text()).toBe(200);
}

async function health(s: ServerProc): Promise<{ status: number; reason?: string }> {
  const res = await fetch(`http://${s.httpAddr!}/health`);
  const body = (await res.json()) as { reason?: string };
  return { status: res.status, ...(body.reason === undefined ? {} : { reason: body.reason }) };
}

/** One sample of a Prometheus metric (0 when absent), e.g. `roster_disk_failures_total{op="persist",code="EIO"}`. */
async function metric(s: ServerProc, series: string): Promise<number> {
  const text = await (await fetch(`http://${s.httpAddr!}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

function put(c: TestCluster, s: ServerProc, key: string, timeoutMs = 3000): Promise<unknown> {
  return c.call(s, 'KV', 'Put', { key: enc(key), value: enc(`v-${key}`) }, { timeoutMs });
}

/** Every key under `prefix` as `s` sees it (a linearizable read). */
async function keys(c: TestCluster, s: ServerProc, prefix: string): Promise<Set<string>> {
  const end = enc(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1));
  const r = await c.call<RangeRes>(s, 'KV', 'Range', { key: enc(prefix), rangeEnd: end }, { timeoutMs: 5000 });
  for (const kv of r.kvs) expect(dec(kv.value)).toBe(`v-${dec(kv.key)}`);
  return new Set(r.kvs.map((kv) => dec(kv.key)));
}

/** Writes `prefix`0..n-1 to `s`, `inFlight` at a time; returns the keys acknowledged. */
async function writeMany(c: TestCluster, s: ServerProc, prefix: string, n: number, inFlight: number, until = Infinity): Promise<{ acked: string[]; failed: number }> {
  const acked: string[] = [];
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n && Date.now() < until) {
        const key = `${prefix}${String(next++).padStart(5, '0')}`;
        try {
          await put(c, s, key, 5000);
          acked.push(key);
        } catch {
          failed++;
        }
      }
    }),
  );
  return { acked, failed };
}

async function expectAllPresent(c: TestCluster, prefix: string, acked: readonly string[]): Promise<void> {
  for (const s of c.running()) {
    const seen = await eventually(`${s.name} serves a linearizable read`, () => keys(c, s, prefix));
    expect(acked.filter((k) => !seen.has(k)), `acknowledged keys missing on ${s.name}`).toEqual([]);
  }
}

const FAILPOINTS_HTTP = { ROSTER_FAILPOINTS: '', ROSTER_FAILPOINTS_HTTP: '1' };

describe('disk faults (failpoints in real server processes)', () => {
  let c: TestCluster;
  const acked: string[] = [];
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 190, http: true, env: FAILPOINTS_HTTP });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it("EIO on the leader's log write: it stops taking writes with a clear error, /health and a metric, another leads, and it recovers once the disk does", async () => {
    const l = await c.waitForLeader();
    const before = await writeMany(c, l, 'a/', 30, 4);
    expect(before.failed).toBe(0);
    acked.push(...before.acked);
    await failpoint(l, 'raft-log-write', 'eio');
    // The write that meets the fault is never acknowledged (it may commit on the others).
    await expect(put(c, l, 'a/meets-the-fault', 2000)).rejects.toBeDefined();
    const refused = await eventually<GrpcErr>('the leader refuses writes', async () => put(c, l, 'a/refused').then(() => undefined, (e: unknown) => e as GrpcErr));
    expect(refused.code).toBe(UNAVAILABLE);
    expect(refused.details).toBe('this server cannot write its raft log: EIO (i/o error); it refuses writes and retries until the disk accepts them');
    expect(await health(l)).toEqual({ status: 503, reason: refused.details });
    expect(await metric(l, 'roster_disk_failures_total{op="persist",code="EIO"}')).toBeGreaterThan(0);
    expect(await metric(l, 'roster_disk_failing')).toBe(1);
    // It no longer heartbeats: the other two elect a leader and take writes.
    const others = c.running().filter((s) => s !== l);
    const next = await c.waitForLeader(15_000, others);
    expect(next).not.toBe(l);
    const during = await writeMany(c, next, 'a/during-', 20, 4);
    expect(during.failed).toBe(0);
    acked.push(...during.acked);
    // The disk comes back: the same write lands, and it follows the new leader.
    await failpoint(l, 'raft-log-write', undefined);
    await eventually('the old leader is healthy again', async () => ((await health(l)).status === 200 ? true : undefined), 15_000);
    expect(await metric(l, 'roster_disk_failing')).toBe(0);
    await put(c, l, 'a/after-recovery');
    acked.push('a/after-recovery');
    await expectAllPresent(c, 'a/', acked);
  });

  it('ENOSPC on a follower: it refuses writes saying the disk is full, the cluster goes on, and it catches up once space comes back', async () => {
    const l = await c.waitForLeader();
    const f = c.running().find((s) => s !== l)!;
    await failpoint(f, 'raft-log-write', 'enospc');
    // The leader's next appends reach it: its write fails and it knows.
    const meanwhile = await writeMany(c, l, 'a/full-', 20, 4);
    expect(meanwhile.failed).toBe(0);
    acked.push(...meanwhile.acked);
    const refused = await eventually<GrpcErr>('the follower refuses writes', async () => put(c, f, 'a/refused-full').then(() => undefined, (e: unknown) => e as GrpcErr));
    expect(refused.code).toBe(UNAVAILABLE);
    expect(refused.details).toMatch(/cannot write its raft log: ENOSPC \(no space left on device\)/);
    expect((await health(f)).reason).toMatch(/ENOSPC/);
    expect(await metric(f, 'roster_disk_failures_total{op="persist",code="ENOSPC"}')).toBeGreaterThan(0);
    expect((await c.waitForLeader()).name).toBe(l.name);
    await failpoint(f, 'raft-log-write', undefined);
    await eventually('the follower is healthy again', async () => ((await health(f)).status === 200 ? true : undefined), 15_000);
    await expectAllPresent(c, 'a/', acked);
  });

  it("a 1.5 s fsync stall on the leader: it keeps heartbeating, no election, and no acknowledged write is lost", async () => {
    const l = await c.waitForLeader();
    const terms = await Promise.all(c.running().map(async (s) => (await c.status(s)).term));
    const changes = await Promise.all(c.running().map((s) => metric(s, 'roster_raft_leader_changes_total')));
    const slowBefore = (await metric(l, 'roster_raft_persist_seconds_count{synced="true"}')) - (await metric(l, 'roster_raft_persist_seconds_bucket{le="1",synced="true"}'));
    await failpoint(l, 'raft-fsync', 'sleep(1500)');
    const stalled = await writeMany(c, l, 's/', 1000, 4, Date.now() + 7000);
    await failpoint(l, 'raft-fsync', undefined);
    // The stall was real: fsyncs over 1 s on the leader, and writes still acknowledged through it.
    const slow = (await metric(l, 'roster_raft_persist_seconds_count{synced="true"}')) - (await metric(l, 'roster_raft_persist_seconds_bucket{le="1",synced="true"}')) - slowBefore;
    expect(slow).toBeGreaterThanOrEqual(3);
    expect(stalled.acked.length).toBeGreaterThan(0);
    expect(stalled.failed).toBe(0);
    expect((await c.waitForLeader()).name).toBe(l.name);
    expect(await Promise.all(c.running().map(async (s) => (await c.status(s)).term))).toEqual(terms);
    expect(await Promise.all(c.running().map((s) => metric(s, 'roster_raft_leader_changes_total')))).toEqual(changes);
    await expectAllPresent(c, 's/', stalled.acked);
  });
});

describe('power loss (unsynced writes dropped at the storage layer, then restart)', () => {
  /** Writes under load, cuts the power of all three servers at once, and restarts them. */
  async function powerLossRun(hostBase: number, failpoints: string): Promise<{ acked: string[]; missing: string[]; dropped: number }> {
    const c = await TestCluster.start({ servers: 3, hostBase, env: { ROSTER_FAILPOINTS: failpoints } });
    try {
      const l = await c.waitForLeader();
      const first = await writeMany(c, l, 'p/', 200, 8);
      expect(first.failed).toBe(0);
      // The power goes while more writes are in flight.
      const load = writeMany(c, l, 'p/late-', 1000, 8);
      await eventually('some late writes acknowledged', async () => ((await keys(c, l, 'p/late-')).size >= 20 ? true : undefined));
      for (const s of [...c.servers]) c.kill9(s);
      const late = await load;
      let dropped = 0;
      for (const s of c.servers) dropped += dropUnsyncedWrites(s.dataDir);
      await Promise.all(c.servers.map((s) => c.launch(s, 'new')));
      await c.waitForLeader();
      const acked = [...first.acked, ...late.acked];
      const s = c.servers[0]!;
      const seen = new Set([...(await eventually('a read after the restart', () => keys(c, s, 'p/'))), ...(await keys(c, s, 'p/late-'))]);
      return { acked, missing: acked.filter((k) => !seen.has(k)), dropped };
    } finally {
      await c.destroy();
    }
  }

  it('loses no acknowledged write: each was fsynced on a majority before its answer', async () => {
    const run = await powerLossRun(194, 'unsynced-writes=drop');
    expect(run.acked.length).toBeGreaterThanOrEqual(220);
    // Something unsynced was there to lose (the state database's writes): the emulation bites.
    expect(run.dropped).toBeGreaterThan(0);
    expect(run.missing).toEqual([]);
  });

  it('catches a planted bug that acknowledges before fsync (raft-fsync=skip)', async () => {
    const run = await powerLossRun(197, 'unsynced-writes=drop;raft-fsync=skip');
    expect(run.acked.length).toBeGreaterThanOrEqual(220);
    expect(run.missing.length).toBeGreaterThan(0);
  });
});
