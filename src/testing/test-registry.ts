import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlagValues } from '../flags/flags.js';
import { startServer } from '../server/run-server.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { freePort } from './free-port.js';

export interface TestRegistryOptions {
  /** The server's name, and its node's in the catalog (default "test"). */
  readonly name?: string;
  /** The loopback address it listens on (default 127.0.0.1). */
  readonly host?: string;
  /** Where its log goes (default: nowhere). */
  readonly logger?: Logger;
}

/** A registry running in this process, for an application's own tests. */
export interface TestRegistry {
  readonly name: string;
  /** The server's gRPC API (etcd's and the registry's): what the SDK's `endpoints` take. */
  readonly clientAddr: string;
  /** Its local agent: the agent API an application on its host uses, and Consul's HTTP API. */
  readonly agentAddr: string;
  /** [clientAddr], as the SDK's RosterClient `endpoints` option wants it. */
  readonly endpoints: readonly string[];
  /** Its store: a temporary directory, removed by stop(). */
  readonly dataDir: string;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/** Raft's tick here: a server alone elects itself within 8-16 ticks, so 10 ms has it leading at once. */
const TEST_TICK_MS = 10;

/**
 * Starts, in the calling process, a real single-server registry (Raft, the LevelDB store, the
 * registry, the agent API) on free loopback ports with a temporary store, and resolves once it
 * leads and takes writes. As Consul's test server and etcd's `embed`: the application's tests
 * run against the registry it will meet in production, with no cluster to start.
 *
 *   const registry = await startTestRegistry();
 *   const client = new RosterClient({ endpoints: [...registry.endpoints] });
 *   ...
 *   await registry.stop();
 */
export async function startTestRegistry(o: TestRegistryOptions = {}): Promise<TestRegistry> {
  const name = o.name ?? 'test';
  const host = o.host ?? '127.0.0.1';
  const dataDir = await mkdtemp(join(tmpdir(), 'roster-test-registry-'));
  try {
    const ports = new Set<number>();
    while (ports.size < 3) ports.add(await freePort(host));
    const [peer, client, agent] = [...ports].map((p) => `${host}:${p}`);
    const flags: FlagValues = { server: true, bootstrap: true, 'data-dir': dataDir, 'peer-addr': peer!, 'client-addr': client!, 'api-addr': agent!, 'tick-ms': TEST_TICK_MS };
    const server = await startServer(flags, name, o.logger ?? silentLogger);
    const until = Date.now() + 10_000;
    while (!server.isLeader()) {
      if (Date.now() > until) {
        await server.stop('not leading');
        throw new Error('the test registry did not elect itself within 10 s');
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return {
      name,
      clientAddr: client!,
      agentAddr: agent!,
      endpoints: [client!],
      dataDir,
      stop: async () => {
        await server.stop('stop');
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
