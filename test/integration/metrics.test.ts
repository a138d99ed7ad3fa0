import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, TestCluster } from './cluster-harness.js';


const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** A server's /metrics and /health (--http-addr). */
describe('metrics and health endpoint', () => {
  let c: TestCluster;
  let http: string;
  beforeAll(async () => {
    http = `127.0.0.171:${await freePort('127.0.0.171')}`;
    c = await TestCluster.start({ servers: 1, hostBase: 170, gossip: { extraArgs: [] }, extraArgs: ['--http-addr', http] });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('/metrics: Raft, gossip, API and process metrics in Prometheus format', async () => {
    const s = c.servers[0]!;
    await c.call(s, 'KV', 'Put', { key: Buffer.from('m'), value: Buffer.from('1') });
    const res = await fetch(`http://${http}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(value(text, 'roster_raft_is_leader')).toBe(1);
    expect(value(text, 'roster_raft_leader_changes_total')).toBe(1);
    expect(value(text, 'roster_raft_term')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'roster_raft_commit_index')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'roster_raft_persist_seconds_count{synced="true"}')).toBeGreaterThan(0);
    expect(value(text, 'roster_api_requests_total{method="etcdserverpb.KV/Put",code="0"}')).toBe(1);
    expect(value(text, 'roster_gossip_members{state="alive"}')).toBe(1);
    expect(value(text, 'roster_gossip_probe_failures_total')).toBe(0); // alone in its pool: nobody to probe
    // Its --join names only itself: nothing to join through, nothing pending.
    expect(value(text, 'roster_gossip_join_attempts_total')).toBe(0);
    expect(value(text, 'roster_gossip_join_pending')).toBe(0);
    expect(value(text, 'roster_api_open{kind="watch.watchers"}')).toBe(0);
    expect(value(text, 'roster_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });

  it('/health is 200 with the leader known; anything else is 404', async () => {
    const res = await fetch(`http://${http}/health`);
    expect(res.status).toBe(200);
    // The harness runs servers without TLS as --insecure-peers: /health says so.
    expect(await res.json()).toMatchObject({ status: 'ok', name: 'n1', role: 'leader', leader: 'n1', insecurePeers: 'INSECURE: --insecure-peers (no TLS on the peer port; dev only)' });
    expect((await fetch(`http://${http}/nope`)).status).toBe(404);
  });

  it('SIGHUP without TLS reloads nothing and stops nothing', async () => {
    const s = c.servers[0]!;
    s.proc!.kill('SIGHUP');
    await eventually('the reload is logged', async () => (s.log.join('').includes('SIGHUP: TLS is off, nothing to reload') ? true : undefined));
    expect((await fetch(`http://${http}/health`)).status).toBe(200);
    expect(s.proc?.exitCode).toBeNull();
  });
});
