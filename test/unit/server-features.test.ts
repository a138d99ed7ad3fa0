import { describe, expect, it } from 'vitest';
import { everyServerHas, FEATURES, versionAtLeast } from '../../src/server/features.js';
import { VERSION } from '../../src/util/version.js';

describe('replicated features wait for every server', () => {
  it('compares dotted versions numerically; junk is never enough', () => {
    expect(versionAtLeast('0.2.0', '0.2.0')).toBe(true);
    expect(versionAtLeast('0.10.0', '0.2.0')).toBe(true);
    expect(versionAtLeast('1', '0.2.0')).toBe(true);
    expect(versionAtLeast('0.1.9', '0.2.0')).toBe(false);
    expect(versionAtLeast('0.2', '0.2.0')).toBe(true);
    expect(versionAtLeast('', '0.2.0')).toBe(false);
    expect(versionAtLeast('0.2.0-dev', '0.2.0')).toBe(false);
  });

  it('keepSessions only once every Raft member announces a version that applies it', () => {
    const versions: Record<string, string> = { n1: VERSION, n2: VERSION, n3: '0.1.0' };
    expect(everyServerHas('keepSessions', ['n1', 'n2', 'n3'], (n) => versions[n])).toBe(false); // a rolling upgrade
    versions.n3 = VERSION;
    expect(everyServerHas('keepSessions', ['n1', 'n2', 'n3'], (n) => versions[n])).toBe(true);
    expect(everyServerHas('keepSessions', ['n1', 'n4'], (n) => versions[n])).toBe(false); // n4 not seen in gossip
    expect(everyServerHas('keepSessions', [], () => VERSION)).toBe(false);
    expect(versionAtLeast(VERSION, FEATURES.keepSessions)).toBe(true);
  });
});
