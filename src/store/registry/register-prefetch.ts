import { currentKey } from '../kv/layout.js';
import { leaseKey } from '../kv/lease-layout.js';
import type { RegistryCommand } from './commands.js';
import { instanceKey, nodeCheckKey, nodeKey, nodeServiceKey, serviceKey } from './keys.js';

/**
 * The backend keys a catalog registration reads: its node, its service and the instance view
 * and summary built from it, its checks (and the services they belong to), its lease. Read
 * ahead with the rest of the batch in one getMany, a deploy's registrations pay one LevelDB
 * round trip per batch instead of about nine reads each. Other commands read what they find
 * (a guess missing here costs a read, never a wrong answer).
 */
export function registryKeysToPrefetch(cmd: RegistryCommand): Uint8Array[] {
  if (cmd.type !== 'register') return [];
  const node = cmd.node.name;
  const keys = [nodeKey(node)];
  if (cmd.service !== undefined) keys.push(nodeServiceKey(node, cmd.service.id), instanceKey(cmd.service.name, node, cmd.service.id), serviceKey(cmd.service.name));
  for (const c of cmd.checks) {
    keys.push(nodeCheckKey(node, c.id));
    if (c.serviceId !== '' && c.serviceId !== cmd.service?.id) keys.push(nodeServiceKey(node, c.serviceId));
  }
  const out = keys.map(currentKey);
  if (cmd.lease !== 0n) out.push(leaseKey(cmd.lease));
  return out;
}
