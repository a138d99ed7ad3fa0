import * as grpc from '@grpc/grpc-js';
import type { WatchResponse__Output } from '../gen/etcd/etcdserverpb/WatchResponse.js';
import { hostname } from 'node:os';
import type { Endpoints } from '../client/endpoints.js';
import { etcdProto } from '../proto/etcd-proto.js';
import { registryProto } from '../proto/registry-proto.js';
import { wholeNumber } from './args.js';
import { columns } from './columns.js';
import { UsageError } from './usage-error.js';
import { prefixRangeEnd as rangeEndOfPrefix } from '../util/prefix-end.js';
import { instanceOf } from '../client/convert.js';
import { leaseIdText, parseLeaseId } from './lease-id.js';
import { registerService } from './register-command.js';

export interface DataCommand {
  readonly words: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly endpoints: Endpoints;
  readonly json: boolean;
}

const TIMEOUT_MS = 10_000;

/** etcd's range end for "every key with this prefix" (one zero byte: to the end of the keyspace). */
export function prefixRangeEnd(key: Buffer): Buffer {
  return Buffer.from(rangeEndOfPrefix(key));
}

/** The positional arguments (the parser has checked how many there are). */
function need(c: DataCommand, n: number, usage: string): readonly string[] {
  const args = c.words.slice(c.words[0] === 'health' ? 1 : 2);
  if (args.length !== n) throw new UsageError(`usage: roster ${usage}`);
  return args;
}

const out = (c: DataCommand, value: unknown, text: string): void => console.log(c.json ? JSON.stringify(value, null, 2) : text);

/**
 * What kv get prints: the value alone for one key (as `consul kv get`, so `$(roster kv get K)`
 * is the value), each key then its value on the next line for a prefix (as etcdctl), and the
 * table of keys, values and revisions with --detailed.
 */
function kvText(rows: readonly { key: string; value: string; modRevision: number }[], prefix: boolean, detailed: boolean): string {
  if (detailed) return rows.length === 0 ? '' : columns(['KEY', 'VALUE', 'REVISION'], rows.map((x) => [x.key, x.value, String(x.modRevision)]));
  if (!prefix) return rows[0]?.value ?? '';
  return rows.flatMap((x) => [x.key, x.value]).join('\n');
}

