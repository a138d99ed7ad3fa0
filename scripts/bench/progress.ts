/** A one-line progress bar on stderr (redrawn at most ten times a second). */
export class Progress {
  private last = 0;

  constructor(private readonly label: string) {}

  tick(fraction: number): void {
    const now = Date.now();
    if (now - this.last < 100 && fraction < 1) return;
    this.last = now;
    const f = Math.max(0, Math.min(1, fraction));
    const width = 30;
    const full = Math.round(f * width);
    process.stderr.write(`\r  ${this.label.padEnd(34)} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.round(f * 100)).padStart(3)}%`);
  }

  done(note = ''): void {
    this.tick(1);
    process.stderr.write(`  ${note}\n`);
  }
}
