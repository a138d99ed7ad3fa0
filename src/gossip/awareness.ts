/**
 * Lifeguard's local health awareness: a score that rises when this member shows signs of being
 * slow itself (probes that fail without the nacks a healthy network would bring, having to refute
 * a suspicion of itself) and falls with each successful probe. Timeouts are multiplied by
 * (score + 1), so a starved member waits longer before accusing others.
 */
export class Awareness {
  private value = 0;

  constructor(private readonly maxMultiplier: number) {}

  get score(): number {
    return this.value;
  }

  apply(delta: number): void {
    this.value = Math.min(this.maxMultiplier - 1, Math.max(0, this.value + delta));
  }

  scale(ms: number): number {
    return ms * (this.value + 1);
  }
}
