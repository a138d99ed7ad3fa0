import type { ResponseHeader } from '../../gen/etcd/etcdserverpb/ResponseHeader.js';
import type { Leadership, ServedBy } from '../server-interfaces.js';

/** etcd's ResponseHeader at `revision`: which cluster and member answered, in which term. */
export type HeaderAt = (revision: number) => ResponseHeader;

export function responseHeader(server: ServedBy & Pick<Leadership, 'term'>): HeaderAt {
  return (revision) => ({
    clusterId: server.identity.clusterId,
    memberId: server.memberId,
    revision: String(revision),
    raftTerm: String(server.term()),
  });
}
