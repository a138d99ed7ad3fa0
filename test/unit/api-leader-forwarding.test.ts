import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ALLOW_ALL } from '../../src/api/access/access-rules.js';
import type { CallContext } from '../../src/api/call-context.js';
import { leaderForwarding, type LeaderForwardingServer } from '../../src/api/leader-forwarding.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { deadlineIn } from '../../src/time/deadline.js';
import { NO_NODE, nodeId, type NodeId } from '../../src/util/ids.js';

const ctx = (forwarded = false): CallContext => ({ deadline: deadlineIn(1000), forwarded, authz: ALLOW_ALL, metadata: new grpc.Metadata(), responseMetadata: new grpc.Metadata() });
const TTL = '/etcdserverpb.Lease/LeaseTimeToLive';
const ttlMethod = () => etcdProto().etcdserverpb.Lease.service.LeaseTimeToLive;

/** A server named n1 that knows `leader`, recording what it sends there. */
function server(leader: NodeId): LeaderForwardingServer & { sent: { method: string; payload: Uint8Array }[] } {
  const sent: { method: string; payload: Uint8Array }[] = [];
  return {
    sent,
    identity: { name: nodeId('n1'), clusterId: 'c' },
    memberId: '1',
    leader: () => leader,
    clientAddrOf: (id) => `${id}:2379`,
    forwardToLeader: (method, payload) => {
      sent.push({ method, payload });
      return Promise.resolve(ttlMethod().responseSerialize({ ID: '7', TTL: '30' }));
    },
  };
}

describe('leaderForwarding: the one hop to the leader', () => {
  it('encodes the call with its method and decodes the leader\'s answer', async () => {
    const s = server(nodeId('n2'));
    const forward = leaderForwarding(s);
    const answer = await forward(ttlMethod(), { ID: '7', keys: false }, ctx());
    expect(answer).toMatchObject({ ID: '7', TTL: '30' });
    expect(s.sent.map((c) => c.method)).toEqual([TTL]);
    expect(ttlMethod().requestDeserialize(Buffer.from(s.sent[0]!.payload))).toMatchObject({ ID: '7' });
  });

  it.each([
    ['a call already forwarded once', nodeId('n2'), true, 'n2', 'n2:2379'],
    ['no known leader', NO_NODE, false, '', ''],
    ['this server believing itself the leader', nodeId('n1'), false, 'n1', 'n1:2379'],
  ])('refuses %s with NO_LEADER and the leader hint, sending nothing', async (_what, leader, forwarded, hint, hintAddr) => {
    const s = server(leader);
    await expect(leaderForwarding(s)(ttlMethod(), { ID: '7' }, ctx(forwarded))).rejects.toMatchObject({
      code: 'NO_LEADER',
      message: 'etcdserver: no leader',
      details: { leader: hint, leaderAddr: hintAddr },
    });
    expect(s.sent).toEqual([]);
  });
});
