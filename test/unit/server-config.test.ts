import { describe, expect, it } from 'vitest';
import { resolveServerConfig, SERVER_DEFAULTS } from '../../src/server/server-config.js';
import { isRosterError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/logger.js';

const base = { name: 'n1', dataDir: '/tmp/x', logger: silentLogger };

function refusal(f: Parameters<typeof resolveServerConfig>[0]): string {
  try {
    resolveServerConfig(f);
  } catch (err) {
    if (isRosterError(err, 'INVALID_CONFIG')) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('resolveServerConfig', () => {
  it('fills defaults: a one-server cluster of itself on the standard ports', () => {
    const cfg = resolveServerConfig(base);
    expect(cfg.peerAddr).toBe('127.0.0.1:8300');
    expect(cfg.clientAddr).toBe('127.0.0.1:8502');
    expect(cfg.initialCluster).toEqual({ n1: '127.0.0.1:8300' });
    expect(cfg.watchMaxPendingBytes).toBe(SERVER_DEFAULTS.watchMaxPendingBytes);
    expect(cfg.tickMs).toBe(SERVER_DEFAULTS.tickMs);
  });

  it('takes given values over defaults', () => {
    const cfg = resolveServerConfig({ ...base, watchMaxPendingBytes: 65_536, tickMs: 20 });
    expect(cfg.watchMaxPendingBytes).toBe(65_536);
    expect(cfg.tickMs).toBe(20);
  });

  it('names the field it refuses', () => {
    expect(refusal({ ...base, dataDir: '' })).toMatch(/^--data-dir: is required/);
    expect(refusal({ ...base, peerAddr: 'nohost' })).toMatch(/^--peer-addr: "nohost" is not host:port/);
    expect(refusal({ ...base, watchMaxPendingBytes: 0 })).toMatch(/^watchMaxPendingBytes: must be a positive integer/);
    expect(refusal({ ...base, tickMs: 1.5 })).toMatch(/^tickMs: must be a positive integer/);
    expect(refusal({ ...base, heartbeatTicks: 8 })).toMatch(/^heartbeatTicks: must be below electionTicks/);
    expect(refusal({ ...base, initialCluster: 'n2=127.0.0.2:8300' })).toMatch(/^--initial-cluster: does not list this server \(n1\)/);
  });
});
