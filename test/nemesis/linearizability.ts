import { describeOp, type Op } from './history.js';

/**
 * A linearizability checker for a key-value register: Wing & Gong's search with Porcupine's
 * improvements (Lowe's memoisation of (set of linearized ops, model state), and P-compositionality:
 * each key is an independent register, so each key's sub-history is checked on its own).
 *
 * Pure: no I/O; the time budget reads an injected clock.
 *
 * What the outcomes mean here (the same rules Jepsen and Porcupine apply):
 * - a failed op definitely did not take effect: it is left out;
 * - an ambiguous put (a timeout, a lost connection, UNAVAILABLE after the write may have reached a
 *   leader) may take effect at any time after its invocation, or never: it gets a return time of
 *   +infinity. An ambiguous put no read ever saw is left out, which is equivalent (values are
 *   unique, so nothing can depend on it);
 * - a get that did not succeed told us nothing and is left out.
 */

export interface KeyFailure {
  readonly key: string;
  /** The op no linearization could place (in the deepest partial linearization found). */
  readonly stuck: Op;
  /** The register's value after the deepest partial linearization (null: absent). */
  readonly state: string | null;
  /** The last ops of that partial linearization, in linearization order. */
  readonly linearizedTail: readonly Op[];
  /** The ops not linearized yet that were invoked before `stuck` returned (the ones tried). */
  readonly concurrent: readonly Op[];
}

export interface CheckResult {
  /** unknown: the time budget ran out on some key before its search finished. */
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly keys: number;
  /** Ops the search considered (after leaving out the ones that carry no information). */
  readonly checkedOps: number;
  readonly failures: readonly KeyFailure[];
  readonly unknownKeys: readonly string[];
}

export interface CheckOptions {
  /** Milliseconds of search allowed over all keys (default: no bound). */
  readonly budgetMs?: number;
  /** The clock the budget reads (default performance.now; injected in tests). */
  readonly now?: () => number;
}

/** Checks a whole history, key by key. */
export function checkLinearizable(history: readonly Op[], opts: CheckOptions = {}): CheckResult {
  const now = opts.now ?? (() => performance.now());
  const deadline = opts.budgetMs === undefined ? Infinity : now() + opts.budgetMs;
  const byKey = new Map<string, Op[]>();
  for (const op of history) {
    let ops = byKey.get(op.key);
    if (ops === undefined) byKey.set(op.key, (ops = []));
    ops.push(op);
  }
  const failures: KeyFailure[] = [];
  const unknownKeys: string[] = [];
  let checkedOps = 0;
  for (const [key, ops] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const relevant = informativeOps(ops);
    checkedOps += relevant.length;
    const r = checkRegister(key, relevant, now, deadline);
    if (r === 'unknown') unknownKeys.push(key);
    else if (r !== 'ok') failures.push(r);
  }
  const verdict = failures.length > 0 ? 'not-linearizable' : unknownKeys.length > 0 ? 'unknown' : 'linearizable';
  return { verdict, keys: byKey.size, checkedOps, failures, unknownKeys };
}

/** The ops of one key that constrain linearizations (see the rules above). */
function informativeOps(ops: readonly Op[]): Op[] {
  const read = new Set<string>();
  for (const op of ops) if (op.kind === 'get' && op.outcome === 'ok' && op.value !== null) read.add(op.value);
  return ops.filter((op) => {
    if (op.outcome === 'failed') return false;
    if (op.kind === 'get') return op.outcome === 'ok';
    return op.outcome === 'ok' || read.has(op.value);
  });
}

