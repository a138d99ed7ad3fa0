import { describe, expect, it } from 'vitest';
import { Autopilot } from '../../src/server/autopilot.js';
import type { MemberView } from '../../src/gossip/member-table.js';
import type { ConfChange } from '../../src/raft/index.js';
import { droppedCount } from '../../src/util/dropped.js';
import { silentLogger } from '../../src/util/logger.js';

const server = (name: string, state: MemberView['state'] = 'alive'): MemberView => ({
  name,
  addr: `${name}:8301`,
  incarnation: 1,
  state,
  meta: { role: 'server', datacenter: 'dc1', rpcAddr: `${name}:8300`, apiAddr: `${name}:8502`, version: '0.1.0' },
  stateChangedAt: 0,
});

function setup(peers: { name: string; membership: string; matchIndex: number; leader?: boolean; lastContactMs?: number }[], members: MemberView[], reachable?: Set<string>, proveServer?: (name: string, peerAddr: string) => Promise<string | undefined>) {
  let now = 0;
  const changes: ConfChange[] = [];
  const world = { peers, members, lastIndex: 100 };
  const ap = new Autopilot(
    {
      isLeader: () => true,
      raftPeers: () => world.peers.map((p) => ({ leader: false, ...p })),
      lastIndex: () => world.lastIndex,
      members: () => world.members,
      proposeConfChange: async (cc) => {
        changes.push(cc);
      },
      ...(reachable === undefined ? {} : { reachable: (name: string) => reachable.has(name) }),
      datacenter: 'dc1',
      clusterId: 'ours',
      logger: silentLogger,
      now: () => now,
      ...(proveServer === undefined ? {} : { proveServer }),
    },
    { stabilizationMs: 10_000, maxTrailingLogs: 10, deadServerMs: 30_000 },
  );
  return { ap, changes, world, advance: (ms: number) => (now += ms) };
}

const voters = (...names: string[]) => names.map((name, i) => ({ name, membership: 'voter', matchIndex: 100, leader: i === 0 }));

