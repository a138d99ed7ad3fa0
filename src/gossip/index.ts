/** The gossip core: SWIM membership and failure detection with Lifeguard, pure and deterministic. */
export { GossipNode, type GossipNodeOptions, type GossipOutput, type MemberEvent, type MemberEventType } from './gossip-node.js';
export { GOSSIP_PROFILES, LAN_DEFAULTS, resolveGossipConfig, suspicionConfirmations, GossipConfigError, type GossipConfig, type GossipProfile } from './config.js';
export type { SuspicionView } from './suspicion.js';
export type { MemberView } from './member-table.js';
export type { GossipMessage, MemberMeta, MemberRecord, MemberState, News, Packet, Role } from './messages.js';
