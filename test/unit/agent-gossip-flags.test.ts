import { describe, expect, it } from 'vitest';
import { gossipSettings } from '../../src/agent/gossip/gossip-flags.js';
import { LAN_DEFAULTS } from '../../src/gossip/index.js';

describe('gossip flags', () => {
  it('memberlist\'s LAN profile by default; fast-lan shortens confirmed suspicions only', () => {
    expect(gossipSettings({}, '127.0.0.1:8301').config).toEqual(LAN_DEFAULTS);
    const fast = gossipSettings({ 'gossip-profile': 'fast-lan' }, '127.0.0.1:8301').config;
    expect(fast).toMatchObject({ suspicionMult: 1.5, suspicionConfirmations: 1, suspicionMaxTimeoutMult: 6, probeIntervalMs: 1000, probeTimeoutMs: 500 });
  });

  it('a flag given overrides the profile; a flag not given leaves it', () => {
    expect(gossipSettings({ 'gossip-profile': 'fast-lan', 'gossip-probe-interval-ms': 500, 'gossip-probe-timeout-ms': 200 }, '127.0.0.1:8301').config).toMatchObject({ suspicionMult: 1.5, probeIntervalMs: 500, probeTimeoutMs: 200 });
    expect(gossipSettings({ 'gossip-profile': 'fast-lan', 'gossip-suspicion-mult': 3 }, '127.0.0.1:8301').config.suspicionMult).toBe(3);
  });

  it('an unknown profile or a bad address is a clear error naming the flag', () => {
    expect(() => gossipSettings({ 'gossip-profile': 'wan' }, '127.0.0.1:8301')).toThrow('--gossip-profile: must be lan or fast-lan, got "wan"');
    expect(() => gossipSettings({ join: '10.0.0.1' }, '127.0.0.1:8301')).toThrow('--join: "10.0.0.1" is not host:port');
  });
});
