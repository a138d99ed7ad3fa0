/**
 * The Raft core's throughput with no I/O: three cores wired in memory, the leader fed 256-byte
 * proposals as fast as it takes them, every Ready handled as the contract says (persist to a
 * MemoryStorage, send, apply, advance). Prints committed entries per second and how many
 * entries each append message carried.
 *
 *   npm run bench:raft [-- --seconds 5 --batch 512 --runs 3]
 */
import { MemoryStorage, RaftNode, type Message } from '../src/raft/index.js';
import { nodeId, type NodeId } from '../src/util/ids.js';
import { seededRng } from '../src/util/rng.js';

interface Options {
  seconds: number;
  batch: number;
  runs: number;
  entryBytes: number;
}

function parse(argv: string[]): Options {
  const o: Options = { seconds: 5, batch: 512, runs: 3, entryBytes: 256 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '') as keyof Options;
    const v = Number(argv[++i]);
    if (!(key in o) || !Number.isFinite(v) || v <= 0) throw new Error(`usage: bench-raft [--seconds S] [--batch N] [--runs R] [--entryBytes B]`);
    o[key] = v;
  }
  return o;
}

interface Member {
  readonly node: RaftNode;
  readonly storage: MemoryStorage;
  applied: number;
}

function run(o: Options): { entriesPerSec: number; entriesPerAppend: number; committed: number } {
  const ids: NodeId[] = ['n1', 'n2', 'n3'].map(nodeId);
  const conf = { voters: ids, learners: [] };
  const rng = seededRng(7);
  const members = new Map<NodeId, Member>();
  for (const id of ids) {
    const storage = MemoryStorage.bootstrap(conf);
    members.set(id, { node: new RaftNode({ id, storage, rng: rng.fork(), maxSizePerMsg: 4 * 1024 * 1024, maxInflightMsgs: 64 }), storage, applied: 0 });
  }
  let inbox: Message[] = [];
  let appends = 0;
  let appendedEntries = 0;
  const handle = (m: Member): void => {
    if (!m.node.hasReady()) return;
    const rd = m.node.ready();
    if (rd.snapshot !== undefined) m.storage.applySnapshot(rd.snapshot);
    m.storage.append(rd.entries);
    if (rd.hardState !== undefined) m.storage.setHardState(rd.hardState);
    for (const msg of rd.messages) {
      if (msg.type === 'app' && msg.entries.length > 0) {
        appends++;
        appendedEntries += msg.entries.length;
      }
      inbox.push(msg);
    }
    m.applied += rd.committedEntries.length;
    m.node.advance();
    // Keep memory flat: snapshot and compact as a real server would.
    const st = m.storage;
    const last = rd.committedEntries.length > 0 ? rd.committedEntries[rd.committedEntries.length - 1]!.index : 0;
    if (last - st.snapshot().meta.index > 100_000) {
      st.createSnapshot(last, conf, new Uint8Array(0));
      st.compact(last - 1000);
    }
  };

  const leader = members.get(ids[0]!)!;
  leader.node.campaign();
  for (let i = 0; i < 50 && leader.node.role !== 'leader'; i++) {
    for (const m of members.values()) handle(m);
    const batch = inbox;
    inbox = [];
    for (const msg of batch) members.get(msg.to)!.node.step(msg);
  }
  if (leader.node.role !== 'leader') throw new Error('no leader');

  const payloads = Array.from({ length: o.batch }, (_, i) => new Uint8Array(o.entryBytes).fill(i & 0xff));
  const startApplied = leader.applied;
  const began = performance.now();
  const deadline = began + o.seconds * 1000;
  let rounds = 0;
  while ((rounds & 63) !== 0 || performance.now() < deadline) {
    // Keep the pipeline full but bounded: propose while less than a few batches are uncommitted.
    const st = leader.node.status();
    if (st.lastIndex - st.commit < 4 * o.batch) leader.node.propose(payloads);
    for (const m of members.values()) handle(m);
    const batch = inbox;
    inbox = [];
    for (const msg of batch) members.get(msg.to)!.node.step(msg);
    rounds++;
  }
  const seconds = (performance.now() - began) / 1000;
  const committed = leader.applied - startApplied;
  return { entriesPerSec: committed / seconds, entriesPerAppend: appendedEntries / Math.max(1, appends), committed };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const o = parse(process.argv.slice(2));
const rates: number[] = [];
for (let r = 1; r <= o.runs; r++) {
  const res = run(o);
  rates.push(res.entriesPerSec);
  console.log(
    `run ${r}: ${Math.round(res.entriesPerSec).toLocaleString('en-US')} committed entries/s ` +
      `(${res.committed.toLocaleString('en-US')} in ${o.seconds}s), ${res.entriesPerAppend.toFixed(1)} entries per append message`,
  );
}
console.log(`median of ${o.runs}: ${Math.round(median(rates)).toLocaleString('en-US')} committed entries/s of ${o.entryBytes} bytes (3 cores, one process, no I/O; target >= 300,000)`);
