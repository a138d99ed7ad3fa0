import type { Probe, ProbeResult } from './probe.js';

export interface CheckSchedule {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive passing runs needed before a failing check turns passing (0 or 1: at once). */
  readonly successBeforePassing: number;
  /** Consecutive failing runs needed before a passing check turns critical (0 or 1: at once). */
  readonly failuresBeforeCritical: number;
}

/**
 * Runs one health check on its interval and reports only changes of status: a check flaps
 * between passing and critical only after the configured number of consecutive results, and a
 * run that agrees with the current status reaches nobody. New checks start critical (as in
 * Consul) until they pass. The first run comes after a random part of the interval, so a host
 * with many checks does not run them all at once.
 */
export class CheckRunner {
  private timer: NodeJS.Timeout | undefined;
  private current: ProbeResult = { status: 'critical', output: 'not run yet' };
  private streak = 0;
  private streakStatus: ProbeResult['status'] | undefined;
  private stopped = false;

  constructor(
    private readonly probe: Probe,
    private readonly schedule: CheckSchedule,
    private readonly onChange: (result: ProbeResult) => void,
    private readonly random: () => number = Math.random,
  ) {}

  get status(): ProbeResult {
    return this.current;
  }

  start(): void {
    this.timer = setTimeout(() => void this.run(), Math.floor(this.random() * this.schedule.intervalMs));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** One run now (also what the timer calls); resolves once the result is taken in. */
  async run(): Promise<void> {
    const r = await this.probe(this.schedule.timeoutMs);
    if (this.stopped) return;
    this.observe(r);
    this.timer = setTimeout(() => void this.run(), this.schedule.intervalMs);
  }

  private observe(r: ProbeResult): void {
    if (r.status === this.streakStatus) this.streak++;
    else {
      this.streakStatus = r.status;
      this.streak = 1;
    }
    if (r.status === this.current.status) {
      this.current = r; // the same status: keep the latest output, tell nobody
      return;
    }
    const needed = r.status === 'passing' ? this.schedule.successBeforePassing : r.status === 'critical' ? this.schedule.failuresBeforeCritical : 1;
    if (this.streak < Math.max(1, needed)) return;
    this.current = r;
    this.onChange(r);
  }
}
