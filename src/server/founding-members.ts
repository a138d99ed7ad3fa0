import type { MembersStore } from '../store/cluster/members-store.js';
import { nodeId } from '../util/ids.js';

/**
 * A founder's members table: every founder writes the same one (from the same --initial-cluster)
 * before it applies anything, since no log entry carries it. One write per member, so a failed
 * write (EIO, a full disk) can leave part of it; the next start completes it, member by member,
 * as long as nothing has been applied yet (a simulated EIO between two members once left a
 * server without a founder's record, and its snapshots differed from its peers').
 */
export async function writeFoundingMembers(members: MembersStore, initialCluster: Readonly<Record<string, string>>, appliedIndex: number): Promise<void> {
  if (appliedIndex !== 0) return;
  for (const [name, peerAddr] of Object.entries(initialCluster)) {
    if (members.get(nodeId(name)) === undefined) await members.upsert({ name: nodeId(name), peerAddr, clientAddr: '' });
  }
}
