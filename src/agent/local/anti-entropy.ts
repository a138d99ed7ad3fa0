import type { Logger } from '../../util/logger.js';
import type { LocalCheck, LocalService, LocalState } from './local-state.js';
import { Backoff } from '../../util/backoff.js';

/** The catalog as the agent sees its own node there. */
export interface CatalogNodeView {
  readonly services: readonly LocalService[];
  readonly checks: readonly { readonly id: string; readonly serviceId: string; readonly status: string; readonly output: string }[];
}

/** The few catalog calls anti-entropy makes (through any server). */
export interface CatalogWriter {
  nodeServices(node: string): Promise<CatalogNodeView | undefined>;
  /** `token`: the service's own ACL token (undefined: the agent's). */
  register(node: string, service: LocalService, checks: readonly LocalCheck[], token?: string): Promise<void>;
  deregister(node: string, serviceId: string, token?: string): Promise<void>;
  /** Registers checks on the node itself (serviceId ''), leaving the node record as it is. */
  registerNodeChecks(node: string, checks: readonly LocalCheck[]): Promise<void>;
  deregisterCheck(node: string, checkId: string, token?: string): Promise<void>;
}

/**
 * The catalog writer knows no server yet (gossip has not named one): nothing was sent, so
 * trying again costs nothing, and the sync is tried again soon rather than on the back-off.
 */
export class NoServerKnownError extends Error {
  constructor() {
    super('no server known from gossip yet');
  }
}

/** While no server is known, how often a sync is tried again (an agent that just started, a server list being learned). */
const NO_SERVER_RETRY_MS = 200;

/** The node check the leader keeps from gossip (Consul's serfHealth): never the agent's to sync. */
const LEADER_OWNED_NODE_CHECKS: ReadonlySet<string> = new Set(['serfHealth']);

export interface AntiEntropyOptions {
  readonly node: string;
  /** A full comparison this often (plus up to the same again at random, so agents spread out). */
  readonly intervalMs: number;
  /** After a failed sync: wait this long, doubling up to maxBackoffMs, each with jitter. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly random?: () => number;
}

/**
 * Keeps the catalog in line with the agent (Consul's anti-entropy): the agent is the source of
 * truth for its own node's services and their checks. A sync reads the node from the catalog,
 * re-registers what is missing or different (a server restored from an old snapshot lost it),
 * and removes services the agent no longer has. Node-level checks are the agent's too (node
 * maintenance), except the member health check the leader keeps from gossip. Syncs run after every local change (soon, and
 * coalesced), on a jittered interval, and after a failure with jittered exponential back-off,
 * so a thousand agents coming back from an outage do not all hit the leader at once.
 */
export class AntiEntropy {
  private timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (monotonic time: a wall clock step changes nothing). */
  private timerDueAt = 0;
  private running = false;
  private again = false;
  private readonly backoff: Backoff;
  private stopped = false;
  private current: Promise<void> | undefined;
  /** Syncs completed, and the last error (for tests and operators). */
  syncs = 0;
  lastError: string | undefined;

  constructor(
    private readonly state: LocalState,
    private readonly catalog: CatalogWriter,
    private readonly o: AntiEntropyOptions,
    private readonly logger: Logger,
  ) {
    this.backoff = new Backoff({ initialMs: o.minBackoffMs, maxMs: o.maxBackoffMs, jitter: o.random ?? Math.random });
    state.onChange(() => this.soon());
  }

  start(): void {
    this.schedule(this.jitter(this.o.intervalMs));
  }

  /** Stops syncing; resolves once a sync in progress is done (so none lands after a leave). */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    return this.current ?? Promise.resolve();
  }

  /** A sync as soon as the current one (if any) is done. */
  soon(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(10);
  }

