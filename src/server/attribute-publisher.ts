import type { MemberAddresses } from '../store/cluster/members-store.js';
import { ENTRY_TAG, wrapEntry } from '../store/envelope.js';
import { NO_NODE, type NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';
import { PROPOSE_METHOD } from './peer-calls.js';

/** What publishing needs of its server. */
export interface AttributePublisherDeps {
  self(): NodeId;
  readonly clientAddr: string;
  /** This server's row in the members table, as applied here. */
  member(name: NodeId): MemberAddresses | undefined;
  leader(): NodeId;
  isLeader(): boolean;
  proposeEntry(data: Uint8Array, deadline: Deadline): Promise<unknown>;
  forwardToLeader(method: string, payload: Uint8Array, deadline: Deadline): Promise<unknown>;
  readonly logger: Logger;
}

/**
 * Publishes this server's client address into the members table (once, through Raft), so every
 * server can tell clients where the leader answers: retried every half second until the table
 * has it, and at once when a leader appears.
 */
export class AttributePublisher {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: AttributePublisherDeps) {}

  start(): void {
    this.timer = setInterval(() => this.publish(), 500);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** A new leader: publish now rather than at the next timer round. */
  leaderKnown(): void {
    setImmediate(() => this.publish());
  }

  private publish(): void {
    const self = this.d.self();
    const me = this.d.member(self);
    if (me === undefined || me.clientAddr === this.d.clientAddr || this.d.leader() === NO_NODE) return;
    const body = new TextEncoder().encode(JSON.stringify({ name: self, clientAddr: this.d.clientAddr }));
    const data = wrapEntry(ENTRY_TAG.memberAttributes, body);
    const deadline = deadlineIn(2000);
    const attempt = this.d.isLeader() ? this.d.proposeEntry(data, deadline) : this.d.forwardToLeader(PROPOSE_METHOD, data, deadline);
    attempt.catch((err: unknown) => this.d.logger.debug('publishing attributes failed, will retry', { error: String(err) }));
  }
}
