/**
 * A recorded client history for a key-value register: what each client asked, when (one
 * monotonic clock for every client), and what it learned. Values are unique per write, so a read
 * names the write it saw.
 */

/** ok: the server answered; failed: definitely not applied; ambiguous: may or may not have been. */
export type Outcome = 'ok' | 'failed' | 'ambiguous';

export interface PutOp {
  readonly kind: 'put';
  readonly client: number;
  readonly key: string;
  readonly value: string;
  readonly invokeMs: number;
  /** When the answer (or the error) came back; ignored for an ambiguous put (it may take effect any time later). */
  readonly returnMs: number;
  readonly outcome: Outcome;
}

export interface GetOp {
  readonly kind: 'get';
  readonly client: number;
  readonly key: string;
  /** The value read; null when the key was absent. Meaningful only when ok. */
  readonly value: string | null;
  readonly invokeMs: number;
  readonly returnMs: number;
  readonly outcome: Outcome;
}

export type Op = PutOp | GetOp;

/** One line describing an operation, for explanations. */
export function describeOp(op: Op): string {
  const what = op.kind === 'put' ? `put ${JSON.stringify(op.value)}` : `get -> ${op.value === null ? 'absent' : JSON.stringify(op.value)}`;
  const end = op.outcome === 'ambiguous' ? 'ambiguous' : `${op.returnMs.toFixed(1)}`;
  return `client ${op.client} ${what} [${op.invokeMs.toFixed(1)}, ${end}] ${op.outcome}`;
}