describe('Autopilot', () => {
  it('adds a server gossip knows and Raft does not as a learner, with its peer address', async () => {
    const t = setup(voters('n1', 'n2', 'n3'), [server('n1'), server('n2'), server('n3'), server('n4')]);
    expect(await t.ap.round()).toEqual({ kind: 'add-learner', name: 'n4' });
    expect(t.changes[0]).toEqual({ type: 'addLearner', node: 'n4', context: JSON.stringify({ peerAddr: 'n4:8300' }) });
  });

  it('a server that does not prove who it is (with TLS: its certificate) is not added, and does not hold up the next one', async () => {
    const asked: string[] = [];
    const prove = (name: string, addr: string): Promise<string | undefined> => {
      asked.push(`${name}@${addr}`);
      return Promise.resolve(name === 'fake' ? 'its certificate names nothing of this cluster' : undefined);
    };
    const t = setup(voters('n1', 'n2', 'n3'), [server('n1'), server('n2'), server('n3'), server('fake'), server('n4')], undefined, prove);
    expect(await t.ap.round()).toBeUndefined();
    expect(await t.ap.round()).toEqual({ kind: 'add-learner', name: 'n4' });
    expect(t.changes.map((c) => c.node)).toEqual(['n4']);
    expect(asked).toEqual(['fake@fake:8300', 'n4@n4:8300']);
    // Asked again once its back-off is over; still not added.
    t.advance(31_000);
    expect(await t.ap.round()).toBeUndefined();
    expect(asked.at(-1)).toBe('fake@fake:8300');
    expect(t.changes).toHaveLength(1);
  });

  it('leaves alone a server gossip shows as a member of another Raft cluster; adds one with no cluster yet or ours', async () => {
    const other = { ...server('x1'), meta: { ...server('x1').meta, clusterId: 'theirs' } };
    const t = setup(voters('n1', 'n2', 'n3'), [server('n1'), server('n2'), server('n3'), other]);
    expect(await t.ap.round()).toBeUndefined();
    t.world.members = [...t.world.members, { ...server('n4'), meta: { ...server('n4').meta, clusterId: 'ours' } }];
    expect(await t.ap.round()).toEqual({ kind: 'add-learner', name: 'n4' });
  });

  it('never promotes a learner the leader has not heard from, even in a young cluster where 0 + max trailing logs covers the log', async () => {
    const t = setup([...voters('n1', 'n2', 'n3'), { name: 'n4', membership: 'learner', matchIndex: 0 }], [server('n1'), server('n2'), server('n3'), server('n4')]);
    t.world.lastIndex = 5;
    t.advance(60_000);
    await t.ap.round();
    t.advance(60_000);
    expect(await t.ap.round()).toBeUndefined();
    t.world.peers = [...voters('n1', 'n2', 'n3'), { name: 'n4', membership: 'learner', matchIndex: 5 }];
    expect(await t.ap.round()).toEqual({ kind: 'promote', name: 'n4' });
  });

  it('promotes a learner only once caught up and healthy for the stabilization time', async () => {
    const t = setup([...voters('n1', 'n2', 'n3'), { name: 'n4', membership: 'learner', matchIndex: 50 }], [server('n1'), server('n2'), server('n3'), server('n4')]);
    expect(await t.ap.round()).toBeUndefined(); // behind, and not yet stable
    t.advance(11_000);
    expect(await t.ap.round()).toBeUndefined(); // stable but 50 entries behind
    t.world.peers[3] = { name: 'n4', membership: 'learner', matchIndex: 95 };
    expect(await t.ap.round()).toEqual({ kind: 'promote', name: 'n4' });
  });

  it('restarts the stabilization wait for a server removed and re-added under the same name', async () => {
    const learner = { name: 'n4', membership: 'learner', matchIndex: 100 };
    const t = setup([...voters('n1', 'n2', 'n3'), learner], [server('n1'), server('n2'), server('n3'), server('n4')]);
    expect(await t.ap.round()).toBeUndefined(); // its wait begins
    t.advance(6_000);
    t.world.peers = voters('n1', 'n2', 'n3'); // removed (operator remove-peer) while alive in gossip
    await t.ap.round(); // (autopilot would add it back: that is the re-add below)
    t.advance(60_000);
    t.world.peers = [...voters('n1', 'n2', 'n3'), learner]; // a learner again, long after it was first seen
    expect(await t.ap.round()).toBeUndefined();
    t.advance(9_000);
    expect(await t.ap.round()).toBeUndefined(); // 9 s into its new wait
    t.advance(1_000);
    expect(await t.ap.round()).toEqual({ kind: 'promote', name: 'n4' });
  });

  it('restarts the stabilization wait for a learner that comes back with a new gossip incarnation (restarted)', async () => {
    const t = setup([...voters('n1', 'n2', 'n3'), { name: 'n4', membership: 'learner', matchIndex: 100 }], [server('n1'), server('n2'), server('n3'), server('n4')]);
    expect(await t.ap.round()).toBeUndefined();
    t.advance(8_000);
    t.world.members = [server('n1'), server('n2'), server('n3'), { ...server('n4'), incarnation: 2 }];
    expect(await t.ap.round()).toBeUndefined();
    t.advance(8_000); // 16 s since first seen, 8 s since the restart
    expect(await t.ap.round()).toBeUndefined();
    t.advance(2_000);
    expect(await t.ap.round()).toEqual({ kind: 'promote', name: 'n4' });
  });

  it('restarts the stabilization wait for a learner that failed in gossip and recovered', async () => {
    const t = setup([...voters('n1', 'n2', 'n3'), { name: 'n4', membership: 'learner', matchIndex: 100 }], [server('n1'), server('n2'), server('n3'), server('n4')]);
    expect(await t.ap.round()).toBeUndefined();
    t.advance(9_000);
    t.world.members = [server('n1'), server('n2'), server('n3'), server('n4', 'dead')];
    expect(await t.ap.round()).toBeUndefined();
    t.advance(1_000);
    t.world.members = [server('n1'), server('n2'), server('n3'), server('n4')];
    expect(await t.ap.round()).toBeUndefined();
    t.advance(9_999);
    expect(await t.ap.round()).toBeUndefined();
    t.advance(1);
    expect(await t.ap.round()).toEqual({ kind: 'promote', name: 'n4' });
  });

  it('removes a failed server after the grace time, and a server that left at once', async () => {
    const t = setup(voters('n1', 'n2', 'n3', 'n4', 'n5'), [server('n1'), server('n2'), server('n3'), server('n4', 'dead'), server('n5', 'left')]);
    expect(await t.ap.round()).toEqual({ kind: 'remove', name: 'n5' });
    t.world.peers.pop();
    expect(await t.ap.round()).toBeUndefined(); // n4 failed only just now
    t.advance(31_000);
    expect(await t.ap.round()).toEqual({ kind: 'remove', name: 'n4' });
  });

  it('never removes a server if the voters left behind would have no healthy majority', async () => {
    // Three voters, two failed: removing one leaves {n1, n3} with one healthy: no quorum.
    const t = setup(voters('n1', 'n2', 'n3'), [server('n1'), server('n2', 'dead'), server('n3', 'dead')]);
    t.advance(1);
    await t.ap.round();
    t.advance(31_000);
    expect(await t.ap.round()).toBeUndefined();
    expect(t.changes).toEqual([]);
  });

  it('never removes a member the leader heard from over Raft within the dead server time, whatever gossip says (a forged DEAD or leave)', async () => {
    const heard = (ms: number) => [...voters('n1', 'n2'), { name: 'n3', membership: 'voter', matchIndex: 100, lastContactMs: ms }];
    for (const state of ['dead', 'left'] as const) {
      const before = droppedCount('autopilot', 'gossip_dead_but_heard_over_raft');
      const t = setup(heard(40), [server('n1'), server('n2'), server('n3', state)]);
      t.advance(1);
      await t.ap.round();
      t.advance(31_000);
      expect(await t.ap.round()).toBeUndefined();
      expect(droppedCount('autopilot', 'gossip_dead_but_heard_over_raft')).toBe(before + 1); // once per episode, not per round
      // Raft has not heard from it for the dead server time either: now it is gone.
      t.world.peers = heard(30_000);
      expect(await t.ap.round()).toEqual({ kind: 'remove', name: 'n3' });
    }
  });

  it('promotes a caught-up learner only when the leader reaches it itself and heard from it lately, not on gossip and acknowledgements alone', async () => {
    const reachable = new Set<string>();
    const learner = (lastContactMs: number) => [...voters('n1', 'n2', 'n3'), { name: 'x', membership: 'learner', matchIndex: 100, lastContactMs }];
    const before = droppedCount('autopilot', 'learner_not_reachable');
    const t = setup(learner(10), [server('n1'), server('n2'), server('n3'), server('x')], reachable);
    await t.ap.round();
    t.advance(11_000);
    expect(await t.ap.round()).toBeUndefined(); // acknowledges everything, but the leader cannot reach it
    expect(droppedCount('autopilot', 'learner_not_reachable')).toBe(before + 1);
    reachable.add('x');
    t.world.peers = learner(5_000);
    expect(await t.ap.round()).toBeUndefined(); // reachable, but not heard from lately
    t.world.peers = learner(10);
    expect(await t.ap.round()).toEqual({ kind: 'promote', name: 'x' });
  });

  it('removes a learner the leader has not reached for the dead server time, though gossip says it is alive', async () => {
    const reachable = new Set<string>(['n1', 'n2', 'n3']);
    const t = setup([...voters('n1', 'n2', 'n3'), { name: 'x', membership: 'learner', matchIndex: 100, lastContactMs: 10 }], [server('n1'), server('n2'), server('n3'), server('x')], reachable);
    expect(await t.ap.round()).toBeUndefined();
    t.advance(29_000);
    expect(await t.ap.round()).toBeUndefined();
    t.advance(1_000);
    expect(await t.ap.round()).toEqual({ kind: 'remove', name: 'x' });
    expect(t.changes).toEqual([{ type: 'removeNode', node: 'x' }]);
  });
});
