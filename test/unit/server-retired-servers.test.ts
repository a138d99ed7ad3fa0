import { describe, expect, it } from 'vitest';
import { RetiredServerSweep } from '../../src/server/retired-servers.js';
import type { RegistryCommand } from '../../src/store/registry/commands.js';
import { silentLogger } from '../../src/util/logger.js';

function setup(names: string[], catalog: string[], members: string[] = []) {
  const nodes = new Set(catalog);
  const proposed: RegistryCommand[] = [];
  const world = { leader: true, failNext: false };
  const sweep = new RetiredServerSweep({
    names,
    isLeader: () => world.leader,
    hasCatalogNode: async (n) => nodes.has(n),
    isMember: (n) => members.includes(n),
    propose: async (cmd) => {
      if (world.failNext) {
        world.failNext = false;
        throw new Error('no leader');
      }
      proposed.push(cmd);
      if (cmd.type === 'deregister') nodes.delete(cmd.node);
    },
    logger: silentLogger,
  });
  return { sweep, nodes, proposed, world };
}

describe('RetiredServerSweep', () => {
  it("deregisters the old servers' catalog nodes on the leader, and nothing else", async () => {
    const t = setup(['n1', 'n2', 'n3'], ['n1', 'n3', 'app-host']);
    t.world.leader = false;
    expect(await t.sweep.round()).toBe(false);
    expect(t.proposed).toEqual([]);
    t.world.leader = true;
    expect(await t.sweep.round()).toBe(true);
    expect(t.proposed).toEqual([
      { type: 'deregister', node: 'n1', serviceId: '', checkId: '' },
      { type: 'deregister', node: 'n3', serviceId: '', checkId: '' },
    ]);
    expect([...t.nodes]).toEqual(['app-host']);
  });

  it('leaves alone a name that is a member of this cluster (a new server reusing an old name)', async () => {
    const t = setup(['n1', 'n2'], ['n1', 'n2'], ['n2']);
    expect(await t.sweep.round()).toBe(true);
    expect([...t.nodes]).toEqual(['n2']);
  });

  it('retries a removal that failed', async () => {
    const t = setup(['n1'], ['n1']);
    t.world.failNext = true;
    expect(await t.sweep.round()).toBe(false);
    expect(t.nodes.has('n1')).toBe(true);
    expect(await t.sweep.round()).toBe(true);
    expect(t.nodes.has('n1')).toBe(false);
  });
});
