import type { Rng } from '../util/rng.js';
import type { GossipConfig } from './config.js';
import type { DroppedNews } from './incarnation-bounds.js';
import type { MemberView } from './member-table.js';
import type { MemberMeta, Packet } from './messages.js';

/** The gossip core's inputs and outputs, and its probe and relay state (gossip-node.ts). */

export type MemberEventType = 'joined' | 'updated' | 'suspect' | 'alive' | 'failed' | 'left';

export interface MemberEvent {
  readonly type: MemberEventType;
  readonly member: MemberView;
  readonly at: number;
}

/** What one call produced: messages to send and membership changes this member observed. */
export interface GossipOutput {
  readonly packets: Packet[];
  readonly events: MemberEvent[];
  /**
   * Set in the one output where a push-pull with one of the seeds given to join() first
   * completed (the seed's address as given): the join is done and is no longer retried.
   */
  readonly joinedSeed: string | undefined;
  /** What receive() dropped from the message (the rest was read), and why, if it did. */
  readonly dropped: DroppedNews | undefined;
}

export interface GossipNodeOptions {
  readonly name: string;
  /** host:port other members reach this one at (UDP and TCP). */
  readonly addr: string;
  readonly meta: MemberMeta;
  readonly config: GossipConfig;
  readonly rng: Rng;
  readonly now: number;
}

/** The probe in progress: one target per probe interval. */
export interface ProbeRound {
  readonly target: string;
  readonly seq: number;
  /** Past this without an ack, ask others to probe. */
  readonly indirectAt: number;
  /** Past this without an ack, the target is suspected. */
  readonly endAt: number;
  indirect: boolean;
  nacks: number;
  expectedNacks: number;
}

/** A probe this member relays for another (an indirect ping). */
export interface Relay {
  readonly requester: string;
  readonly requesterSeq: number;
  /** Past this without an ack, tell the requester (Lifeguard's nack), if it asked. */
  readonly nackAt: number;
  /** An ack is still relayed until this; then the relay is forgotten. */
  readonly deadline: number;
  wantNack: boolean;
}

