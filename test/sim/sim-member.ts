import type { Entry, Message, RaftNode } from '../../src/raft/index.js';
import type { NodeId } from '../../src/util/ids.js';
import type { ListStateMachine } from './state-machine.js';

/**
 * One simulated server as the simulation and the workload see it, whichever driver runs it:
 * the model driver of sim-node.ts (a Ready loop written for the simulator over MemoryStorage)
 * or the production RaftDriver over LevelRaftStorage on a simulated disk (server/).
 */
export interface SimMember {
  readonly id: NodeId;
  /** The Raft core while the process is up (undefined while down or still opening its log). */
  readonly node: RaftNode | undefined;
  readonly sm: ListStateMachine;
  /** Bumped by every crash so that completions of lost work are recognised and ignored. */
  readonly epoch: number;
  removed: boolean;
  /** Set by the fault schedule: crash as soon as this (new) leader decides its first commit. */
  crashAtFirstCommit: boolean;
  readonly up: boolean;
  start(): void;
  /** kill -9, or with `powerLoss` a machine failure that also loses unsynced writes. */
  crash(powerLoss: boolean): void;
  step(m: Message): void;
  /** Lets the driver handle whatever the core has for it now. */
  pump(): void;
  /** Whether `e` survives a power loss of this node (on its disk, or under its snapshot). */
  hasDurably(e: Entry): boolean;
  /** Its log's extent, for traces. */
  describeLog(): string;
}
