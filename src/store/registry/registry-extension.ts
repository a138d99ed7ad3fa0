import { unreachable } from '../../util/assert.js';
import type { KvCommand } from '../kv/command.js';
import type { StoreExtension } from '../kv/mvcc-store.js';
import { NAMESPACE, namespaceOf } from '../kv/namespace.js';
import type { WriteScope } from '../kv/write-scope.js';
import { applyDeregister, applyRegister, applyUpdateCheck, noEffects, revokeService, type CheckEffects } from './catalog-apply.js';
import { REGISTRY_COMMAND_TYPES, type RegistryCommand, type RegistryResponse } from './commands.js';
import { keyParts } from './keys.js';
import { isRegistryError } from './registry-errors.js';
import { validateRegistryCommand } from './validate.js';

/**
 * The registry as a table of the MVCC store (StoreExtension): its commands apply in the same
 * batches as KV commands, on the same revision counter, with the same all-or-nothing rule.
 */
export class RegistryExtension implements StoreExtension<RegistryCommand, RegistryResponse> {
  owns(cmd: KvCommand | RegistryCommand): cmd is RegistryCommand {
    return REGISTRY_COMMAND_TYPES.has(cmd.type);
  }

  async execute(scope: WriteScope, cmd: RegistryCommand): Promise<RegistryResponse> {
    validateRegistryCommand(cmd);
    const effects = noEffects();
    switch (cmd.type) {
      case 'register':
        await applyRegister(scope, cmd, effects);
        break;
      case 'deregister':
        await applyDeregister(scope, cmd, effects);
        break;
      case 'updateCheck':
        await applyUpdateCheck(scope, cmd, effects);
        break;
      default:
        return unreachable(cmd, 'registry command');
    }
    await this.settle(scope, effects);
    return { type: cmd.type, revision: scope.revision, changed: scope.changes > 0 };
  }

  prefetch(): readonly Uint8Array[] {
    return [];
  }

  isCommandError(err: unknown): boolean {
    return isRegistryError(err);
  }

  async revokeLeaseItem(scope: WriteScope, key: Uint8Array): Promise<boolean> {
    if (namespaceOf(key) !== NAMESPACE.nodeServices) return false;
    const [node, id] = keyParts(key) as [string, string];
    const effects = noEffects();
    const removed = await revokeService(scope, node, id, effects);
    await this.settle(scope, effects);
    return removed;
  }

  /** What follows from checks failing and nodes leaving (sessions end); see sessions. */
  private async settle(_scope: WriteScope, _effects: CheckEffects): Promise<void> {
    // Sessions arrive with the session table.
  }
}