/** Runs a data command; undefined when `words` is not one. */
export async function runDataCommand(c: DataCommand): Promise<number | undefined> {
  const [group, sub] = c.words;
  const name = group === 'health' ? 'health' : `${group} ${sub ?? ''}`;
  switch (name) {
    case 'kv put': {
      const [key, value] = need(c, 2, 'kv put KEY VALUE [--lease ID]');
      const lease = c.flags.lease === undefined ? '0' : parseLeaseId(String(c.flags.lease), '--lease');
      const r = await c.endpoints.unary(etcdProto().etcdserverpb.KV, 'Put', { key: Buffer.from(key!), value: Buffer.from(value!), lease }, TIMEOUT_MS);
      out(c, { key, revision: Number(r.header!.revision) }, 'OK');
      return 0;
    }
    case 'kv get': {
      const [key] = need(c, 1, 'kv get KEY [--prefix]');
      const k = Buffer.from(key!);
      const r = await c.endpoints.unary(etcdProto().etcdserverpb.KV, 'Range', { key: k, rangeEnd: c.flags.prefix === true ? prefixRangeEnd(k) : Buffer.alloc(0) }, TIMEOUT_MS);
      if (r.kvs.length === 0 && c.flags.prefix !== true) throw new Error(`key not found: ${key}`);
      const rows = r.kvs.map((kv) => ({ key: kv.key.toString(), value: kv.value.toString(), modRevision: Number(kv.modRevision), lease: kv.lease }));
      out(c, rows, kvText(rows, c.flags.prefix === true, c.flags.detailed === true));
      return 0;
    }
    case 'kv del': {
      const [key] = need(c, 1, 'kv del KEY [--prefix]');
      const k = Buffer.from(key!);
      const r = await c.endpoints.unary(etcdProto().etcdserverpb.KV, 'DeleteRange', { key: k, rangeEnd: c.flags.prefix === true ? prefixRangeEnd(k) : Buffer.alloc(0) }, TIMEOUT_MS);
      out(c, { deleted: Number(r.deleted) }, `deleted ${r.deleted}`);
      return 0;
    }
    case 'kv watch': {
      const [key] = need(c, 1, 'kv watch KEY [--prefix] [--count N]');
      return watchKeys(c, key!, c.flags.prefix === true);
    }
    case 'catalog services': {
      need(c, 0, 'catalog services');
      const r = await c.endpoints.unary(registryProto().roster.registry.v1.Catalog, 'ListServices', {}, TIMEOUT_MS);
      out(c, r.services, columns(['SERVICE', 'TAGS', 'INSTANCES', 'PASSING'], r.services.map((s) => [s.name, s.tags.join(',') || '-', String(s.instances), String(s.passing)])));
      return 0;
    }
    case 'catalog nodes': {
      need(c, 0, 'catalog nodes');
      const r = await c.endpoints.unary(registryProto().roster.registry.v1.Catalog, 'ListNodes', {}, TIMEOUT_MS);
      out(c, r.nodes, columns(['NODE', 'ADDRESS', 'DC', 'SOURCE'], r.nodes.map((n) => [n.name, n.address, n.datacenter, n.source || '-'])));
      return 0;
    }
    case 'services register': {
      const [service] = need(c, 1, 'services register NAME --port P [--id ID] [--address A] [--tags a,b] [--http URL | --tcp HOST:PORT | --ttl-ms MS] [--interval-ms MS] [--node N] [--node-address A]');
      return registerService(c, service!);
    }
    case 'services deregister': {
      const [id] = need(c, 1, 'services deregister ID [--node N]');
      const node = String(c.flags.node ?? hostname());
      const r = await c.endpoints.unary(registryProto().roster.registry.v1.Catalog, 'Deregister', { node, serviceId: id }, TIMEOUT_MS);
      if (!r.changed) throw new Error(`no service ${id} on node ${node}`);
      out(c, { node, id }, `deregistered ${id} from node ${node}`);
      return 0;
    }
    case 'health': {
      const [service] = need(c, 1, 'health SERVICE [--passing]');
      const r = await c.endpoints.unary(registryProto().roster.registry.v1.Health, 'ServiceInstances', { service, passingOnly: c.flags.passing === true }, TIMEOUT_MS);
      const rows = r.instances.map(instanceOf).map((i) => ({ id: i.id, node: i.node, address: i.address, port: i.port, status: i.status }));
      out(c, rows, columns(['ID', 'NODE', 'ADDRESS', 'PORT', 'STATUS'], rows.map((x) => [x.id, x.node, x.address, String(x.port), x.status])));
      return 0;
    }
    case 'lease grant': {
      const [ttl] = need(c, 1, 'lease grant TTL_SECONDS');
      if (!/^\d+$/.test(ttl!) || Number(ttl) < 1) throw new UsageError('TTL_SECONDS must be a whole number of at least 1');
      const seconds = Number(ttl);
      const r = await c.endpoints.unary(etcdProto().etcdserverpb.Lease, 'LeaseGrant', { TTL: seconds, ID: 0 }, TIMEOUT_MS);
      if (r.error !== '') throw new Error(r.error);
      out(c, { id: r.ID, ttl: Number(r.TTL) }, `lease ${leaseIdText(r.ID)} granted with TTL(${r.TTL}s)`);
      return 0;
    }
    case 'lease revoke': {
      const [typed] = need(c, 1, 'lease revoke ID');
      const id = parseLeaseId(typed!, 'ID');
      await c.endpoints.unary(etcdProto().etcdserverpb.Lease, 'LeaseRevoke', { ID: id }, TIMEOUT_MS);
      out(c, { id }, `lease ${leaseIdText(id)} revoked`);
      return 0;
    }
    case 'lease list': {
      need(c, 0, 'lease list');
      const r = await c.endpoints.unary(etcdProto().etcdserverpb.Lease, 'LeaseLeases', {}, TIMEOUT_MS);
      out(c, r.leases.map((l) => l.ID), r.leases.map((l) => leaseIdText(l.ID)).join('\n'));
      return 0;
    }
    default:
      return undefined;
  }
}

/** Prints each change as "PUT key value" / "DELETE key" (or JSON lines) until --count or Ctrl-C. */
export async function watchKeys(c: DataCommand, key: string, prefix: boolean): Promise<number> {
  const count = wholeNumber(c.flags.count, 'count', 1);
  const k = Buffer.from(key);
  const call = c.endpoints.client(etcdProto().etcdserverpb.Watch).Watch();
  let seen = 0;
  return new Promise<number>((resolve, reject) => {
    const stop = (): void => finish(0);
    const finish = (code: number): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      call.cancel();
      resolve(code);
    };
    call.on('data', (r: WatchResponse__Output) => {
      if (r.canceled) return reject(new Error(`watch canceled: ${r.cancelReason}`));
      for (const e of r.events) {
        const kv = e.kv!; // etcd sends every event with its key-value
        const line = c.json ? JSON.stringify({ type: e.type, key: kv.key.toString(), value: kv.value.toString(), revision: Number(kv.modRevision) }) : e.type === 'PUT' ? `PUT ${kv.key.toString()} ${kv.value.toString()}` : `DELETE ${kv.key.toString()}`;
        console.log(line);
        if (count !== undefined && ++seen >= count) return finish(0);
      }
    });
    call.on('error', (err: grpc.ServiceError) => {
      if (err.code !== grpc.status.CANCELLED) reject(err); // ours
    });
    // A server that ends the stream cleanly ends the watch (the promise must not hang).
    call.on('end', () => finish(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    call.write({ createRequest: { key: k, rangeEnd: prefix ? prefixRangeEnd(k) : Buffer.alloc(0) } });
  });
}
