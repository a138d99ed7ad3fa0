import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore } from '../../src/store/kv/mvcc-store.js';
import { rangeRequest } from '../../src/store/kv/requests.js';
import { checkOf, nodeOf, registerOf } from '../../src/store/registry/builders.js';
import type { EndedSession, RegistryCommand, RegistryResponse, SessionCreateCommand } from '../../src/store/registry/commands.js';
import { lockState } from '../../src/store/registry/queries.js';
import { RegistryExtension } from '../../src/store/registry/registry-extension.js';

export const enc = new TextEncoder();
export const dec = new TextDecoder();

/** A registry on an in-memory MVCC store, with node n1 (serfHealth and disk passing). */
export class Fixture {
  index = 0;
  readonly ended: EndedSession[] = [];
  store!: MvccStore<RegistryCommand, RegistryResponse>;
  static async create(): Promise<Fixture> {
    const f = new Fixture();
    f.store = await MvccStore.open(new MemoryOrderedKv(), { extension: new RegistryExtension((e) => f.ended.push(...e)) });
    await f.ok(registerOf(nodeOf('n1', '10.0.0.1'), { checks: [checkOf('n1', 'serfHealth', { status: 'passing', type: 'gossip' }), checkOf('n1', 'disk', { status: 'passing' })] }));
    return f;
  }
  async ok(cmd: RegistryCommand): Promise<RegistryResponse> {
    const [r] = await this.store.apply([{ index: ++this.index, command: cmd }]);
    if (!r!.ok) throw r!.error;
    return r!.response as RegistryResponse;
  }
  async fails(cmd: RegistryCommand): Promise<string> {
    const [r] = await this.store.apply([{ index: ++this.index, command: cmd }]);
    if (r!.ok) throw new Error('expected failure');
    return r!.error.code;
  }
  session(id: string, fields: Partial<SessionCreateCommand> = {}): Promise<RegistryResponse> {
    return this.ok({ type: 'sessionCreate', id, name: '', node: 'n1', checks: 'default', ttlMs: 0, behavior: 'release', lockDelayMs: 15_000, ...fields });
  }
  acquire(key: string, value: string, session: string): Promise<RegistryResponse> {
    return this.ok({ type: 'lockAcquire', key: enc.encode(key), value: enc.encode(value), session });
  }
  async value(key: string): Promise<string | undefined> {
    const r = await this.store.range(rangeRequest(enc.encode(key)));
    return r.kvs[0] === undefined ? undefined : dec.decode(r.kvs[0].value);
  }
  lock(key: string): Promise<{ session: string; lockIndex: number; value: string }> {
    return this.store.read(async (v) => {
      const l = await lockState(v.kv, enc.encode(key));
      return { session: l.session, lockIndex: l.lockIndex, value: dec.decode(l.value) };
    });
  }
}

