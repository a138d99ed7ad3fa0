import { describe, expect, it } from 'vitest';
import { handOffLeadership, handoffTarget } from '../../src/server/leadership-handoff.js';
import type { PeerStatus, RaftStatus } from '../../src/raft/index.js';
import { NO_NODE, nodeId } from '../../src/util/ids.js';
import { silentLogger } from '../../src/util/logger.js';

const peer = (id: string, match: number, over: Partial<PeerStatus> = {}): PeerStatus => ({ id: nodeId(id), membership: 'voter', match, next: match + 1, state: 'replicate', recentActive: true, ...over });
const leaderStatus = (peers: PeerStatus[], lastIndex = 100): RaftStatus =>
  ({ id: nodeId('n1'), term: 3, vote: nodeId('n1'), leader: nodeId('n1'), role: 'leader', commit: lastIndex, applied: lastIndex, firstIndex: 1, lastIndex, conf: { voters: [], learners: [] }, leadTransferee: NO_NODE, peers });

describe('handoffTarget', () => {
  it('the most caught-up voter the leader has heard from recently; ties by name', () => {
    expect(handoffTarget(leaderStatus([peer('n1', 100), peer('n2', 90), peer('n3', 99), peer('n4', 100, { membership: 'learner' })]))).toBe('n3');
    expect(handoffTarget(leaderStatus([peer('n1', 100), peer('n3', 100), peer('n2', 100)]))).toBe('n2');
    expect(handoffTarget(leaderStatus([peer('n1', 100), peer('n2', 100, { recentActive: false }), peer('n3', 50)]))).toBe('n3');
  });

  it('none when the leader is alone or no voter is reachable', () => {
    expect(handoffTarget(leaderStatus([peer('n1', 100)]))).toBeUndefined();
    expect(handoffTarget(leaderStatus([peer('n1', 100), peer('n2', 100, { recentActive: false })]))).toBeUndefined();
  });
});

describe('handOffLeadership', () => {
  const peers = [peer('n1', 100), peer('n2', 100), peer('n3', 90)];

  it('transfers to the chosen voter and resolves once this server follows the new leader', async () => {
    let st = leaderStatus(peers);
    const asked: string[] = [];
    const done = handOffLeadership({ self: nodeId('n1'), status: () => st, transfer: (to) => {
      asked.push(to);
      st = { ...st, leadTransferee: to };
      setTimeout(() => (st = { ...st, role: 'follower', term: 4, leader: to }), 30);
    }, logger: silentLogger }, 2000);
    expect(await done).toBe('n2');
    expect(asked).toEqual(['n2']);
  });

  it('asks again when the core abandons the transfer, and gives up after the bound when nothing happens', async () => {
    const abandoned = leaderStatus(peers);
    let asked = 0;
    expect(await handOffLeadership({ self: nodeId('n1'), status: () => abandoned, transfer: () => void asked++, logger: silentLogger }, 100)).toBeUndefined();
    expect(asked).toBeGreaterThan(1);
    // Abandoned once, then the second request succeeds.
    let st2 = leaderStatus(peers);
    let tries = 0;
    const second = handOffLeadership({ self: nodeId('n1'), status: () => st2, transfer: (to) => {
      tries++;
      if (tries < 2) return;
      st2 = { ...st2, leadTransferee: to };
      setTimeout(() => (st2 = { ...st2, role: 'follower', term: 4, leader: to }), 20);
    }, logger: silentLogger }, 2000);
    expect(await second).toBe('n2');
    expect(tries).toBe(2);
    let st = leaderStatus(peers);
    const began = Date.now();
    const stuck = handOffLeadership({ self: nodeId('n1'), status: () => st, transfer: (to) => (st = { ...st, leadTransferee: to }), logger: silentLogger }, 100);
    expect(await stuck).toBeUndefined();
    expect(Date.now() - began).toBeGreaterThanOrEqual(100);
  });

  it('does nothing on a follower or a leader alone, and survives a refused transfer', async () => {
    const transfer = (): void => {
      throw new Error('NOT_A_VOTER');
    };
    expect(await handOffLeadership({ self: nodeId('n1'), status: () => ({ ...leaderStatus(peers), role: 'follower' }), transfer, logger: silentLogger }, 100)).toBeUndefined();
    expect(await handOffLeadership({ self: nodeId('n1'), status: () => leaderStatus([peer('n1', 100)]), transfer, logger: silentLogger }, 100)).toBeUndefined();
    expect(await handOffLeadership({ self: nodeId('n1'), status: () => leaderStatus(peers), transfer, logger: silentLogger }, 100)).toBeUndefined();
  });
});
