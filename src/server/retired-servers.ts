import type { RegistryCommand } from '../store/registry/commands.js';
import type { Logger } from '../util/logger.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';

export interface RetiredServerDeps {
  /** The old cluster's servers that are not members of this one (from a restore). */
  readonly names: readonly string[];
  isLeader(): boolean;
  /** Whether the catalog still has a node of that name. */
  hasCatalogNode(name: string): Promise<boolean>;
  /** A Raft member or a gossip member of this cluster by that name: it is not retired after all. */
  isMember(name: string): boolean;
  propose(cmd: RegistryCommand, deadline: Deadline): Promise<unknown>;
  readonly logger: Logger;
}

/**
 * After a restore, the leader removes the catalog nodes of the servers of the cluster the
 * snapshot was taken from that are not in the new one: they came along in the state with their
 * member check passing, and no gossip member of the new cluster will ever stand for them.
 * A name that is (again) a Raft or gossip member of this cluster is left to the reconciler.
 * Retried every `everyMs` until no such node is left; a write through Raft, so every server
 * agrees, and harmless to repeat on a later leader (the node is gone by then).
 */
export class RetiredServerSweep {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private done = false;

  constructor(
    private readonly d: RetiredServerDeps,
    private readonly everyMs = 2000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.round(), this.everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** One pass on the leader; true once none of the retired servers has a catalog node. */
  async round(): Promise<boolean> {
    if (this.done || this.running || !this.d.isLeader()) return this.done;
    this.running = true;
    try {
      let left = 0;
      for (const name of this.d.names) {
        if (this.d.isMember(name) || !(await this.d.hasCatalogNode(name))) continue;
        try {
          await this.d.propose({ type: 'deregister', node: name, serviceId: '', checkId: '' }, deadlineIn(5000));
          this.d.logger.info('removed a server of the cluster this one was restored from from the catalog', { node: name });
        } catch (err) {
          left++;
          this.d.logger.warn('could not remove a retired server from the catalog (retried)', { node: name, error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (left === 0) {
        this.done = true;
        this.stop();
      }
      return this.done;
    } finally {
      this.running = false;
    }
  }
}
