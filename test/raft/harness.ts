import { describeMessage, MemoryStorage, RaftNode, type ConfState, type Entry, type Message, type RaftConfig, type ReadState } from '../../src/raft/index.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import { seededRng, type Rng } from '../../src/util/rng.js';

/**
 * A synchronous, in-memory cluster for scenario tests: every Ready is handled at once as its
 * contract says (persist, send, apply, advance), and messages move only when the test says so.
 * It is deliberately simple; the randomized fault exploration lives in the simulator.
 */
export interface HarnessNode {
  readonly id: NodeId;
  node: RaftNode;
  storage: MemoryStorage;
  applied: Entry[];
  readStates: ReadState[];
}

export interface HarnessOptions {
  readonly seed?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  readonly maxLearnerLag?: number;
  readonly maxSizePerMsg?: number;
  readonly maxInflightMsgs?: number;
  readonly learners?: readonly string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function cmd(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(e: Entry): string {
  return decoder.decode(e.data);
}

export class Harness {
  readonly nodes = new Map<NodeId, HarnessNode>();
  /** Messages sent and not yet delivered, in send order. */
  queue: Message[] = [];
  /** Every message ever sent (for assertions about what was said). */
  readonly sent: Message[] = [];
  /** Links that drop messages: "a->b". */
  private readonly cut = new Set<string>();
  private readonly rng: Rng;
  private readonly opts: HarnessOptions;

  constructor(voters: readonly string[], opts: HarnessOptions = {}) {
    this.opts = opts;
    this.rng = seededRng(opts.seed ?? 1);
    const conf: ConfState = { voters: voters.map(nodeId).sort(), learners: (opts.learners ?? []).map(nodeId).sort() };
    for (const id of [...voters, ...(opts.learners ?? [])]) this.add(id, MemoryStorage.bootstrap(conf));
  }

  /** Adds a node with the given storage (an empty one for a node that will join). */
  add(id: string, storage: MemoryStorage = new MemoryStorage()): HarnessNode {
    const nid = nodeId(id);
    const hn: HarnessNode = { id: nid, node: this.makeNode(nid, storage), storage, applied: [], readStates: [] };
    this.nodes.set(nid, hn);
    return hn;
  }

  private makeNode(id: NodeId, storage: MemoryStorage): RaftNode {
    const cfg: RaftConfig = {
      id,
      storage,
      rng: this.rng.fork(),
      electionTick: this.opts.electionTick ?? 10,
      heartbeatTick: this.opts.heartbeatTick ?? 1,
      preVote: this.opts.preVote ?? true,
      checkQuorum: this.opts.checkQuorum ?? true,
      maxLearnerLag: this.opts.maxLearnerLag ?? 1000,
      maxSizePerMsg: this.opts.maxSizePerMsg ?? 1024 * 1024,
      maxInflightMsgs: this.opts.maxInflightMsgs ?? 256,
    };
    return new RaftNode(cfg);
  }

  /** Simulates a restart: a new core over the same durable storage. */
  restart(id: string): void {
    const hn = this.get(id);
    hn.node = this.makeNode(hn.id, hn.storage);
    hn.applied = [];
    hn.readStates = [];
  }

  get(id: string): HarnessNode {
    const hn = this.nodes.get(id as NodeId);
    if (hn === undefined) throw new Error(`no node ${id}`);
    return hn;
  }

  node(id: string): RaftNode {
    return this.get(id).node;
  }

  /** Handles one Ready of one node, following the contract. */
  process(id: string): boolean {
    const hn = this.get(id);
    if (!hn.node.hasReady()) return false;
    const rd = hn.node.ready();
    if (rd.snapshot !== undefined) hn.storage.applySnapshot(rd.snapshot);
    hn.storage.append(rd.entries);
    if (rd.hardState !== undefined) hn.storage.setHardState(rd.hardState);
    for (const m of rd.messages) {
      this.sent.push(m);
      this.queue.push(m);
    }
    if (rd.snapshot !== undefined) hn.applied = [];
    hn.applied.push(...rd.committedEntries);
    hn.readStates.push(...rd.readStates);
    hn.node.advance();
    return true;
  }

  /** Handles every node's Ready. */
  processAll(): void {
    for (const id of this.nodes.keys()) while (this.process(id)) continue;
  }

  /** Delivers queued messages (dropping those on cut links) until the cluster is quiet. */
  stabilize(maxRounds = 1000): void {
    for (let round = 0; round < maxRounds; round++) {
      this.processAll();
      if (this.queue.length === 0) return;
      const batch = this.queue;
      this.queue = [];
      for (const m of batch) this.deliver(m);
    }
    throw new Error(`cluster did not stabilize in ${maxRounds} rounds`);
  }

  /**
   * Delivers only the queued messages matching `pred` (and those their delivery causes), until
   * none match; the others stay queued in order.
   */
  deliverMatching(pred: (m: Message) => boolean, maxRounds = 1000): void {
    for (let round = 0; round < maxRounds; round++) {
      this.processAll();
      const now = this.queue.filter(pred);
      if (now.length === 0) return;
      this.queue = this.queue.filter((m) => !pred(m));
      for (const m of now) this.deliver(m);
    }
    throw new Error(`deliverMatching did not settle in ${maxRounds} rounds`);
  }

  /** Drops every queued message matching `pred`. */
  drop(pred: (m: Message) => boolean): void {
    this.processAll();
    this.queue = this.queue.filter((m) => !pred(m));
  }

  deliver(m: Message): void {
    if (this.cut.has(`${m.from}->${m.to}`)) return;
    this.nodes.get(m.to)?.node.step(m);
  }

  /** Drops everything between `id` and every other node. */
  isolate(id: string): void {
    for (const other of this.nodes.keys()) {
      if (other === id) continue;
      this.cut.add(`${id}->${other}`);
      this.cut.add(`${other}->${id}`);
    }
  }

  cutLink(from: string, to: string): void {
    this.cut.add(`${from}->${to}`);
  }

  heal(): void {
    this.cut.clear();
  }

  tick(id: string, times = 1): void {
    for (let i = 0; i < times; i++) this.node(id).tick();
  }

  /** Makes `id` campaign and delivers everything. */
  elect(id: string): void {
    this.node(id).campaign();
    this.stabilize();
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()].filter((hn) => hn.node.status().role === 'leader').map((hn) => hn.id);
  }

  /** Proposes on `id` and delivers everything; returns the accepted index. */
  propose(id: string, ...commands: string[]): number {
    const res = this.node(id).propose(commands.map(cmd));
    if (!res.ok) throw new Error(`proposal refused: ${res.code} ${res.message}`);
    this.stabilize();
    return res.index;
  }

  appliedTexts(id: string): string[] {
    return this.get(id).applied.filter((e) => e.kind === 'normal' && e.data.length > 0).map(text);
  }

  /** The trace of sent messages, one line each (for debugging a failing scenario). */
  trace(): string {
    return this.sent.map(describeMessage).join('\n');
  }
}
