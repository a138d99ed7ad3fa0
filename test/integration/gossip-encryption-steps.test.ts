import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster, type AgentProc } from './cluster-harness.js';
import { failedEvents, gossipDropLines, membersOf, PoolWatch, roster } from './gossip-pool-watch.js';

/**
 * Turning encryption on in a running pool, as Consul's guide does it, in three rolling restarts:
 * every member gets the key with both verify settings off (it reads encrypted gossip, sends and
 * accepts plaintext), then verify_outgoing on (it sends encrypted, still accepts plaintext), then
 * verify_incoming on too. At every moment each pair of members understands each other, so no
 * gossip is dropped and no member is declared failed, although each restart stops a member for
 * a moment (a server is stopped with SIGTERM, which does not leave; an agent is killed).
 */
const KEY = randomBytes(32).toString('base64');
/** Suspicion lasts at least 8 probe intervals: a member restarting (about 2 s) is back well before. */
const GOSSIP = ['--gossip-suspicion-mult', '8'];
const STEPS: readonly (readonly string[])[] = [
  ['--encrypt', KEY, '--encrypt-verify-incoming=false', '--encrypt-verify-outgoing=false'],
  ['--encrypt', KEY, '--encrypt-verify-incoming=false'],
  ['--encrypt', KEY],
];

describe('turning gossip encryption on in a running pool', () => {
  let c: TestCluster;
  let agents: AgentProc[] = [];
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 234, gossip: { extraArgs: GOSSIP } });
    agents = [await c.startAgent('app-1', '127.0.0.238'), await c.startAgent('app-2', '127.0.0.239')];
  }, 60_000);
  afterAll(async () => {
    await c?.destroy();
  });

  const names = (): string[] => [...c.servers.map((s) => s.name), ...agents.map((a) => a.name)];
  const allAlive = async (): Promise<void> => {
    for (const s of c.servers) {
      let last = '';
      await eventually(`${s.name} sees every member alive`, async () => {
        const m = await membersOf(s);
        last = JSON.stringify([...m]);
        return names().every((n) => m.get(n) === 'alive') ? true : undefined;
      }, 20_000).catch((err: unknown) => {
        throw new Error(`${String(err)}; last view ${last}`);
      });
    }
  };

  it('three rolling restarts (key, verify_outgoing, verify_incoming): no gossip dropped, no member failed', async () => {
    await allAlive();
    // Before the key: no keyring to change, said at once.
    const none = await roster(['keyring', '--list', '--endpoint', c.servers[0]!.clientAddr]);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('roster: gossip encryption is not enabled on this server (start every member with encrypt first)');
    const watch = new PoolWatch(c, names);
    try {
      for (const [i, step] of STEPS.entries()) {
        const t0 = Date.now();
        for (const s of c.servers) {
          await c.stop(s);
          // Joining through the other servers (the harness has the first join itself).
          const others = c.servers.filter((o) => o !== s).map((o) => o.gossipAddr!);
          await c.launch(s, 'new', s.name, [...step, '--join', others.join(',')]);
          await c.waitForLeader();
          await allAlive();
        }
        for (const a of agents) {
          c.signalAgent(a, 'SIGKILL');
          await c.startAgent(a.name, a.gossipAddr.split(':')[0]!, step);
          await allAlive();
        }
        console.log(`step ${i + 1} (${step.join(' ').replace(KEY, 'KEY')}) rolled out in ${Date.now() - t0} ms`);
      }
    } finally {
      await watch.stop();
    }
    const deaths = [...watch.seen, ...failedEvents([...c.servers, ...agents])];
    const drops = gossipDropLines([...c.servers, ...agents]);
    console.log(`false deaths: ${deaths.length}; gossip drop lines: ${drops.length}`);
    expect(deaths).toEqual([]);
    expect(drops).toEqual([]);
    // Encrypted only from now on: a member without the key is refused.
    const stranger = await c.startAgent('no-key', '127.0.0.239', []);
    await eventually('the keyless member is refused', async () => (stranger.log.filter((l) => l.includes('gossip join attempt failed')).length >= 2 ? true : undefined), 20_000);
    expect((await membersOf(c.servers[0]!)).has('no-key')).toBe(false);
    c.signalAgent(stranger, 'SIGKILL');
  }, 110_000);
});