interface Entry {
  readonly isCall: boolean;
  readonly id: number;
  readonly time: number;
  match: Entry | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

const BUDGET_CHECK_EVERY = 256;

/** Wing & Gong / Lowe search over one register's ops; 'ok', 'unknown' (budget), or why not. */
function checkRegister(key: string, ops: readonly Op[], now: () => number, deadline: number): 'ok' | 'unknown' | KeyFailure {
  const head = buildEntries(ops);
  const linearized = new Uint16Array(Math.ceil(ops.length / 16) || 1);
  const seen = new Set<string>();
  const calls: { entry: Entry; state: string | null }[] = [];
  let state: string | null = null;
  let entry = head.next;
  let steps = 0;
  let deepest: { depth: number; failure: KeyFailure } | undefined;
  while (head.next !== undefined) {
    if (++steps % BUDGET_CHECK_EVERY === 0 && now() > deadline) return 'unknown';
    if (entry === undefined) throw new Error('linearizability: ran off the entry list');
    if (entry.isCall) {
      const op = ops[entry.id]!;
      const next = applies(op, state);
      if (next !== undefined) {
        setBit(linearized, entry.id);
        const memo = `${String.fromCharCode(...linearized)}|${next.value === null ? '' : `=${next.value}`}`;
        if (!seen.has(memo)) {
          seen.add(memo);
          calls.push({ entry, state });
          state = next.value;
          lift(entry);
          entry = head.next;
          continue;
        }
        clearBit(linearized, entry.id);
      }
      entry = entry.next;
      continue;
    }
    // A return: the op it ends must already be linearized; it is not, so back off one step.
    if (deepest === undefined || calls.length > deepest.depth) deepest = { depth: calls.length, failure: explain(key, ops, entry, state, calls, head) };
    const top = calls.pop();
    if (top === undefined) return deepest.failure;
    state = top.state;
    clearBit(linearized, top.entry.id);
    unlift(top.entry);
    entry = top.entry.next;
  }
  return 'ok';
}

/** The model: a put always applies; a get applies iff it read the current value. */
function applies(op: Op, state: string | null): { value: string | null } | undefined {
  if (op.kind === 'put') return { value: op.value };
  return op.value === state ? { value: state } : undefined;
}

/** A doubly linked list (after a sentinel head) of call and return entries in time order. */
function buildEntries(ops: readonly Op[]): Entry {
  const entries: Entry[] = [];
  ops.forEach((op, id) => {
    const call: Entry = { isCall: true, id, time: op.invokeMs, match: undefined, prev: undefined, next: undefined };
    const ret: Entry = { isCall: false, id, time: op.outcome === 'ambiguous' ? Infinity : op.returnMs, match: undefined, prev: undefined, next: undefined };
    call.match = ret;
    entries.push(call, ret);
  });
  // At equal times a call sorts before a return: the two ops count as concurrent (the lenient reading).
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1));
  const head: Entry = { isCall: false, id: -1, time: -Infinity, match: undefined, prev: undefined, next: undefined };
  let last = head;
  for (const e of entries) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Takes a call and its return out of the list. */
function lift(call: Entry): void {
  call.prev!.next = call.next;
  if (call.next !== undefined) call.next.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next !== undefined) ret.next.prev = ret.prev;
}

/** Puts them back (in the reverse order of lift). */
function unlift(call: Entry): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next !== undefined) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next !== undefined) call.next.prev = call;
}

function setBit(bits: Uint16Array, i: number): void {
  bits[i >> 4]! |= 1 << (i & 15);
}

function clearBit(bits: Uint16Array, i: number): void {
  bits[i >> 4]! &= ~(1 << (i & 15));
}

const TAIL = 5;

function explain(key: string, ops: readonly Op[], ret: Entry, state: string | null, calls: readonly { entry: Entry }[], head: Entry): KeyFailure {
  const stuck = ops[ret.id]!;
  const concurrent: Op[] = [];
  for (let e = head.next; e !== undefined && e !== ret; e = e.next) if (e.isCall && e.id !== ret.id) concurrent.push(ops[e.id]!);
  return { key, stuck, state, linearizedTail: calls.slice(-TAIL).map((c) => ops[c.entry.id]!), concurrent };
}

/** A few lines saying why a key's history is not linearizable. */
export function formatFailure(f: KeyFailure): string {
  const lines = [
    `key ${JSON.stringify(f.key)}: no linearization places ${describeOp(f.stuck)}`,
    `  the register holds ${f.state === null ? 'nothing' : JSON.stringify(f.state)} after the deepest partial linearization, which ends with:`,
    ...f.linearizedTail.map((op) => `    ${describeOp(op)}`),
  ];
  if (f.concurrent.length > 0) lines.push('  ops still open before it returned:', ...f.concurrent.slice(0, 8).map((op) => `    ${describeOp(op)}`));
  return lines.join('\n');
}
