import { parseGoDuration } from '../util/go-duration.js';

/**
 * consul-template's wait, "MIN:MAX" or "MIN" (MAX is then 4 x MIN) as Go durations, in
 * milliseconds; or why it is not one.
 */
export function parseWaitSpec(text: string): { readonly minMs: number; readonly maxMs: number } | string {
  const parts = text.split(':');
  const min = parseGoDuration(parts[0] ?? '');
  const max = parts[1] === undefined ? (min === undefined ? undefined : min * 4) : parseGoDuration(parts[1]);
  if (min === undefined || max === undefined || parts.length > 2) return `wait must be MIN:MAX as Go durations (2s:10s, 500ms:2s), got ${JSON.stringify(text)}`;
  if (min < 0 || max < 0) return `wait cannot be negative, got ${JSON.stringify(text)}`;
  if (max < min) return `wait: MAX (${parts[1]}) is below MIN (${parts[0]})`;
  return { minMs: min, maxMs: max };
}
