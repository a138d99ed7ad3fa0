import type { Leadership, ServedBy } from '../server-interfaces.js';

/** etcd's ResponseHeader at `revision`: which cluster and member answered, in which term. */
export type ResponseHeader = (revision: number) => unknown;

export function responseHeader(server: ServedBy & Pick<Leadership, 'term'>): ResponseHeader {
  return (revision) => ({
    clusterId: server.identity.clusterId,
    memberId: server.memberId,
    revision: String(revision),
    raftTerm: String(server.term()),
  });
}
