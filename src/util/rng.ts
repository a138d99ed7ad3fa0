/**
 * A small seeded pseudo-random source. The Raft and gossip cores never call Math.random: they
 * receive an Rng so that the simulator can replay any run from its seed alone.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32 so
 * that nearby seeds (1, 2, 3...) give unrelated streams.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** An integer in [min, max] inclusive. */
  between(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Picks one element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** A new, independent generator derived from this one's stream. */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    // Discard the first outputs: sfc32 needs a few rounds to diffuse the seed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  private nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.nextUint32() / 4294967296;
  }

  int(maxExclusive: number): number {
    if (!(maxExclusive > 0)) throw new RangeError(`Rng.int: maxExclusive must be > 0, got ${maxExclusive}`);
    return Math.floor(this.next() * maxExclusive);
  }

  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty array');
    return items[this.int(items.length)] as T;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  fork(): Rng {
    return new Sfc32(this.nextUint32());
  }
}

/** A deterministic generator: the same seed always yields the same stream. */
export function seededRng(seed: number): Rng {
  return new Sfc32(seed);
}
