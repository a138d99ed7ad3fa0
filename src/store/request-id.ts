/**
 * Identifies one client request across the cluster, inside its Raft entry: 8 bytes of a random
 * per-process epoch, then an 8-byte counter. The server that received the request waits for the
 * entry carrying its id to be applied locally and answers from that result, whichever server
 * proposed it. The epoch keeps a restarted process from ever matching an entry proposed by its
 * previous life.
 */
export const REQUEST_ID_BYTES = 16;

export class RequestIds {
  private readonly epoch: Uint8Array;
  private counter = 0;

  /** `epoch`: 8 random bytes (the caller draws them; the store stays free of randomness). */
  constructor(epoch: Uint8Array) {
    if (epoch.length !== 8) throw new RangeError('request id epoch must be 8 bytes');
    this.epoch = epoch;
  }

  next(): Uint8Array {
    const id = new Uint8Array(REQUEST_ID_BYTES);
    id.set(this.epoch);
    this.counter++;
    const view = new DataView(id.buffer);
    view.setUint32(8, Math.floor(this.counter / 0x1_0000_0000));
    view.setUint32(12, this.counter >>> 0);
    return id;
  }
}

/** A Map-friendly key for a request id. */
export function requestIdKey(id: Uint8Array): string {
  let s = '';
  for (let i = 0; i < id.length; i++) s += String.fromCharCode(id[i]!);
  return s;
}
