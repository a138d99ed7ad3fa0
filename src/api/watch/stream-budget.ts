/**
 * How many bytes one outgoing stream has written but not yet flushed to the network. A client
 * that stops reading makes this grow; past the limit the stream is cut off (with a status that
 * says why) instead of the server buffering without bound.
 */
export class StreamBudget {
  private unsent = 0;

  constructor(private readonly limit: number) {}

  get pending(): number {
    return this.unsent;
  }

  /** Counts a write; false when it would exceed the limit (the caller cuts the stream off). */
  admit(bytes: number): boolean {
    if (this.unsent > 0 && this.unsent + bytes > this.limit) return false;
    this.unsent += bytes;
    return true;
  }

  /** A write reached the network. */
  release(bytes: number): void {
    this.unsent = Math.max(0, this.unsent - bytes);
  }
}
