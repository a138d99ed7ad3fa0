import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Endpoints } from '../../src/client/endpoints.js';
import { registryProto } from '../../src/proto/registry-proto.js';

const Catalog = (): grpc.ServiceClientConstructor => registryProto().roster.registry.v1.Catalog as unknown as grpc.ServiceClientConstructor;

describe('Endpoints', () => {
  it('follows a new server list: the current server stays current if still listed; channels to dropped ones close', () => {
    const e = new Endpoints(['10.0.0.1:8502', '10.0.0.2:8502']);
    e.rotate();
    expect(e.currentAddress).toBe('10.0.0.2:8502');
    const dropped = e.client(Catalog(), '10.0.0.1:8502');
    e.setAddresses(['10.0.0.3:8502', '10.0.0.2:8502']);
    expect(e.currentAddress).toBe('10.0.0.2:8502');
    expect(dropped.getChannel().getConnectivityState(false)).toBe(grpc.connectivityState.SHUTDOWN);
    e.setAddresses(['10.0.0.4:8502']);
    expect(e.currentAddress).toBe('10.0.0.4:8502');
    expect(e.addresses).toEqual(['10.0.0.4:8502']);
    e.close();
  });

  it('refuses an empty list or a malformed address, keeping the old list', () => {
    const e = new Endpoints(['10.0.0.1:8502']);
    expect(() => e.setAddresses([])).toThrow(/at least one endpoint/);
    expect(() => e.setAddresses(['nope'])).toThrow(/host:port/);
    expect(e.addresses).toEqual(['10.0.0.1:8502']);
    e.close();
  });
});
