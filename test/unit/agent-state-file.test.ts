import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentStateFile, type PersistedAgentState } from '../../src/agent/local/agent-state-file.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'roster-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const state: PersistedAgentState = {
  version: 1,
  services: [{ service: { id: 'web-1', name: 'web', port: 80, address: '', tags: [], meta: {}, weights: null }, checks: [] }],
  maintenance: [{ serviceId: '', reason: 'upgrade' }],
};

describe('the agent state file', () => {
  it('nothing saved yet is an empty state; a save reads back whole, with no temporary file left', () => {
    const d = fresh();
    const f = new AgentStateFile(d);
    expect(f.load()).toEqual({ version: 1, services: [], maintenance: [], ttlChecks: [] });
    f.save(state);
    expect(new AgentStateFile(d).load()).toEqual({ ...state, ttlChecks: [] });
    const withTtl: PersistedAgentState = { ...state, ttlChecks: [{ checkId: 'web-ttl', status: 'passing', output: 'ok' }] };
    f.save(withTtl);
    expect(f.load()).toEqual(withTtl);
    const withTokens: PersistedAgentState = { ...withTtl, serviceTokens: { 'web-1': 'app-secret' } };
    f.save(withTokens);
    expect(f.load()).toEqual(withTokens);
    writeFileSync(f.path, JSON.stringify({ ...withTtl, serviceTokens: { 'web-1': 7 } }));
    expect(() => f.load()).toThrow(/serviceTokens: must map service ids to tokens/);
    // Checks registered on their own (on the node, or on a service) come back with their status.
    const check = { id: 'disk', name: 'disk', http: '', tcp: '', grpc: '', ttlMs: 30_000, intervalMs: 0, timeoutMs: 0, successBeforePassing: 0, failuresBeforeCritical: 0, method: '', headers: {}, args: [], deregisterCriticalServiceAfterMs: 0 };
    const withChecks: PersistedAgentState = { ...withTokens, checks: [{ serviceId: '', status: 'passing', check }] };
    f.save(withChecks);
    expect(f.load()).toEqual(withChecks);
    writeFileSync(f.path, JSON.stringify({ ...withTokens, checks: [{ serviceId: '', status: 'sideways', check }] }));
    expect(() => f.load()).toThrow(/checks: each must have a serviceId, a status and a check/);
    expect(readdirSync(d)).toEqual(['agent-state.json']);
  });

  it('a damaged or foreign file is an error naming the file and what is wrong', () => {
    const d = fresh();
    const f = new AgentStateFile(d);
    writeFileSync(f.path, '{"version":1,"serv');
    expect(() => f.load()).toThrow(/agent-state\.json: not valid JSON/);
    writeFileSync(f.path, JSON.stringify({ version: 2, services: [], maintenance: [] }));
    expect(() => f.load()).toThrow(/not an agent state file of this version/);
    writeFileSync(f.path, JSON.stringify({ version: 1, services: [{ checks: [] }], maintenance: [] }));
    expect(() => f.load()).toThrow(/services: each must be a registration/);
    writeFileSync(f.path, JSON.stringify({ version: 1, services: [], maintenance: [{ serviceId: 3 }] }));
    expect(() => f.load()).toThrow(/maintenance: each must have a serviceId and a reason/);
    writeFileSync(f.path, JSON.stringify({ version: 1, services: [], maintenance: [], ttlChecks: [{ checkId: 'x', status: 'fine', output: '' }] }));
    expect(() => f.load()).toThrow(/ttlChecks: each must have a checkId, a status and an output/);
  });
});
