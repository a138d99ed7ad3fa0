import { checkOf, instanceOf, statusOf } from '../client/convert.js';
import type { Endpoints } from '../client/endpoints.js';
import { WatchMux, type WatchTarget } from '../client/watch-mux.js';
import type { Change__Output } from '../gen/registry/roster/registry/v1/Change.js';
import type { HealthStatus__Output } from '../gen/registry/roster/registry/v1/HealthStatus.js';
import type { Item__Output } from '../gen/registry/roster/registry/v1/Item.js';
import { wholeNumber, type Flags } from './args.js';
import { errorText } from './error-text.js';
import { UsageError } from './usage-error.js';

export interface WatchCommand {
  /** "service", "services" or "checks". */
  readonly what: string;
  readonly args: readonly string[];
  readonly flags: Flags;
  readonly endpoints: Endpoints;
  readonly json: boolean;
}

const STATES: Readonly<Record<string, HealthStatus__Output>> = { passing: 'PASSING', warning: 'WARNING', critical: 'CRITICAL' };

/** The registry watch target of `roster watch WHAT ...`. */
function watchTarget(what: string, args: readonly string[], flags: Flags): WatchTarget {
  switch (what) {
    case 'service':
      return { service: { service: args[0]!, passingOnly: flags.passing === true, ...(flags.tag === undefined ? {} : { tag: String(flags.tag) }) } };
    case 'services':
      return { services: {} };
    case 'checks': {
      const state = flags.state === undefined ? undefined : STATES[String(flags.state).toLowerCase()];
      if (flags.state !== undefined && state === undefined) throw new UsageError('--state must be passing, warning or critical');
      return { checks: { ...(state === undefined ? {} : { state }), ...(flags.service === undefined ? {} : { service: String(flags.service) }) } };
    }
    default:
      throw new UsageError(`unknown command: watch ${what} (see roster watch --help)`);
  }
}

/** An item as plain JSON: numbers for revisions, lower-case statuses. */
function plainItem(item: Item__Output | null | undefined): Record<string, unknown> | null {
  if (item === null || item === undefined) return null;
  if (item.instance) return { kind: 'instance', ...instanceOf(item.instance) };
  if (item.service) return { kind: 'service', name: item.service.name, tags: item.service.tags, instances: item.service.instances, passing: item.service.passing, modifyIndex: Number(item.service.modifyIndex) };
  if (item.check) return { kind: 'check', node: item.check.node, serviceName: item.check.serviceName, ...checkOf(item.check), modifyRevision: Number(item.check.modifyRevision) };
  if (item.node) return { kind: 'node', name: item.node.name, address: item.node.address, datacenter: item.node.datacenter, meta: item.node.meta };
  if (item.nodeService) return { kind: 'node-service', id: item.nodeService.id, name: item.nodeService.name, address: item.nodeService.address, port: item.nodeService.port, tags: item.nodeService.tags };
  if (item.lock) return { kind: 'lock', key: Buffer.from(item.lock.key).toString(), value: Buffer.from(item.lock.value).toString(), session: item.lock.session, lockIndex: Number(item.lock.lockIndex) };
  return null;
}

/** One line describing an item: "instance web-1 service=web node=n1 address=10.0.0.1:80 status=passing". */
function describeItem(item: Item__Output | null | undefined): string {
  if (item?.instance) {
    const i = instanceOf(item.instance);
    return `instance ${i.id} service=${i.name} node=${i.node} address=${i.address}:${i.port} status=${i.status}${i.tags.length > 0 ? ` tags=${i.tags.join(',')}` : ''}`;
  }
  if (item?.service) return `service ${item.service.name} instances=${item.service.instances} passing=${item.service.passing} tags=${item.service.tags.join(',') || '-'}`;
  if (item?.check) {
    const c = item.check;
    return `check ${c.id} node=${c.node} service=${c.serviceId || '-'} status=${statusOf(c.status)}${c.output === '' ? '' : ` output=${JSON.stringify(c.output)}`}`;
  }
  const p = plainItem(item);
  return p === null ? '-' : `${String(p.kind)} ${JSON.stringify(p)}`;
}

/**
 * `roster watch service|services|checks`: a registry watch (the SDK's WatchMux, which resumes
 * after a broken stream without losing changes). Prints the snapshot, then each change; stops
 * after --count changes or on Ctrl-C.
 */
export function runWatch(c: WatchCommand): Promise<number> {
  const target = watchTarget(c.what, c.args, c.flags);
  const count = wholeNumber(c.flags.count, 'count', 1);
  const mux = new WatchMux(c.endpoints);
  let seen = 0;
  let started = false;
  let interrupted = false;
  return new Promise<number>((resolve, reject) => {
    const stop = (): void => {
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, onSignal);
      mux.close();
    };
    const finish = (code: number): void => {
      stop();
      resolve(code);
    };
    const fail = (err: Error): void => {
      stop();
      reject(err);
    };
    const onSignal = (): void => finish(0);
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, onSignal);
    const mark = (stale: boolean): string => (stale ? ' (stale)' : '');
    const heard = (): void => {
      started = true;
      interrupted = false;
    };
    mux.watch(target, {
      snapshot: (revision, changes, stale) => {
        heard();
        if (c.json) console.log(JSON.stringify({ event: 'snapshot', revision, stale, items: changes.map((ch) => plainItem(ch.item)) }));
        else if (changes.length === 0) console.log(`SNAPSHOT ${revision} (empty)${mark(stale)}`);
        else for (const ch of changes) console.log(`SNAPSHOT ${revision} ${describeItem(ch.item)}${mark(stale)}`);
      },
      changes: (_revision, changes: readonly Change__Output[], stale) => {
        heard();
        for (const ch of changes) {
          const rev = Number(ch.revision);
          if (c.json) console.log(JSON.stringify({ event: ch.type.toLowerCase(), revision: rev, stale, item: plainItem(ch.item), previous: plainItem(ch.previous) }));
          else console.log(`${ch.type} ${rev} ${describeItem(ch.type === 'REMOVED' ? ch.previous : ch.item)}${mark(stale)}`);
          if (count !== undefined && ++seen >= count) return finish(0);
        }
      },
      progress: heard,
      disconnected: (reason) => {
        if (!started) return fail(new Error(`cannot watch: ${errorText(reason)}`));
        if (!interrupted) process.stderr.write(`roster: watch interrupted (${reason}); resuming\n`);
        interrupted = true;
      },
      failed: (reason) => fail(new Error(`watch failed: ${reason}`)),
    });
  });
}
