import { unreachable } from '../../util/assert.js';
import type { KvCommand } from '../kv/command.js';
import type { StoreExtension } from '../kv/mvcc-store.js';
import { NAMESPACE, namespaceOf } from '../kv/namespace.js';
import type { WriteScope } from '../kv/write-scope.js';
import { applyDeregister, applyRegister, applyUpdateCheck, noEffects, revokeService, type CheckEffects } from './catalog-apply.js';
import { REGISTRY_COMMAND_TYPES, type EndedSession, type RegistryCommand, type RegistryResponse } from './commands.js';
import { applyLockAcquire, applyLockRelease, applySessionCreate, endSession, sessionsEndedBy } from './sessions.js';
import { keyParts } from './keys.js';
import { registryKeysToPrefetch } from './register-prefetch.js';
import { applyConsulTxn } from './consul-txn-apply.js';
import { isRegistryError } from './registry-errors.js';
import { validateRegistryCommand } from './validate.js';

/**
 * The registry as a table of the MVCC store (StoreExtension): its commands apply in the same
 * batches as KV commands, on the same revision counter, with the same all-or-nothing rule.
 */
export class RegistryExtension implements StoreExtension<RegistryCommand, RegistryResponse> {
  /**
   * `onSessionsEnded` hears of every session that ends as a command applies, with the keys it
   * held: the server starts their lock delays (a matter of local time, never replicated state).
   */
  constructor(private readonly onSessionsEnded: (ended: readonly EndedSession[]) => void = () => undefined) {}

  owns(cmd: KvCommand | RegistryCommand): cmd is RegistryCommand {
    return REGISTRY_COMMAND_TYPES.has(cmd.type);
  }

  async execute(scope: WriteScope, cmd: RegistryCommand): Promise<RegistryResponse> {
    validateRegistryCommand(cmd);
    const effects = noEffects();
    const ended: EndedSession[] = [];
    let extra: Partial<RegistryResponse> = {};
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
      case 'sessionCreate':
        await applySessionCreate(scope, cmd);
        break;
      case 'sessionDestroy': {
        const gone = await endSession(scope, cmd.id);
        if (gone !== undefined) ended.push(gone);
        break;
      }
      case 'lockAcquire': {
        const outcome = await applyLockAcquire(scope, cmd);
        extra = { granted: outcome.granted, lockIndex: outcome.lockIndex, holder: outcome.holder };
        break;
      }
      case 'lockRelease':
        extra = { granted: await applyLockRelease(scope, cmd) };
        break;
      case 'consulTxn':
        extra = { txn: await applyConsulTxn(scope, cmd, effects) };
        break;
      default:
        return unreachable(cmd, 'registry command');
    }
    ended.push(...(await this.settle(scope, effects)));
    if (ended.length > 0) this.onSessionsEnded(ended);
    return { type: cmd.type, revision: scope.revision, changed: scope.changes > 0, ...extra };
  }

  prefetch(cmd: RegistryCommand): readonly Uint8Array[] {
    return registryKeysToPrefetch(cmd);
  }

  isCommandError(err: unknown): boolean {
    return isRegistryError(err);
  }

  async revokeLeaseItem(scope: WriteScope, key: Uint8Array): Promise<boolean> {
    if (namespaceOf(key) !== NAMESPACE.nodeServices) return false;
    const [node, id] = keyParts(key) as [string, string];
    const effects = noEffects();
    const removed = await revokeService(scope, node, id, effects);
    const ended = await this.settle(scope, effects);
    if (ended.length > 0) this.onSessionsEnded(ended);
    return removed;
  }

  /** What follows from checks failing and nodes leaving: the sessions bound to them end. */
  private async settle(scope: WriteScope, effects: CheckEffects): Promise<EndedSession[]> {
    const out: EndedSession[] = [];
    for (const id of await sessionsEndedBy(scope, effects)) {
      const gone = await endSession(scope, id);
      if (gone !== undefined) out.push(gone);
    }
    return out;
  }
}
