import { describe, expect, it } from 'vitest';
import { hostOf, isHostPort, splitHostPort } from '../../src/util/host-port.js';

describe('host:port', () => {
  it('accepts a name or IPv4 address and a port up to 65535', () => {
    expect(['127.0.0.1:8500', 'server1:8300', 'a:0'].every(isHostPort)).toBe(true);
    expect(['127.0.0.1', ':80', 'a b:80', 'a:80,b:80', 'http://a:80', 'a:65536', 'a:123456', 'a:x'].some(isHostPort)).toBe(false);
  });

  it('splits into host and port', () => {
    expect(splitHostPort('10.0.0.5:8301')).toEqual({ host: '10.0.0.5', port: 8301 });
    expect(hostOf('server1:8502')).toBe('server1');
  });
});
