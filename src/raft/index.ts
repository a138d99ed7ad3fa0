/** The Raft consensus core: pure, deterministic, driven by ticks, messages and Ready batches. */
export { RaftNode, mayLeaveBeforePersist, type Ready, type RaftStatus, type PeerStatus } from './node.js';
export { RAFT_DEFAULTS, resolveRaftConfig, type RaftConfig } from './config.js';
export { MemoryStorage } from './memory-storage.js';
export { LogWindow } from './log-window.js';
export type { RaftStorage } from './storage.js';
export { describeMessage, type Message, type MessageType } from './messages.js';
export type { RaftDropReason } from './message-bounds.js';
export { applyConfChange, confChangeError, decodeConfChange, describeConfState, encodeConfChange, type ConfChange, type ConfChangeType } from './conf-change.js';
export type { Accepted, OpResult, ProposeResult, Refusal, RefusalCode } from './refusal.js';
export * from './types.js';
