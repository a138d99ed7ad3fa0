import type { PoolKeyring } from '../api/server-interfaces.js';
import type { GossipAgent } from '../agent/gossip/gossip-agent.js';
import { keyFingerprint, parseGossipKey } from '../transport/gossip-crypto.js';
import { RosterError } from '../util/errors.js';

/**
 * roster keyring on a server: checks the key, then has the gossip agent carry the operation to
 * every alive member. Refused at once (nothing asked of anyone) on a server without a keyring:
 * encryption is turned on with encrypt and rolling restarts, not with this command.
 */
export function poolKeyringOf(gossip: GossipAgent): PoolKeyring {
  return async (operation, keyText) => {
    if (!gossip.encrypted) throw new RosterError('KEYRING_NOT_ENABLED', 'gossip encryption is not enabled on this server (start every member with encrypt first)');
    const key = operation === 'list' ? new Uint8Array() : parseGossipKey(keyText, 'key');
    const out = await gossip.keyringOperation({ operation, key });
    return { ...out, fingerprint: operation === 'list' ? '' : keyFingerprint(key) };
  };
}
