import { describe, expect, it } from 'vitest';
import { RAFT_DEFAULTS, resolveRaftConfig, type RaftConfig } from '../../src/raft/config.js';
import { MemoryStorage } from '../../src/raft/memory-storage.js';
import { RosterError } from '../../src/util/errors.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import { silentLogger } from '../../src/util/logger.js';
import { seededRng } from '../../src/util/rng.js';

function base(): RaftConfig {
  return { id: nodeId('a'), storage: new MemoryStorage(), rng: seededRng(1) };
}

function errorOf(f: () => unknown): RosterError {
  try {
    f();
  } catch (err) {
    if (err instanceof RosterError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('resolveRaftConfig defaults', () => {
  it('fills every default and keeps the injected parts', () => {
    const cfg = base();
    const r = resolveRaftConfig(cfg);
    expect(r).toMatchObject({
      electionTick: 10,
      heartbeatTick: 1,
      applied: 0,
      maxSizePerMsg: 1024 * 1024,
      maxInflightMsgs: 256,
      maxCommittedSizePerReady: 16 * 1024 * 1024,
      checkQuorum: true,
      preVote: true,
      maxLearnerLag: 1000,
    });
    expect(r).toMatchObject(RAFT_DEFAULTS);
    expect(r.id).toBe('a');
    expect(r.storage).toBe(cfg.storage);
    expect(r.rng).toBe(cfg.rng);
    expect(r.logger).toBeUndefined();
  });

  it('keeps given values and treats explicit undefined as absent', () => {
    const r = resolveRaftConfig({
      ...base(),
      electionTick: 20,
      heartbeatTick: 3,
      applied: 7,
      maxSizePerMsg: 1,
      maxInflightMsgs: 1,
      maxCommittedSizePerReady: 2,
      checkQuorum: false,
      preVote: false,
      maxLearnerLag: 0,
      logger: silentLogger,
    });
    expect(r).toMatchObject({ electionTick: 20, heartbeatTick: 3, applied: 7, maxSizePerMsg: 1, maxInflightMsgs: 1, maxCommittedSizePerReady: 2, checkQuorum: false, preVote: false, maxLearnerLag: 0 });
    expect(r.logger).toBe(silentLogger);

    const withUndefined = resolveRaftConfig({ ...base(), electionTick: undefined, preVote: undefined, maxLearnerLag: undefined });
    expect(withUndefined).toMatchObject({ electionTick: 10, preVote: true, maxLearnerLag: 1000 });
  });

  it('does not modify the config it is given', () => {
    const cfg = { ...base(), electionTick: 5 };
    resolveRaftConfig(cfg);
    expect(Object.keys(cfg).sort()).toEqual(['electionTick', 'id', 'rng', 'storage']);
  });
});

describe('resolveRaftConfig rejects invalid fields', () => {
  it.each<{ field: string; patch: Partial<RaftConfig> }>([
    { field: 'id', patch: { id: '' as NodeId } },
    { field: 'electionTick', patch: { electionTick: 0 } },
    { field: 'electionTick', patch: { electionTick: -3 } },
    { field: 'electionTick', patch: { electionTick: 2.5 } },
    { field: 'electionTick', patch: { electionTick: Number.NaN } },
    { field: 'electionTick', patch: { electionTick: Infinity } },
    { field: 'heartbeatTick', patch: { heartbeatTick: 0 } },
    { field: 'heartbeatTick', patch: { heartbeatTick: 0.5 } },
    { field: 'heartbeatTick', patch: { heartbeatTick: 10 } }, // equal to the default electionTick
    { field: 'heartbeatTick', patch: { electionTick: 4, heartbeatTick: 5 } },
    { field: 'heartbeatTick', patch: { electionTick: 1 } }, // the default heartbeatTick is not below it
    { field: 'maxSizePerMsg', patch: { maxSizePerMsg: 0 } },
    { field: 'maxSizePerMsg', patch: { maxSizePerMsg: 1.5 } },
    { field: 'maxInflightMsgs', patch: { maxInflightMsgs: 0 } },
    { field: 'maxInflightMsgs', patch: { maxInflightMsgs: -1 } },
    { field: 'maxCommittedSizePerReady', patch: { maxCommittedSizePerReady: 0 } },
    { field: 'maxCommittedSizePerReady', patch: { maxCommittedSizePerReady: Number.NaN } },
    { field: 'applied', patch: { applied: -1 } },
    { field: 'applied', patch: { applied: 1.5 } },
    { field: 'maxLearnerLag', patch: { maxLearnerLag: -1 } },
    { field: 'maxLearnerLag', patch: { maxLearnerLag: 0.5 } },
  ])('$field in $patch', ({ field, patch }) => {
    const err = errorOf(() => resolveRaftConfig({ ...base(), ...patch }));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toMatch(new RegExp(`\\b${field}\\b`));
    expect(err.details).toEqual({ field });
  });
});
