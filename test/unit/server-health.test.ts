import { describe, expect, it } from 'vitest';
import { followerLag, serverHealth } from '../../src/server/server-health.js';
import type { PeerStatus, RaftStatus } from '../../src/raft/index.js';
import { NO_NODE, nodeId } from '../../src/util/ids.js';

const limits = { maxLagEntries: 1000, maxLeaderContactMs: 800 };
const follower = { isLeader: false, leader: 'n1', knownCommit: 1511, applied: 1511, msSinceLeaderContact: 50 };

const peer = (id: string, match: number, over: Partial<PeerStatus> = {}): PeerStatus => ({ id: nodeId(id), membership: 'voter', match, next: match + 1, state: 'replicate', recentActive: true, ...over });
const leaderStatus = (peers: PeerStatus[], lastIndex = 100): RaftStatus =>
  ({ id: nodeId('n1'), term: 3, vote: nodeId('n1'), leader: nodeId('n1'), role: 'leader', commit: lastIndex, applied: lastIndex, firstIndex: 1, lastIndex, conf: { voters: [], learners: [] }, leadTransferee: NO_NODE, peers });

describe('serverHealth', () => {
  it('healthy: a leader known, heard from recently, applied close to the commit index', () => {
    expect(serverHealth(follower, limits)).toEqual({ healthy: true, reason: undefined });
    expect(serverHealth({ ...follower, applied: 1511 - 1000 }, limits).healthy).toBe(true);
  });

  it('a server that cannot write its Raft log: unhealthy, saying why, even as the leader', () => {
    const why = 'this server cannot write its raft log: ENOSPC (no space left on device); it refuses writes and retries until the disk accepts them';
    expect(serverHealth({ ...follower, isLeader: true, diskFault: why }, limits)).toEqual({ healthy: false, reason: why });
  });

  it('no leader (an election): unhealthy', () => {
    expect(serverHealth({ ...follower, leader: NO_NODE }, limits)).toEqual({ healthy: false, reason: expect.stringMatching(/^no leader/) });
  });

  it('a follower stuck at index 11 of 1,511: unhealthy, with the figures', () => {
    expect(serverHealth({ ...follower, applied: 11 }, limits)).toEqual({ healthy: false, reason: 'applied index 11 is 1500 entries behind the commit index 1511 (limit 1000)' });
  });

  it('a follower that has not heard from its leader for longer than the limit: unhealthy; the leader itself never is for that', () => {
    expect(serverHealth({ ...follower, msSinceLeaderContact: 801 }, limits).reason).toBe('no contact with the leader n1 for 801 ms (limit 800)');
    expect(serverHealth({ ...follower, isLeader: true, msSinceLeaderContact: 5000 }, limits).healthy).toBe(true);
  });
});

describe('followerLag', () => {
  it("on the leader: each other member's distance from the leader's last index", () => {
    const lag = followerLag(leaderStatus([peer('n1', 100), peer('n2', 100), peer('n3', 11, { state: 'probe' }), peer('n4', 0, { membership: 'learner' })]));
    expect(Object.fromEntries(lag)).toEqual({ n2: 0, n3: 89, n4: 100 });
  });

  it('elsewhere: nothing (only the leader knows)', () => {
    expect(followerLag({ ...leaderStatus([peer('n2', 1)]), role: 'follower' }).size).toBe(0);
  });
});
