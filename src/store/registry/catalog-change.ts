import type { WriteScope } from '../kv/write-scope.js';
import { instanceKey, nodeChecksOf, nodeKey, nodeServiceKey, nodeServicesOf, serviceKey } from './keys.js';
import { deleteRecord, readRecord, scanRecords, writeRecord } from './record-io.js';
import { worstStatus, type CheckRecord, type InstanceView, type NodeRecord, type ServiceRecord, type ServiceSummary } from './records.js';

interface Dirty {
  readonly node: string;
  readonly id: string;
  /** The service's name before this command touched it (undefined: it did not exist). */
  readonly nameBefore: string | undefined;
}

interface SummaryDelta {
  instances: number;
  passing: number;
  readonly tags: Map<string, number>;
}

/**
 * One command's change to the catalog, kept consistent: the command marks every instance it may
 * affect BEFORE changing primary records (touch*), then finish() rebuilds each affected instance
 * view once and adjusts each affected service summary once, all in the command's revision. So a
 * watcher of a service sees one event per instance per change, never an intermediate state.
 */
export class CatalogChange {
  private readonly dirty = new Map<string, Dirty>();

  constructor(private readonly scope: WriteScope) {}

  /** The instance (node, serviceId) may change. */
  async touchService(node: string, id: string): Promise<void> {
    const k = `${node}\u0000${id}`;
    if (this.dirty.has(k)) return;
    const svc = await readRecord<ServiceRecord>(this.scope.kv, nodeServiceKey(node, id), 'service');
    this.dirty.set(k, { node, id, nameBefore: svc?.record.name });
  }

  /** Every instance on the node may change (its record or a node-level check changes). */
  async touchNode(node: string): Promise<void> {
    for await (const s of scanRecords<ServiceRecord>(this.scope.kv, nodeServicesOf(node), 'service')) await this.touchService(node, s.record.id);
  }

  /** Rebuilds what the touched instances look like to discovery. */
  async finish(): Promise<void> {
    const deltas = new Map<string, SummaryDelta>();
    const delta = (name: string): SummaryDelta => {
      let d = deltas.get(name);
      if (d === undefined) {
        d = { instances: 0, passing: 0, tags: new Map() };
        deltas.set(name, d);
      }
      return d;
    };
    const count = (name: string, view: InstanceView, sign: 1 | -1): void => {
      const d = delta(name);
      d.instances += sign;
      if (view.status === 'passing') d.passing += sign;
      for (const t of new Set(view.service.tags)) d.tags.set(t, (d.tags.get(t) ?? 0) + sign);
    };
    for (const { node, id, nameBefore } of this.dirty.values()) {
      const before = nameBefore === undefined ? undefined : await readRecord<InstanceView>(this.scope.kv, instanceKey(nameBefore, node, id), 'instance');
      const after = await this.buildView(node, id);
      if (before !== undefined && (after === undefined || after.service.name !== nameBefore)) {
        await deleteRecord(this.scope, instanceKey(nameBefore!, node, id));
        count(nameBefore!, before.record, -1);
      }
      if (after !== undefined) {
        const same = before !== undefined && after.service.name === nameBefore;
        if (await writeRecord(this.scope, instanceKey(after.service.name, node, id), after)) {
          if (same) count(nameBefore, before.record, -1);
          count(after.service.name, after, 1);
        }
      }
    }
    for (const [name, d] of deltas) await this.applySummary(name, d);
  }

  private async buildView(node: string, id: string): Promise<InstanceView | undefined> {
    const svc = await readRecord<ServiceRecord>(this.scope.kv, nodeServiceKey(node, id), 'service');
    if (svc === undefined) return undefined;
    const n = await readRecord<NodeRecord>(this.scope.kv, nodeKey(node), 'node');
    if (n === undefined) return undefined; // a service never outlives its node (deregister removes both)
    const checks: CheckRecord[] = [];
    for await (const c of scanRecords<CheckRecord>(this.scope.kv, nodeChecksOf(node), 'check')) {
      if (c.record.serviceId === '' || c.record.serviceId === id) checks.push(c.record);
    }
    return { service: svc.record, node: n.record, checks, status: worstStatus(checks.map((c) => c.status)) };
  }

  /** Adjusts a service's summary; always rewritten, so its mod revision is the service's modify index. */
  private async applySummary(name: string, d: SummaryDelta): Promise<void> {
    const key = serviceKey(name);
    const current = await readRecord<ServiceSummary>(this.scope.kv, key, 'service summary');
    const tags = new Map(Object.entries(current?.record.tags ?? {}));
    for (const [t, n] of d.tags) tags.set(t, (tags.get(t) ?? 0) + n);
    const instances = (current?.record.instances ?? 0) + d.instances;
    if (instances <= 0) {
      await deleteRecord(this.scope, key);
      return;
    }
    const sortedTags: Record<string, number> = {};
    for (const t of [...tags.keys()].sort()) if (tags.get(t)! > 0) sortedTags[t] = tags.get(t)!;
    const summary: ServiceSummary = { name, instances, passing: (current?.record.passing ?? 0) + d.passing, tags: sortedTags };
    await writeRecord(this.scope, key, summary, { force: true });
  }
}
