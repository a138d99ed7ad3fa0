import { GOSSIP_PROFILES, GossipConfigError, resolveGossipConfig, type GossipConfig, type GossipProfile } from '../../gossip/config.js';
import { RosterError } from '../../util/errors.js';
import type { FlagSpec, FlagValues } from '../../flags/flags.js';
import { isHostPort } from '../../util/host-port.js';
import { parseGossipKey } from '../../transport/gossip-crypto.js';

/** The agent's gossip flags (servers and client agents alike). */
export const GOSSIP_FLAGS: FlagSpec = {
  'gossip-addr': { kind: 'string', help: 'host:port for gossip, UDP and TCP (client agents default 127.0.0.1:8301; servers gossip only when given)' },
  join: { kind: 'string', help: 'gossip addresses to join through: host:port,host:port (retried with back-off until a full state exchange with one of them completes)' },
  'cluster-name': { kind: 'string', help: 'the gossip pool\'s name; packets from other pools are dropped (default roster)' },
  datacenter: { kind: 'string', help: 'this member\'s datacenter (default dc1)' },
  'gossip-probe-interval-ms': { kind: 'int', help: 'probe one member this often (default 1000, memberlist\'s LAN profile)' },
  'gossip-probe-timeout-ms': { kind: 'int', help: 'wait this long for a direct ack (default 500)' },
  'gossip-profile': { kind: 'string', help: 'lan (memberlist\'s LAN profile, the default) or fast-lan (a crash known by 200 members within 10 s: shorter suspicion once another member confirms it)' },
  encrypt: { kind: 'string', help: "the pool's gossip key, base64 of 16, 24 or 32 bytes (roster keygen makes one): every gossip packet and push-pull is encrypted (AES-GCM). Used on the first start only: from then on the keyring file in the data dir (gossip/local.keyring) wins, as roster keyring changes it" },
  'encrypt-verify-incoming': { kind: 'bool', help: 'with a key: drop gossip that is not encrypted (default true; false accepts plaintext too, to turn encryption on in a running pool)' },
  'encrypt-verify-outgoing': { kind: 'bool', help: 'with a key: encrypt what this member sends (default true; false sends plaintext, to turn encryption on in a running pool)' },
  'gossip-suspicion-mult': { kind: 'int', help: "suspicion lasts mult x log10(members) probe intervals at least (default 4; overrides the profile's multiplier only, not its confirmations or floor)" },
};

export interface GossipSettings {
  readonly addr: string;
  readonly join: readonly string[];
  readonly cluster: string;
  readonly datacenter: string;
  readonly config: GossipConfig;
  readonly encryption: EncryptionSettings;
}

/** The encrypt settings as given; the keyring file, once there, replaces `key` (keyring-store.ts). */
export interface EncryptionSettings {
  readonly key: Buffer | undefined;
  readonly verifyIncoming: boolean;
  readonly verifyOutgoing: boolean;
}

function invalid(flag: string, why: string): RosterError {
  return new RosterError('INVALID_CONFIG', `--${flag}: ${why}`, { field: flag });
}

/** Gossip settings from flags, validated; `defaultAddr` when --gossip-addr is not given. */
export function gossipSettings(f: FlagValues, defaultAddr: string): GossipSettings {
  const addr = String(f['gossip-addr'] ?? defaultAddr);
  if (!isHostPort(addr)) throw invalid('gossip-addr', `"${addr}" is not host:port`);
  const join = f.join === undefined ? [] : String(f.join).split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const j of join) if (!isHostPort(j)) throw invalid('join', `"${j}" is not host:port`);
  const cluster = String(f['cluster-name'] ?? 'roster');
  const datacenter = String(f.datacenter ?? 'dc1');
  if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(cluster)) throw invalid('cluster-name', 'must be 1-64 letters, digits, . _ or -');
  if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(datacenter)) throw invalid('datacenter', 'must be 1-64 letters, digits, . _ or -');
  const profile = String(f['gossip-profile'] ?? 'lan');
  if (!Object.hasOwn(GOSSIP_PROFILES, profile)) throw invalid('gossip-profile', `must be ${Object.keys(GOSSIP_PROFILES).join(' or ')}, got "${profile}"`);
  let config: GossipConfig;
  try {
    // The profile, then whatever flags were given (an absent flag must not undo the profile).
    const given: Partial<GossipConfig> = Object.fromEntries(
      Object.entries({ probeIntervalMs: f['gossip-probe-interval-ms'], probeTimeoutMs: f['gossip-probe-timeout-ms'], suspicionMult: f['gossip-suspicion-mult'] }).filter(([, v]) => v !== undefined),
    );
    config = resolveGossipConfig({ ...GOSSIP_PROFILES[profile as GossipProfile], ...given });
  } catch (err) {
    if (err instanceof GossipConfigError) throw new RosterError('INVALID_CONFIG', err.message, { field: err.field });
    throw err;
  }
  return { addr, join, cluster, datacenter, config, encryption: encryptionSettings(f) };
}

function encryptionSettings(f: FlagValues): EncryptionSettings {
  // A bad key refuses to start, naming the setting; the key itself is never in the message.
  const key = f.encrypt === undefined ? undefined : parseGossipKey(String(f.encrypt), '--encrypt');
  return { key, verifyIncoming: f['encrypt-verify-incoming'] !== false, verifyOutgoing: f['encrypt-verify-outgoing'] !== false };
}
