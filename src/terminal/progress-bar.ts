import { monotonicClock } from '../time/monotonic-clock.js';

/** Shared by the CLI (snapshot save), the program (snapshot restore) and the benchmarks. */
/** `label [#########.....]  45%`: one line, redrawn in place. */
export function renderProgress(label: string, fraction: number, width = 30): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/**
 * A progress bar on stderr for long operator commands (snapshot save and restore). It draws only
 * on a terminal, so scripts and logs capturing stderr get no control characters, and at most
 * every 100 ms, so a fast copy is not slowed by redrawing.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(fraction: number): void {
    if (!this.out.isTTY) return;
    const now = monotonicClock.now();
    if (now - this.lastDraw < 100 && fraction < 1) return;
    this.lastDraw = now;
    this.drawn = true;
    this.out.write(`\r${renderProgress(this.label, fraction)}`);
  }

  /**
   * Finishes the line at 100%, with `note` after the bar. Off a terminal, where nothing was
   * drawn, a note still gets a plain line of its own (the benchmarks' logs keep their results).
   */
  done(note = ''): void {
    const tail = note === '' ? '' : `  ${note}`;
    if (this.drawn) this.out.write(`\r${renderProgress(this.label, 1)}${tail}\n`);
    else if (tail !== '') this.out.write(`${this.label}${tail}\n`);
    this.drawn = false;
  }
}
