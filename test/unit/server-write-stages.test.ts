import { describe, expect, it } from 'vitest';
import { WriteStages, type WriteStage } from '../../src/server/write-stages.js';

function rig() {
  let now = 0;
  const seen: [WriteStage, number][] = [];
  const s = new WriteStages(() => now, (stage, ms) => seen.push([stage, ms]));
  return { s, seen, at: (t: number) => (now = t) };
}

describe('the write-stage trace', () => {
  it('tells each stage of an entry once it is applied: queue, persist, replicate, apply, total', () => {
    const { s, seen, at } = rig();
    at(10);
    s.proposed(5, 6);
    at(11);
    s.ready(5, 6);
    at(14);
    s.persisted(6);
    at(15);
    s.committed(5);
    at(16);
    s.applied(5);
    expect(seen).toEqual([['queue', 1], ['persist', 3], ['replicate', 1], ['apply', 1], ['total', 6]]);
    seen.length = 0;
    at(20);
    s.committed(6);
    at(23);
    s.applied(6);
    expect(seen).toEqual([['queue', 1], ['persist', 3], ['replicate', 6], ['apply', 3], ['total', 13]]);
  });

  it('tells nothing of entries it did not see proposed, or not carried by a Ready, and forgets them on a leader change', () => {
    const { s, seen, at } = rig();
    s.ready(1, 3);
    s.persisted(3);
    s.committed(3);
    s.applied(3);
    expect(seen).toEqual([]);
    s.proposed(4, 4);
    s.committed(4);
    s.applied(4); // committed without a Ready of ours: another leader's entry at that index
    expect(seen).toEqual([]);
    s.proposed(5, 5);
    s.ready(5, 5);
    s.forget();
    at(3);
    s.persisted(5);
    s.committed(5);
    s.applied(5);
    expect(seen).toEqual([]);
  });

  it('a commit known before its own write ends is a replicate of 0, and at most 65,536 entries are followed', () => {
    const { s, seen, at } = rig();
    s.proposed(1, 1);
    s.ready(1, 1);
    at(2);
    s.committed(1);
    at(5);
    s.persisted(1);
    s.applied(1);
    expect(seen.find(([st]) => st === 'replicate')).toEqual(['replicate', 0]);
    seen.length = 0;
    s.proposed(10, 10 + 70_000);
    s.ready(10, 10 + 70_000);
    s.persisted(10 + 70_000);
    s.committed(10 + 70_000);
    s.applied(10 + 70_000);
    expect(seen.filter(([st]) => st === 'total')).toHaveLength(65_536);
  });
});
