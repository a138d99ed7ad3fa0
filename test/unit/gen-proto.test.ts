import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-proto.js';

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('generated protobuf types', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'roster-gen-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('src/gen is exactly what proto/ generates (regenerate with npm run gen:proto, never edit by hand)', () => {
    generate(tmp);
    const fresh = files(tmp);
    const committed = files(resolve(import.meta.dirname, '../../src/gen'));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, text] of fresh) expect(committed.get(path), path).toBe(text);
  });
});
