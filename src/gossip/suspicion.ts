import { suspicionRemainingMs } from './scaling.js';

/** What a suspicion looks like from outside (for inspection and the simulator's breakdowns). */
export interface SuspicionView {
  readonly startedAt: number;
  /** The deadline as it stands, and the timeout it applies (deadline - startedAt). */
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly confirmations: number;
  readonly expected: number;
  /** The timeout's range: max with no confirmation, min with `expected` of them. */
  readonly minMs: number;
  readonly maxMs: number;
  /** Every accuser counted, the first one included, with when it was counted here. */
  readonly accusers: readonly { readonly name: string; readonly at: number }[];
}

/**
 * One member under suspicion: the deadline at which it is declared dead, which starts at the
 * maximum and shrinks as distinct other members independently suspect it too (Lifeguard). With
 * `expected` 0 the deadline is fixed at the minimum (plain SWIM).
 */
export class Suspicion {
  /** Accuser -> when its suspicion was counted here. */
  private readonly from = new Map<string, number>();

  constructor(
    readonly startedAt: number,
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly expected: number,
    firstAccuser: string,
  ) {
    this.from.set(firstAccuser, startedAt);
  }

  get confirmations(): number {
    return this.from.size - 1;
  }

  /** A suspicion from `accuser`; true if it is a new, counted confirmation (worth re-gossiping). */
  confirm(accuser: string, now: number): boolean {
    if (this.confirmations >= this.expected || this.from.has(accuser)) return false;
    this.from.set(accuser, now);
    return true;
  }

  deadline(): number {
    return this.startedAt + suspicionRemainingMs(this.minMs, this.maxMs, this.expected, this.confirmations);
  }

  view(): SuspicionView {
    const deadline = this.deadline();
    return { startedAt: this.startedAt, deadline, timeoutMs: deadline - this.startedAt, confirmations: this.confirmations, expected: this.expected, minMs: this.minMs, maxMs: this.maxMs, accusers: [...this.from].map(([name, at]) => ({ name, at })) };
  }
}
