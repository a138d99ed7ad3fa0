import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { Etcd3, GRPCUnavailableError } from 'etcd3';
import { isBrokenCircuitError } from 'cockatiel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

/** How a linearizable read ended and how long it took. */
interface ReadOutcome {
  readonly ms: number;
  readonly value?: string;
  readonly code?: number;
  readonly message?: string;
}

async function timed(read: () => Promise<string | undefined>): Promise<ReadOutcome> {
  const began = Date.now();
  try {
    const value = await read();
    return { ms: Date.now() - began, value: value ?? '(none)' };
  } catch (err) {
    // etcd3 turns a status into a typed error, and after repeated UNAVAILABLE its circuit
    // breaker refuses on the client side: both are the UNAVAILABLE refusal a client retries.
    const code = err instanceof GRPCUnavailableError || isBrokenCircuitError(err) ? grpc.status.UNAVAILABLE : (err as { code?: number }).code;
    return { ms: Date.now() - began, code, message: String((err as Error).message) };
  }
}

// The client's deadline is long on purpose: a read must be answered (or refused) by the server
// within an election timeout or so of its leader going away, not held until this deadline.
const CLIENT_DEADLINE_MS = 15_000;
const ANSWER_WITHIN_MS = 2_000;

describe('linearizable reads on a follower whose leader is killed', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 210 });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('are answered or refused with UNAVAILABLE within 2 s, never held until the client deadline (3 leader kills)', async () => {
    for (let round = 1; round <= 3; round++) {
      const leader = await c.waitForLeader();
      const value = `v${round}`;
      await c.call(leader, 'KV', 'Put', { key: enc('k'), value: enc(value) });
      const follower = c.running().find((s) => s !== leader)!;
      // The follower has applied the put (so a successful read must return it).
      await eventually('follower applied the put', async () => {
        const r = await c.call<{ kvs: { value: Buffer }[] }>(follower, 'KV', 'Range', { key: enc('k'), serializable: true });
        return r.kvs.length === 1 && dec(r.kvs[0]!.value) === value ? true : undefined;
      });
      const etcd = new Etcd3({ hosts: follower.clientAddr, defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + CLIENT_DEADLINE_MS }) });
      // Warm the etcd3 client's channel, so its read below goes out at once.
      await etcd.get('k').string();
      const grpcRead = (): Promise<string | undefined> =>
        c.call<{ kvs: { value: Buffer }[] }>(follower, 'KV', 'Range', { key: enc('k') }, { timeoutMs: CLIENT_DEADLINE_MS }).then((r) => (r.kvs[0] === undefined ? undefined : dec(r.kvs[0].value)));
      // etcdctl (Go's clientv3) retries a Range refused with UNAVAILABLE itself; it prints
      // the value alone, or fails with the status it gave up on.
      const etcdctlRead = (): Promise<string | undefined> =>
        new Promise((resolve, reject) => {
          const p = spawn('etcdctl', [`--endpoints=${follower.clientAddr}`, `--command-timeout=${CLIENT_DEADLINE_MS / 1000}s`, 'get', 'k', '--print-value-only'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.stderr.on('data', (d: Buffer) => (err += d.toString()));
          p.once('error', reject);
          // 'close', not 'exit': the output is read to its end.
          p.once('close', (code) => {
            if (code === 0) resolve(out.trim());
            else reject(Object.assign(new Error(err.trim()), { code: /Unavailable|no leader|confirm the read/.test(err) ? grpc.status.UNAVAILABLE : undefined }));
          });
        });
      const etcdRead = async (): Promise<string | undefined> => (await etcd.get('k').string()) ?? undefined;

      c.kill9(leader);
      // Reads at several moments of the window in which the follower still believes in the dead
      // leader (its election timeout is 400-800 ms), through gRPC, the etcd3 client and etcdctl.
      const reads: Promise<ReadOutcome>[] = [];
      const sent = [0, 100, 250, 400].map(
        (at) =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              reads.push(timed(grpcRead), timed(etcdRead), ...(at % 250 === 0 ? [timed(etcdctlRead)] : []));
              resolve();
            }, at),
          ),
      );
      await Promise.all(sent);
      const outcomes = await Promise.all(reads);
      etcd.close();
      for (const o of outcomes) {
        expect(o.ms, `round ${round}: ${JSON.stringify(outcomes)}`).toBeLessThan(ANSWER_WITHIN_MS);
        if (o.value === undefined) expect(o.code, `round ${round}: ${JSON.stringify(o)}`).toBe(grpc.status.UNAVAILABLE);
        else expect(o.value).toBe(value);
      }
      await restart(c, leader);
    }
  }, 120_000);
});

async function restart(c: TestCluster, s: ServerProc): Promise<void> {
  await c.launch(s, 'existing');
  await c.waitForLeader();
}
