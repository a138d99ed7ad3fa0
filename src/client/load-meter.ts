/** The figures an instance reports of its own load (LoadMeter.figures). */
export interface LoadFigures {
  /** Calls being served now. */
  readonly inflight: number;
  /** Calls finished per second over the window. */
  readonly rps: number;
  /** The 99th percentile of the window's call durations, in ms (0 with no call in it). */
  readonly p99Ms: number;
}

export interface LoadMeterOptions {
  /** How far back rps and p99 look (default 60 s): an instance that gets no calls for that long reads as unloaded again, so it is tried again. */
  readonly windowMs?: number;
  /** The most durations kept (default 1024): the p99 is of the latest ones. */
  readonly maxSamples?: number;
  /** The clock (ms), injected for tests. */
  readonly now?: () => number;
}

/**
 * Measures the load of the calls an instance serves: wrap each one in begin() and the returned
 * end(). Constant memory: a ring of the latest durations with their end times.
 */
export class LoadMeter {
  private inflight = 0;
  private readonly ends: number[] = [];
  private readonly durations: number[] = [];
  private next = 0;
  private readonly windowMs: number;
  private readonly maxSamples: number;
  private readonly now: () => number;

  constructor(o: LoadMeterOptions = {}) {
    this.windowMs = o.windowMs ?? 60_000;
    this.maxSamples = o.maxSamples ?? 1024;
    this.now = o.now ?? (() => performance.now());
  }

  /** A call starts; call what it returns when it ends (once). */
  begin(): () => void {
    const started = this.now();
    this.inflight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inflight--;
      const at = this.now();
      if (this.durations.length < this.maxSamples) {
        this.durations.push(at - started);
        this.ends.push(at);
      } else {
        this.durations[this.next] = at - started;
        this.ends[this.next] = at;
        this.next = (this.next + 1) % this.maxSamples;
      }
    };
  }

  figures(): LoadFigures {
    const since = this.now() - this.windowMs;
    const recent = this.durations.filter((_, i) => this.ends[i]! >= since).sort((a, b) => a - b);
    const oldest = Math.min(...this.ends.filter((e) => e >= since));
    const spanMs = recent.length === 0 ? this.windowMs : Math.max(1000, this.now() - oldest);
    return {
      inflight: this.inflight,
      rps: recent.length === 0 ? 0 : (recent.length * 1000) / spanMs,
      p99Ms: recent.length === 0 ? 0 : recent[Math.min(recent.length - 1, Math.ceil(recent.length * 0.99) - 1)]!,
    };
  }
}

/** The service meta keys an instance's load is reported in (Consul meta keys: letters, digits, - and _). */
export const LOAD_META = { inflight: 'roster-load-inflight', rps: 'roster-load-rps', p99Ms: 'roster-load-p99-ms', at: 'roster-load-at' } as const;

/** The figures as service meta, stamped with the time (unix ms) they were taken. */
export function loadMeta(f: LoadFigures, atUnixMs: number): Record<string, string> {
  return { [LOAD_META.inflight]: String(f.inflight), [LOAD_META.rps]: f.rps.toFixed(2), [LOAD_META.p99Ms]: f.p99Ms.toFixed(1), [LOAD_META.at]: String(Math.round(atUnixMs)) };
}

/** The figures an instance's meta reports, with when, or undefined when it reports none (or garbage). */
export function loadOf(meta: Readonly<Record<string, string>>): (LoadFigures & { readonly atUnixMs: number }) | undefined {
  const n = (k: string): number => Number(meta[k]);
  const f = { inflight: n(LOAD_META.inflight), rps: n(LOAD_META.rps), p99Ms: n(LOAD_META.p99Ms), atUnixMs: n(LOAD_META.at) };
  return Object.values(f).every((v) => Number.isFinite(v) && v >= 0) && meta[LOAD_META.at] !== undefined ? f : undefined;
}

/**
 * Whether figures moved enough to be worth a Raft write: any of them by more than `share` of the
 * larger value (an in-flight count by at least 2, so 0 <-> 1 does not flap).
 */
export function loadChanged(a: LoadFigures, b: LoadFigures, share: number): boolean {
  const moved = (x: number, y: number, floor: number): boolean => Math.abs(x - y) >= floor && Math.abs(x - y) > share * Math.max(x, y);
  return moved(a.inflight, b.inflight, 2) || moved(a.rps, b.rps, 1) || moved(a.p99Ms, b.p99Ms, 1);
}
