import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AclReaper } from '../../src/server/acl-reaper.js';
import type { AclCommand } from '../../src/store/acl/commands.js';
import { tokenExpired, type TokenRecord } from '../../src/store/acl/records.js';
import { silentLogger } from '../../src/util/logger.js';

const token = (id: string, expirationTime?: number): TokenRecord => ({ accessorId: id, secretId: `s-${id}`, description: '', policies: [], local: false, createIndex: 1, createTime: 0, ...(expirationTime === undefined ? {} : { expirationTime }) });

describe('the ACL token reaper', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  function rig(tokens: TokenRecord[]) {
    const proposed: AclCommand[] = [];
    return {
      proposed,
      reaper: new AclReaper({
        anyExpired: (now) => Promise.resolve(tokens.some((t) => tokenExpired(t, now))),
        propose: async (cmd) => {
          proposed.push(cmd);
          return { type: cmd.type, revision: 2, changed: true, reaped: 1 };
        },
        logger: silentLogger,
        everyMs: 1000,
      }),
    };
  }

  it('proposes a reap with the leader clock only when a token has expired, and only as leader', async () => {
    const { reaper, proposed } = rig([token('live', 2_000_000), token('gone', 1_000_500)]);
    reaper.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(proposed).toEqual([]); // not the leader
    reaper.roleChanged(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(proposed).toEqual([{ type: 'aclTokenReap', now: 1_002_000 }]);
    reaper.stop();
  });

  it('writes nothing while no token has expired', async () => {
    const { reaper, proposed } = rig([token('live', 9_000_000), token('forever')]);
    reaper.roleChanged(true);
    reaper.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(proposed).toEqual([]);
    reaper.stop();
  });
});
