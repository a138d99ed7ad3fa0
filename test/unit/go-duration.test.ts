import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../src/util/go-duration.js';

describe("Go's duration strings, as Consul takes them", () => {
  it('reads every unit, compound and fractional forms, a sign and a bare 0', () => {
    expect(parseGoDuration('10s')).toBe(10_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1m0.5s')).toBe(60_500);
    expect(parseGoDuration('1500us')).toBe(1.5);
    expect(parseGoDuration('2µs')).toBe(0.002);
    expect(parseGoDuration('3000000ns')).toBe(3);
    expect(parseGoDuration('.5s')).toBe(500);
    expect(parseGoDuration('-2s')).toBe(-2000);
    expect(parseGoDuration('0')).toBe(0);
  });

  it('refuses what Go refuses: no unit, unknown units, words, spaces inside, empty', () => {
    for (const bad of ['10', '', '-', '1d', '1 hour', '1h 30m', 's', '1.2.3s', 'h1', '1sm', '1e3s']) expect(parseGoDuration(bad), bad).toBeUndefined();
  });
});
