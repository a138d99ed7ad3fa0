import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster, type ServerProc } from './cluster-harness.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

/**
 * `roster leave` on a server: it leaves gossip and the Raft membership before it stops, so the
 * servers left behind count their quorum without it. Two leaves in a row from three servers
 * leave one working server (with a signal instead, the last one would have no quorum).
 */
describe('a server that leaves gracefully leaves the Raft membership', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 230, serverApi: true, gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
  }, 60_000);
  afterAll(async () => {
    await c?.destroy();
  });

  const voters = async (s: ServerProc): Promise<string[]> => {
    const r = spawnSync(process.execPath, [ROSTER, 'operator', 'raft', 'list-peers', '--endpoint', s.clientAddr, '--format', 'json'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) return [];
    return (JSON.parse(r.stdout) as { name: string; membership: string }[]).filter((p) => p.membership === 'voter').map((p) => p.name).sort();
  };
  const leave = async (s: ServerProc): Promise<void> => {
    const r = spawnSync(process.execPath, [ROSTER, 'leave', '--agent', s.apiAddr!], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    await eventually(`${s.name} exits after leave`, async () => (s.proc === undefined || s.proc.exitCode !== null ? true : undefined), 30_000);
  };

  it('the leader leaves, then a follower: the last server is a one-voter cluster that still takes writes', async () => {
    const leader = await c.waitForLeader();
    await leave(leader);
    const rest = c.servers.filter((s) => s !== leader);
    await eventually('two voters, without the one that left', async () => ((await voters(rest[0]!)).join() === rest.map((s) => s.name).sort().join() ? true : undefined), 30_000);
    await c.call(await c.waitForLeader(), 'KV', 'Put', { key: Buffer.from('after-first-leave'), value: Buffer.from('1') });
    await leave(rest[1]!);
    await eventually('one voter left', async () => ((await voters(rest[0]!)).join() === rest[0]!.name ? true : undefined), 30_000);
    const last = await c.waitForLeader();
    expect(last.name).toBe(rest[0]!.name);
    await c.call(last, 'KV', 'Put', { key: Buffer.from('after-second-leave'), value: Buffer.from('2') });
    const got = await c.call<{ kvs: { key: Buffer }[] }>(last, 'KV', 'Range', { key: Buffer.from('after-'), rangeEnd: Buffer.from('after.') });
    expect(got.kvs.map((k) => k.key.toString())).toEqual(['after-first-leave', 'after-second-leave']);
  }, 120_000);
});
