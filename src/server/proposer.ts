import { randomBytes } from 'node:crypto';
import type { ConfChange, ProposeResult, RaftNode } from '../raft/index.js';
import { encodeAclCommand, type AclCommand, type AclResponse } from '../store/acl/commands.js';
import { ENTRY_TAG, wrapCommandEntry, type CommandTag } from '../store/envelope.js';
import { encodeKvCommand } from '../store/kv/command-codec.js';
import type { KvCommand, KvCommandResponse } from '../store/kv/command.js';
import { encodeRegistryCommand, type RegistryCommand, type RegistryResponse } from '../store/registry/commands.js';
import { RequestIds } from '../store/request-id.js';
import type { StateResponse } from '../store/state-command.js';
import { RosterError } from '../util/errors.js';
import { NO_NODE } from '../util/ids.js';
import type { Deadline } from '../time/deadline.js';
import type { RequestTracker } from './request-tracker.js';
import type { WriteForwarder } from './write-forwarder.js';

/** What proposing needs of its server. */
export interface ProposerDeps {
  readonly node: Pick<RaftNode, 'propose' | 'proposeConfChange' | 'role' | 'leader'>;
  readonly requests: RequestTracker<StateResponse | undefined>;
  readonly forwarder: Pick<WriteForwarder<StateResponse | undefined>, 'forward'>;
  /** Wakes the Raft driver, which carries the proposal in its next Ready. */
  kick(): void;
  /** Why a new write is refused before it is proposed (the server stops, its disk fails), if it is. */
  refusal(): RosterError | undefined;
  /** Every server applies a register's `implicitNodes` (features.ts): only then is it set. */
  implicitNodes(): boolean;
  /** Entries [first, last] proposed here as leader (the write-stage trace). */
  proposed?(first: number, last: number): void;
}

/**
 * Every proposal a server makes, and the wait for its outcome. A client write gets a request id
 * and goes into the log here if this server leads, or to the leader (batched on the Raft stream)
 * if it follows; either way it is answered with this server's own result of applying it. Member
 * attributes and membership changes are proposed here as leader and wait by their index.
 */
export class Proposer {
  private readonly requestIds = new RequestIds(randomBytes(8));

  constructor(private readonly d: ProposerDeps) {}

  proposeKv(cmd: KvCommand, deadline: Deadline): Promise<KvCommandResponse | undefined> {
    return this.proposeCommand(ENTRY_TAG.kv, encodeKvCommand(cmd), deadline) as Promise<KvCommandResponse | undefined>;
  }

  async proposeRegistry(cmd: RegistryCommand, deadline: Deadline): Promise<RegistryResponse> {
    const stamped: RegistryCommand = cmd.type === 'register' && cmd.service !== undefined && this.d.implicitNodes() ? { ...cmd, implicitNodes: true } : cmd;
    const res = await this.proposeCommand(ENTRY_TAG.registry, encodeRegistryCommand(stamped), deadline);
    if (res === undefined || res.type !== cmd.type) throw new RosterError('INTERNAL', `no ${cmd.type} result`);
    return res;
  }

  /** An ACL command (bootstrap, tokens, policies): the ACL service's writes. */
  async proposeAcl(cmd: AclCommand, deadline: Deadline): Promise<AclResponse> {
    const res = await this.proposeCommand(ENTRY_TAG.acl, encodeAclCommand(cmd), deadline);
    if (res === undefined || res.type !== cmd.type) throw new RosterError('INTERNAL', `no ${cmd.type} result`);
    return res;
  }

  /** A raw entry without a request id (a member's attributes), proposed here as leader. */
  proposeEntry(data: Uint8Array, deadline: Deadline): Promise<StateResponse | undefined> {
    const refusal = this.d.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    return this.proposeHere(this.d.node.propose([data]), undefined, deadline);
  }

  /** A membership change (on the leader), resolved once it is applied here. */
  async proposeConfChange(cc: ConfChange, deadline: Deadline): Promise<void> {
    // Only client writes and member attributes are refused up front (refusal()); a membership
    // change goes straight to the Raft core, which refuses it if this server cannot make it.
    await this.proposeHere(this.d.node.proposeConfChange(cc), undefined, deadline);
  }

  private proposeCommand(tag: CommandTag, command: Uint8Array, deadline: Deadline): Promise<StateResponse | undefined> {
    const refusal = this.d.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    const id = this.requestIds.next();
    const data = wrapCommandEntry(tag, id, command);
    if (this.d.node.role === 'leader') return this.proposeHere(this.d.node.propose([data]), id, deadline);
    if (this.d.node.leader === NO_NODE) return Promise.reject(new RosterError('NO_LEADER', 'etcdserver: no leader', { leader: '', leaderAddr: '' }));
    const done = this.d.requests.wait(id, deadline, true);
    this.d.forwarder.forward(data, id);
    return done;
  }

  /**
   * The one place an entry proposed here as leader is tracked: a client write (`id`) by its
   * request id and its place in the log, anything else by its place alone.
   */
  private proposeHere(res: ProposeResult, id: Uint8Array | undefined, deadline: Deadline): Promise<StateResponse | undefined> {
    if (!res.ok) return Promise.reject(new RosterError(res.code, res.message, { leader: res.leader }));
    this.d.proposed?.(res.index, res.lastIndex);
    let done: Promise<StateResponse | undefined>;
    if (id === undefined) {
      done = this.d.requests.waitAt(res.index, res.term, deadline);
    } else {
      this.d.requests.proposedAt(res.index, res.term, id);
      done = this.d.requests.wait(id, deadline, false);
    }
    this.d.kick();
    return done;
  }
}
