import type { KvCommand } from './kv/command.js';
import type { StoreExtension } from './kv/mvcc-store.js';
import type { WriteScope } from './kv/write-scope.js';
import { executeAclCommand, isAclCommandError } from './acl/acl-extension.js';
import { isAclCommand, type AclCommand, type AclResponse } from './acl/commands.js';
import type { EndedSession, RegistryCommand, RegistryResponse } from './registry/commands.js';
import { RegistryExtension } from './registry/registry-extension.js';

/** The commands of the tables beside etcd's KV in a server's store. */
export type ExtensionCommand = RegistryCommand | AclCommand;
export type ExtensionResponse = RegistryResponse | AclResponse;

/**
 * The one extension a server's MVCC store has (it takes one): the registry's tables and the
 * ACL tables, each command to its own. ACL records are never attached to a lease, so a revoked
 * lease's items are the registry's alone.
 */
export class StateExtension implements StoreExtension<ExtensionCommand, ExtensionResponse> {
  private readonly registry: RegistryExtension;

  constructor(onSessionsEnded?: (ended: readonly EndedSession[]) => void) {
    this.registry = new RegistryExtension(onSessionsEnded);
  }

  owns(cmd: KvCommand | ExtensionCommand): cmd is ExtensionCommand {
    return isAclCommand(cmd) || this.registry.owns(cmd);
  }

  execute(scope: WriteScope, cmd: ExtensionCommand): Promise<ExtensionResponse> {
    return isAclCommand(cmd) ? executeAclCommand(scope, cmd) : this.registry.execute(scope, cmd);
  }

  prefetch(cmd: ExtensionCommand): readonly Uint8Array[] {
    return isAclCommand(cmd) ? [] : this.registry.prefetch(cmd);
  }

  isCommandError(err: unknown): boolean {
    return isAclCommandError(err) || this.registry.isCommandError(err);
  }

  revokeLeaseItem(scope: WriteScope, key: Uint8Array): Promise<boolean> {
    return this.registry.revokeLeaseItem(scope, key);
  }
}