  /** One comparison and repair; resolves when done (rejects on failure). */
  async syncNow(): Promise<void> {
    const { node } = this.o;
    const remote = await this.catalog.nodeServices(node);
    const local = this.state.allServices();
    // One service the servers refuse must not hold back the others: repair all, then report.
    const failures: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        failures.push(`${what}: ${err instanceof Error ? ((err as { details?: string }).details ?? err.message) : String(err)}`);
      }
    };
    for (const s of local) {
      const checks = this.state.checksOf(s.id);
      const there = remote?.services.find((r) => r.id === s.id);
      const sameService = there !== undefined && sameServiceRecord(there, s);
      const sameChecks = checks.every((c) => remote?.checks.some((r) => r.id === c.id && r.serviceId === s.id && r.status === c.status && r.output === c.output) === true);
      const token = this.state.serviceToken(s.id);
      if (!sameService || !sameChecks) await attempt(`register ${s.id}`, () => this.catalog.register(node, s, checks, token));
      // Checks the agent dropped (a service re-registered with fewer, maintenance turned off).
      for (const r of remote?.checks ?? []) if (r.serviceId === s.id && this.state.check(r.id) === undefined) await attempt(`deregister check ${r.id}`, () => this.catalog.deregisterCheck(node, r.id, token));
    }
    for (const r of remote?.services ?? []) {
      if (this.state.service(r.id) !== undefined) continue;
      await attempt(`deregister ${r.id}`, async () => {
        await this.catalog.deregister(node, r.id, this.state.serviceToken(r.id));
        this.state.forgetServiceToken(r.id);
      });
    }
    const nodeChecks = this.state.nodeChecks();
    const nodeChecksAgree = nodeChecks.every((c) => remote?.checks.some((r) => r.id === c.id && r.serviceId === '' && r.status === c.status && r.output === c.output) === true);
    if (!nodeChecksAgree) await attempt('node checks', () => this.catalog.registerNodeChecks(node, nodeChecks));
    for (const r of remote?.checks ?? []) {
      if (r.serviceId !== '' || LEADER_OWNED_NODE_CHECKS.has(r.id) || this.state.check(r.id) !== undefined) continue;
      await attempt(`deregister check ${r.id}`, () => this.catalog.deregisterCheck(node, r.id));
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
    this.syncs++;
  }

  /**
   * The next sync in `ms`, unless one is already due sooner: a retry after a failure (or a
   * local change's sync) pending when start() sets the first interval must stay pending, or the
   * agent's services wait up to a full interval to reach the catalog.
   */
  private schedule(ms: number): void {
    if (this.stopped) return;
    const dueAt = performance.now() + ms;
    if (this.timer !== undefined) {
      if (this.timerDueAt <= dueAt) return;
      clearTimeout(this.timer);
    }
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, ms);
  }

  private run(): Promise<void> {
    if (this.running || this.stopped) return Promise.resolve();
    this.current = this.runOnce().finally(() => (this.current = undefined));
    return this.current;
  }

  private async runOnce(): Promise<void> {
    this.running = true;
    this.again = false;
    try {
      await this.syncNow();
      this.lastError = undefined;
      this.backoff.reset();
      this.schedule(this.again ? 10 : this.o.intervalMs + this.jitter(this.o.intervalMs));
    } catch (err) {
      const noServer = err instanceof NoServerKnownError;
      const error = err instanceof Error ? err.message : String(err);
      const inMs = noServer ? NO_SERVER_RETRY_MS : this.backoff.next();
      // Logged once per streak of no-server retries, not every 200 ms.
      if (!noServer || this.lastError !== error) this.logger.warn('anti-entropy sync failed; retrying', { error, inMs });
      this.lastError = error;
      this.schedule(inMs);
    } finally {
      this.running = false;
    }
  }

  private jitter(ms: number): number {
    return Math.floor((this.o.random ?? Math.random)() * ms);
  }
}

/** Whether the catalog holds the service exactly as the agent does (every field it registers). */
function sameServiceRecord(a: LocalService, b: LocalService): boolean {
  const metaKeys = Object.keys(a.meta);
  return (
    a.name === b.name &&
    a.port === b.port &&
    a.address === b.address &&
    a.tags.join(',') === b.tags.join(',') &&
    (a.weights?.passing ?? 1) === (b.weights?.passing ?? 1) &&
    (a.weights?.warning ?? 1) === (b.weights?.warning ?? 1) &&
    metaKeys.length === Object.keys(b.meta).length &&
    metaKeys.every((k) => a.meta[k] === b.meta[k])
  );
}
