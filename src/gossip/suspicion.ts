import { suspicionRemainingMs } from './scaling.js';

/**
 * One member under suspicion: the deadline at which it is declared dead, which starts at the
 * maximum and shrinks as distinct other members independently suspect it too (Lifeguard). With
 * `expected` 0 the deadline is fixed at the minimum (plain SWIM).
 */
export class Suspicion {
  private readonly from = new Set<string>();

  constructor(
    readonly startedAt: number,
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly expected: number,
    firstAccuser: string,
  ) {
    this.from.add(firstAccuser);
  }

  get confirmations(): number {
    return this.from.size - 1;
  }

  /** A suspicion from `accuser`; true if it is a new, counted confirmation (worth re-gossiping). */
  confirm(accuser: string): boolean {
    if (this.confirmations >= this.expected || this.from.has(accuser)) return false;
    this.from.add(accuser);
    return true;
  }

  deadline(): number {
    return this.startedAt + suspicionRemainingMs(this.minMs, this.maxMs, this.expected, this.confirmations);
  }
}
