/** One run of a health check: the status it found and what it saw (kept to 4 KB). */
export interface ProbeResult {
  readonly status: 'passing' | 'warning' | 'critical';
  readonly output: string;
}

/** A health check's single attempt, bounded by `timeoutMs`; never throws (a failure is critical). */
export type Probe = (timeoutMs: number) => Promise<ProbeResult>;

/** Check output is kept to this many bytes (Consul's default). */
export const MAX_OUTPUT_BYTES = 4096;

export function clip(output: string): string {
  const b = Buffer.from(output, 'utf8');
  if (b.length <= MAX_OUTPUT_BYTES) return output;
  return `${b.subarray(0, MAX_OUTPUT_BYTES - 20).toString('utf8')} ... (truncated)`;
}
