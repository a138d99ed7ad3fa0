import { describe, expect, it } from 'vitest';
import { checkOf, nodeOf, registerOf } from '../../src/store/registry/builders.js';
import { decodeRegistryCommand, encodeRegistryCommand, type RegistryCommand } from '../../src/store/registry/commands.js';
import { listSessions, sessionInfo } from '../../src/store/registry/queries.js';
import { dec, enc, Fixture } from './registry-fixture.js';

describe('sessions and locks', () => {
  it('a session binds to serfHealth by default; a lock is taken once, its index counts holders, the holder may update it', async () => {
    const f = await Fixture.create();
    await f.session('s1');
    await f.session('s2', { checks: [] });
    expect((await f.store.read((v) => sessionInfo(v.kv, 's1')))?.record.checks).toEqual(['serfHealth']);
    expect((await f.store.read((v) => sessionInfo(v.kv, 's2')))?.record.checks).toEqual([]);
    expect(await f.acquire('leader', 'me', 's1')).toMatchObject({ granted: true, lockIndex: 1, holder: 's1' });
    expect(await f.acquire('leader', 'you', 's2')).toMatchObject({ granted: false, lockIndex: 1, holder: 's1', changed: false });
    expect(await f.value('leader')).toBe('me'); // etcd clients see the key
    expect(await f.acquire('leader', 'me again', 's1')).toMatchObject({ granted: true, lockIndex: 1 });
    expect(await f.value('leader')).toBe('me again');
    expect((await f.ok({ type: 'lockRelease', key: enc.encode('leader'), session: 's2' })).granted).toBe(false);
    expect((await f.ok({ type: 'lockRelease', key: enc.encode('leader'), session: 's1' })).granted).toBe(true);
    expect(await f.acquire('leader', 'you', 's2')).toMatchObject({ granted: true, lockIndex: 2, holder: 's2' });
    expect(f.ended).toEqual([]); // a release is not a session ending: no lock delay
  });

  it('a bound check turning critical ends the session and releases its locks, keeping the keys', async () => {
    const f = await Fixture.create();
    await f.session('s1', { checks: ['disk'], lockDelayMs: 5000 });
    await f.acquire('a', '1', 's1');
    await f.acquire('b', '2', 's1');
    await f.ok({ type: 'updateCheck', node: 'n1', checkId: 'disk', status: 'critical', output: 'full' });
    expect(await f.store.read((v) => sessionInfo(v.kv, 's1'))).toBeUndefined();
    expect(await f.lock('a')).toEqual({ session: '', lockIndex: 1, value: '1' });
    expect(await f.lock('b')).toEqual({ session: '', lockIndex: 1, value: '2' });
    expect(f.ended.map((e) => ({ id: e.id, delay: e.lockDelayMs, keys: e.keys.map((k) => dec.decode(k)) }))).toEqual([{ id: 's1', delay: 5000, keys: ['a', 'b'] }]);
  });

  it("behavior delete removes the holder's keys when the session ends", async () => {
    const f = await Fixture.create();
    await f.session('s1', { behavior: 'delete' });
    await f.acquire('ephemeral', 'x', 's1');
    await f.ok({ type: 'sessionDestroy', id: 's1' });
    expect(await f.value('ephemeral')).toBeUndefined();
    expect(await f.lock('ephemeral')).toMatchObject({ session: '', lockIndex: 0 });
  });

  it('keepSessions (self-preservation): a bound check turning critical leaves its sessions and locks alone', async () => {
    const f = await Fixture.create();
    await f.session('s1');
    await f.acquire('leader', 'me', 's1');
    await f.ok({ type: 'updateCheck', node: 'n1', checkId: 'serfHealth', status: 'critical', output: 'member failed', keepSessions: true });
    expect((await f.store.read((v) => sessionInfo(v.kv, 's1')))?.record.id).toBe('s1');
    expect((await f.lock('leader')).session).toBe('s1');
    expect(f.ended).toEqual([]);
    // A registration that turns a check critical with keepSessions keeps them too.
    await f.ok({ type: 'updateCheck', node: 'n1', checkId: 'disk', status: 'passing', output: '' });
    await f.session('s2', { checks: ['disk'] });
    await f.ok({ ...registerOf(nodeOf('n1', '10.0.0.1'), { checks: [checkOf('n1', 'disk', { status: 'critical' })] }), keepSessions: true });
    expect((await f.store.read((v) => listSessions(v.kv, 'n1'))).map((x) => x.record.id)).toEqual(['s1', 's2']);
    // Without it, as before: the next transition to critical ends them.
    await f.ok({ type: 'updateCheck', node: 'n1', checkId: 'serfHealth', status: 'passing', output: '' });
    await f.ok({ type: 'updateCheck', node: 'n1', checkId: 'serfHealth', status: 'critical', output: 'member failed' });
    expect((await f.store.read((v) => listSessions(v.kv, 'n1'))).map((x) => x.record.id)).toEqual(['s2']);
  });

  it('deregistering the node or removing a bound check ends its sessions', async () => {
    const f = await Fixture.create();
    await f.session('by-check', { checks: ['disk'] });
    await f.session('by-node', { checks: [] });
    await f.ok({ type: 'deregister', node: 'n1', serviceId: '', checkId: 'disk' });
    expect((await f.store.read((v) => listSessions(v.kv, ''))).map((s) => s.record.id)).toEqual(['by-node']);
    await f.ok({ type: 'deregister', node: 'n1', serviceId: '', checkId: '' });
    expect(await f.store.read((v) => listSessions(v.kv, ''))).toEqual([]);
  });

  it.each([
    { name: 'an unknown node', fields: { node: 'ghost' }, code: 'NODE_NOT_FOUND' },
    { name: 'an unknown check', fields: { checks: ['nope'] }, code: 'CHECK_NOT_FOUND' },
    { name: 'a TTL below one second', fields: { ttlMs: 500 }, code: 'INVALID_REGISTRATION' },
    { name: 'a lock delay above 60 s', fields: { lockDelayMs: 61_000 }, code: 'INVALID_REGISTRATION' },
  ])('refuses a session with $name ($code)', async ({ fields, code }) => {
    const f = await Fixture.create();
    expect(await f.fails({ type: 'sessionCreate', id: 'x', name: '', node: 'n1', checks: 'default', ttlMs: 0, behavior: 'release', lockDelayMs: 0, ...fields })).toBe(code);
  });

  it('refuses a session bound to a critical check, a duplicate id, and a lock for an unknown session', async () => {
    const f = await Fixture.create();
    await f.ok({ type: 'updateCheck', node: 'n1', checkId: 'disk', status: 'critical', output: '' });
    expect(await f.fails({ type: 'sessionCreate', id: 'x', name: '', node: 'n1', checks: ['disk'], ttlMs: 0, behavior: 'release', lockDelayMs: 0 })).toBe('CHECK_CRITICAL');
    await f.session('dup');
    expect(await f.fails({ type: 'sessionCreate', id: 'dup', name: '', node: 'n1', checks: [], ttlMs: 0, behavior: 'release', lockDelayMs: 0 })).toBe('SESSION_EXISTS');
    expect(await f.fails({ type: 'lockAcquire', key: enc.encode('k'), value: new Uint8Array(0), session: 'ghost' })).toBe('SESSION_NOT_FOUND');
  });

  it('an acquire checked for a lock delay before its holder\'s session ended is refused; one checked after is granted', async () => {
    for (const behavior of ['release', 'delete'] as const) {
      const f = await Fixture.create();
      await f.session('a', { behavior, lockDelayMs: 1000 });
      await f.session('b', { lockDelayMs: 0 });
      await f.acquire('leader', 'a', 'a');
      // The leader checked the delay here (none yet), and then A's session ended ahead of B's acquire.
      const checkedAt = f.store.revision();
      await f.ok({ type: 'sessionDestroy', id: 'a' });
      const raced = await f.ok({ type: 'lockAcquire', key: enc.encode('leader'), value: enc.encode('b'), session: 'b', delayCheckedAt: checkedAt });
      expect({ behavior, granted: raced.granted, holder: raced.holder }).toEqual({ behavior, granted: false, holder: '' });
      expect(await f.value('leader')).toBe(behavior === 'release' ? 'a' : undefined);
      // Asked again once the leader saw the ending (and its delay passed): granted.
      const later = await f.ok({ type: 'lockAcquire', key: enc.encode('leader'), value: enc.encode('b'), session: 'b', delayCheckedAt: f.store.revision() });
      expect({ behavior, granted: later.granted, lockIndex: later.lockIndex }).toEqual({ behavior, granted: true, lockIndex: behavior === 'release' ? 2 : 1 });
      expect(await f.value('leader')).toBe('b');
    }
  });

  it('a release or a session without a lock delay does not hold back an acquire checked before it', async () => {
    const f = await Fixture.create();
    await f.session('a', { lockDelayMs: 0 });
    await f.session('b', { lockDelayMs: 0 });
    await f.acquire('k', 'a', 'a');
    const checkedAt = f.store.revision();
    await f.ok({ type: 'sessionDestroy', id: 'a' });
    expect((await f.ok({ type: 'lockAcquire', key: enc.encode('k'), value: enc.encode('b'), session: 'b', delayCheckedAt: checkedAt })).granted).toBe(true);
    await f.session('c', { lockDelayMs: 5000 });
    const before = f.store.revision();
    expect((await f.ok({ type: 'lockRelease', key: enc.encode('k'), session: 'b' })).granted).toBe(true);
    expect((await f.ok({ type: 'lockAcquire', key: enc.encode('k'), value: enc.encode('c'), session: 'c', delayCheckedAt: before })).granted).toBe(true);
  });

  it('the command codec keeps bytes and 64-bit integers exact', () => {
    const cmds: RegistryCommand[] = [
      { type: 'lockAcquire', key: Uint8Array.of(0, 255, 1), value: enc.encode('v'), session: 's' },
      registerOf(nodeOf('n', 'a'), { lease: 2n ** 63n - 1n }),
    ];
    for (const c of cmds) expect(decodeRegistryCommand(encodeRegistryCommand(c))).toEqual(c);
    expect(() => decodeRegistryCommand(enc.encode('{"type":"bogus"}'))).toThrow(expect.objectContaining({ code: 'BAD_COMMAND' }));
    expect(() => decodeRegistryCommand(enc.encode('not json'))).toThrow(expect.objectContaining({ code: 'BAD_COMMAND' }));
  });
});
