import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

const health = async (s: ServerProc): Promise<{ status: number; body: { status: string; reason?: string; role: string } }> => {
  const res = await fetch(`http://${s.httpAddr!}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string; role: string } };
};

/** Every `roster_raft_follower_lag_entries{peer="..."}` series in one server's /metrics. */
const followerLag = async (s: ServerProc): Promise<Record<string, number>> => {
  const text = await (await fetch(`http://${s.httpAddr!}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^roster_raft_follower_lag_entries\{peer="([^"]+)"\} (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
};

/** Operating a three-server cluster: health, replication lag, and a leader stopped with SIGTERM. */
describe('graceful operations', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 150, http: true });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('/health is 200 on every server of a healthy cluster', async () => {
    await c.waitForLeader();
    for (const s of c.servers) {
      const h = await eventually(`${s.name} healthy`, async () => {
        const r = await health(s);
        return r.status === 200 ? r : undefined;
      });
      expect(h.body.status).toBe('ok');
      expect(h.body.reason).toBeUndefined();
    }
  });

  it("the leader's metrics show each follower's lag in entries (peer label), growing while one is paused and back to 0 after", async () => {
    const leader = await c.waitForLeader();
    const [f1, f2] = c.servers.filter((s) => s !== leader) as [ServerProc, ServerProc];
    await c.call(leader, 'KV', 'Put', { key: enc('lag/0'), value: enc('x') });
    const initial = await eventually('both followers caught up', async () => {
      const lag = await followerLag(leader);
      return lag[f1.name] === 0 && lag[f2.name] === 0 ? lag : undefined;
    });
    expect(Object.keys(initial).sort()).toEqual([f1.name, f2.name].sort());
    expect(await followerLag(f1)).toEqual({}); // only the leader knows
    c.pause(f1);
    try {
      for (let i = 1; i <= 40; i++) await c.call(leader, 'KV', 'Put', { key: enc(`lag/${i}`), value: enc('x') });
      const behind = await followerLag(leader);
      expect(behind[f1.name]).toBeGreaterThanOrEqual(40);
      expect(behind[f2.name]).toBeLessThan(40);
    } finally {
      c.resume(f1);
    }
    await eventually('the paused follower caught up', async () => ((await followerLag(leader))[f1.name] === 0 ? true : undefined));
  });

  it('a leader stopped with SIGTERM hands leadership to a caught-up voter before it exits: one term, no election', async () => {
    const old = await c.waitForLeader();
    const term = (await c.status(old)).term;
    const others = c.servers.filter((s) => s !== old);
    const proc = old.proc!;
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    // Writes through a follower while the leader stops (each waits for the one before).
    let writing = true;
    const results: string[] = [];
    const writer = (async () => {
      for (let i = 0; writing && i < 500; i++) {
        const r = await c.call(others[0]!, 'KV', 'Put', { key: enc(`handoff/${i}`), value: enc('x') }, { timeoutMs: 3000 }).then(
          () => 'ok',
          (err: unknown) => String(err),
        );
        results.push(r);
      }
    })();
    await eventually('some writes before the stop', async () => (results.length >= 3 ? true : undefined));
    const logFrom = new Map(others.map((s) => [s.name, s.log.length]));
    const signalled = Date.now();
    await c.stop(old);
    expect(await exited).toBe(0);
    const stoppedMs = Date.now() - signalled;
    const handover = old.log.find((l) => l.includes('leadership handed over before stopping'));
    expect(handover, old.log.slice(-15).join('\n')).toBeDefined();
    const told = JSON.parse(handover!) as { to: string; term: number; previousTerm: number };
    const next = await c.waitForLeader(5000, others);
    expect(told.to).toBe(next.name);
    expect(told.previousTerm).toBe(term);
    // Exactly one new term: the successor campaigned once (TimeoutNow), nobody timed out first.
    expect((await c.status(next)).term).toBe(term + 1);
    for (const s of others) expect((await c.status(s)).term).toBe(term + 1);
    // No election timed out: the server that was not chosen never campaigned (not even a
    // pre-vote); only the successor did, as TimeoutNow makes it.
    const campaigned = (s: ServerProc): boolean =>
      s.log.slice(logFrom.get(s.name)).some((l) => l.includes('"msg":"raft role changed"') && /"role":"(preCandidate|candidate)"/.test(l));
    const bystander = others.find((s) => s !== next)!;
    expect(campaigned(bystander), bystander.log.slice(logFrom.get(bystander.name)).join('\n')).toBe(false);
    expect(campaigned(next)).toBe(true);
    await eventually('writes after the stop', async () => (results.slice(-3).every((r) => r === 'ok') && results.length > 6 ? true : undefined), 10_000);
    writing = false;
    await writer;
    const failed = results.filter((r) => r !== 'ok');
    // The stop itself is well under an election timeout plus the handover bound.
    expect(stoppedMs).toBeLessThan(5000);
    console.log(`handover to ${told.to} at term ${term + 1}; the stop took ${stoppedMs} ms; ${results.length} writes, ${failed.length} failed${failed.length > 0 ? `: ${[...new Set(failed)].join(' | ')}` : ''}`);
    // The stopped server comes back as a follower of the same term.
    await c.launch(old, 'new');
    const after = await c.waitForLeader(15_000);
    expect(after.name).toBe(next.name);
  });

  it('/health is 503 with a reason on a server with no leader (one of three alive), and 200 again once a quorum is back', async () => {
    const alone = c.servers[0]!;
    const rest = c.servers.slice(1);
    for (const s of rest) c.kill9(s);
    const down = await eventually('503 on the server left alone', async () => {
      const r = await health(alone);
      return r.status === 503 ? r : undefined;
    });
    expect(down.body.status).toBe('unavailable');
    expect(down.body.reason).toMatch(/^(no leader|no contact with the leader)/);
    for (const s of rest) await c.launch(s, 'new');
    await c.waitForLeader(15_000);
    await eventually('200 again', async () => ((await health(alone)).status === 200 ? true : undefined), 15_000);
  });
});
