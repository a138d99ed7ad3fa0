import { decodeConfChange, type Entry } from '../raft/index.js';
import { parseConfChangeContext } from '../store/cluster/conf-change-context.js';
import type { MembersStore } from '../store/cluster/members-store.js';
import type { NodeId } from '../util/ids.js';

/**
 * Where each server listens for peers. A membership change takes effect when its entry is
 * appended, before it is applied, so the addresses it carries are learned from appended
 * entries too, not only from the applied members table.
 */
export class AddressBook {
  private readonly fromLog = new Map<NodeId, string>();

  constructor(
    private readonly members: MembersStore,
    private readonly initial: Readonly<Record<string, string>>,
  ) {}

  peerAddr(id: NodeId): string | undefined {
    return this.fromLog.get(id) ?? (this.members.get(id)?.peerAddr || undefined) ?? this.initial[id];
  }

  clientAddr(id: NodeId): string | undefined {
    return this.members.get(id)?.clientAddr || undefined;
  }

  learn(entries: readonly Entry[]): void {
    for (const e of entries) {
      if (e.kind !== 'conf') continue;
      const cc = decodeConfChange(e.data);
      const { peerAddr } = parseConfChangeContext(cc.context);
      if (peerAddr !== undefined && peerAddr !== '') this.fromLog.set(cc.node, peerAddr);
    }
  }
}
