import type { NodeId } from '../../util/ids.js';
import type { KvOp, OrderedKv } from '../kv/ordered-kv.js';

/** What the cluster knows about one member: where to reach it. */
export interface MemberAddresses {
  readonly name: NodeId;
  /** host:port of its server RPC (Raft, forwarding). */
  readonly peerAddr: string;
  /** host:port of its client API; empty until the member publishes it. */
  readonly clientAddr: string;
  /** Added by etcd's MemberAdd (no name given): MemberList shows no name until it starts. */
  readonly namedByAddress?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The members table of the replicated state: one record per member, keyed by name. It changes
 * only through applied Raft entries (membership changes and members publishing their client
 * address), so every server holds the same table at the same applied index.
 */
export class MembersStore {
  private cache = new Map<NodeId, MemberAddresses>();

  private constructor(private readonly kv: OrderedKv) {}

  static async open(kv: OrderedKv): Promise<MembersStore> {
    const s = new MembersStore(kv);
    await s.reload();
    return s;
  }

  /** Re-reads the table (after a snapshot replaced the state). */
  async reload(): Promise<void> {
    const next = new Map<NodeId, MemberAddresses>();
    for await (const e of this.kv.scan({ gte: new Uint8Array(0), lt: Uint8Array.of(0xff) })) {
      const m = JSON.parse(decoder.decode(e.value)) as MemberAddresses;
      next.set(m.name, m);
    }
    this.cache = next;
  }

  get(name: NodeId): MemberAddresses | undefined {
    return this.cache.get(name);
  }

  list(): MemberAddresses[] {
    return [...this.cache.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Records or updates a member; an empty address keeps the one already known. */
  async upsert(m: MemberAddresses): Promise<void> {
    const old = this.cache.get(m.name);
    const merged: MemberAddresses = {
      name: m.name,
      peerAddr: m.peerAddr !== '' ? m.peerAddr : (old?.peerAddr ?? ''),
      clientAddr: m.clientAddr !== '' ? m.clientAddr : (old?.clientAddr ?? ''),
      ...(m.namedByAddress === true || old?.namedByAddress === true ? { namedByAddress: true } : {}),
    };
    if (old !== undefined && old.peerAddr === merged.peerAddr && old.clientAddr === merged.clientAddr && old.namedByAddress === merged.namedByAddress) return;
    await this.kv.write([{ type: 'put', key: encoder.encode(m.name), value: encoder.encode(JSON.stringify(merged)) }]);
    this.cache.set(m.name, merged);
  }

  async remove(name: NodeId): Promise<void> {
    if (!this.cache.has(name)) return;
    const op: KvOp = { type: 'del', key: encoder.encode(name) };
    await this.kv.write([op]);
    this.cache.delete(name);
  }
}
