import { describe, expect, it } from 'vitest';
import { writeFoundingMembers } from '../../src/server/founding-members.js';
import { MembersStore } from '../../src/store/cluster/members-store.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import type { KvOp } from '../../src/store/kv/ordered-kv.js';
import { nodeId } from '../../src/util/ids.js';

const FOUNDERS = { n1: '127.0.0.1:2380', n2: '127.0.0.2:2380', n3: '127.0.0.3:2380' };

/** A store whose writes fail with EIO after `okWrites` of them, as a failing disk does. */
class FailingKv extends MemoryOrderedKv {
  constructor(private okWrites: number) {
    super();
  }
  override write(ops: readonly KvOp[]): Promise<void> {
    if (this.okWrites-- <= 0) return Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    return super.write(ops);
  }
  heal(): void {
    this.okWrites = Infinity;
  }
}

describe('writeFoundingMembers', () => {
  it('completes a founding table that a failed write left half written', async () => {
    const kv = new FailingKv(1);
    const first = await MembersStore.open(kv);
    await expect(writeFoundingMembers(first, FOUNDERS, 0)).rejects.toThrow('EIO');
    expect((await MembersStore.open(kv)).list().map((m) => m.name)).toEqual(['n1']);
    // The server exited; its next start, with the disk back, finishes the table.
    kv.heal();
    const again = await MembersStore.open(kv);
    await writeFoundingMembers(again, FOUNDERS, 0);
    const reopened = await MembersStore.open(kv);
    expect(reopened.list().map((m) => [m.name, m.peerAddr])).toEqual(Object.entries(FOUNDERS));
  });

  it('leaves the table alone once anything has been applied (the log owns it from then on)', async () => {
    const kv = new MemoryOrderedKv();
    const members = await MembersStore.open(kv);
    await members.upsert({ name: nodeId('n1'), peerAddr: '127.0.0.9:2380', clientAddr: '' });
    await writeFoundingMembers(members, FOUNDERS, 5);
    expect(members.list().map((m) => [m.name, m.peerAddr])).toEqual([['n1', '127.0.0.9:2380']]);
  });
});
