import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

interface RangeRes {
  kvs: { key: Buffer; value: Buffer }[];
  more: boolean;
}

const PUTS = 10_000;
const IN_FLIGHT = 64;

describe('durability under kill -9', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 30, snapshotEvery: 2000 });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it(`loses no acknowledged put among ${PUTS} while the leader and then a follower are killed`, async () => {
    const acked = new Map<number, string>();
    let failed = 0;
    let next = 0;
    let rr = 0;
    const deadline = Date.now() + 150_000;
    const faults: Promise<void>[] = [];
    let killedLeader: ServerProc | undefined;
    let killedFollower: ServerProc | undefined;
    const onProgress = (i: number): void => {
      if (i === 2500) {
        faults.push(
          c.waitForLeader(5000).then((l) => {
            killedLeader = l;
            c.kill9(l);
          }),
        );
      } else if (i === 5000 && killedLeader !== undefined) {
        faults.push(c.launch(killedLeader, 'new'));
      } else if (i === 7000) {
        faults.push(
          c.waitForLeader(5000).then((l) => {
            killedFollower = c.running().find((s) => s !== l);
            if (killedFollower !== undefined) c.kill9(killedFollower);
          }),
        );
      } else if (i === 8500 && killedFollower !== undefined) {
        faults.push(c.launch(killedFollower, 'new'));
      }
    };
    const worker = async (): Promise<void> => {
      while (next < PUTS && Date.now() < deadline) {
        const i = next++;
        onProgress(i);
        const targets = c.running();
        const target = targets[rr++ % targets.length];
        if (target === undefined) {
          failed++;
          continue;
        }
        const value = `value-${i}`;
        try {
          await c.call(target, 'KV', 'Put', { key: enc(`d/${String(i).padStart(5, '0')}`), value: enc(value) }, { timeoutMs: 3000 });
          acked.set(i, value);
        } catch {
          failed++; // not acknowledged: may or may not be applied, both are fine
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => worker()));
    await Promise.all(faults);
    expect(next).toBe(PUTS); // the load finished within its time bound
    expect(acked.size).toBeGreaterThan(PUTS / 2);

    // Every acknowledged put is there, on every server.
    await c.waitForLeader(15_000);
    const verifyStart = Date.now();
    for (const s of c.running()) {
      // A server restarted during the load may still be catching up (a linearizable read waits
      // until it has applied the leader's commit index): slow is not lost, so wait for it.
      const found = await eventually(`${s.name} answers a linearizable read of every key`, async () => {
        const keys = new Map<number, string>();
        let from = enc('d/');
        try {
          for (;;) {
            const r = await c.call<RangeRes>(s, 'KV', 'Range', { key: from, rangeEnd: enc('d0'), limit: 2000 }, { timeoutMs: 10_000 });
            for (const kv of r.kvs) keys.set(Number(dec(kv.key).slice(2)), dec(kv.value));
            if (!r.more) return keys;
            from = Buffer.concat([r.kvs[r.kvs.length - 1]!.key, Buffer.of(0)]);
          }
        } catch {
          return undefined;
        }
      }, 90_000, 500);
      const lost = [...acked].filter(([i, v]) => found.get(i) !== v).map(([i]) => i);
      expect(lost, `${s.name} is missing acknowledged puts`).toEqual([]);
    }
    console.log(`durability: ${acked.size} puts acknowledged, ${failed} refused or timed out during the faults, none lost (every server read back in ${Date.now() - verifyStart} ms)`);
  });
});
