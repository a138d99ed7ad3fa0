/** Shared helpers for the store-kv-* tests: a store on a MemoryOrderedKv, applied one entry at a time. */
import { expect } from 'vitest';
import type { KvCommand, KvCommandResponse } from '../../src/store/kv/command.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore, type ApplyResult, type MvccStoreOptions } from '../../src/store/kv/mvcc-store.js';
import { deleteRangeRequest, putRequest, rangeRequest } from '../../src/store/kv/requests.js';
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
} from '../../src/store/kv/types.js';
import type { RosterError } from '../../src/util/errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export const b = (text: string): Uint8Array => encoder.encode(text);
/** A string from UTF-8 bytes. */
export const str = (bytes: Uint8Array): string => decoder.decode(bytes);
/** Bytes written as numbers, for keys with 0x00 / 0xff. */
export const raw = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
/** Keys of a range response, as strings. */
export const keysOf = (kvs: readonly KeyValue[]): string[] => kvs.map((kv) => str(kv.key));
/** The key, value and revisions of a KeyValue, readable in assertions. */
export const summary = (kv: KeyValue | undefined): { key: string; value: string; create: number; mod: number; version: number; lease: bigint } | undefined =>
  kv === undefined
    ? undefined
    : { key: str(kv.key), value: str(kv.value), create: kv.createRevision, mod: kv.modRevision, version: kv.version, lease: kv.lease };

export class KvHarness {
  index = 0;

  private constructor(
    readonly kv: MemoryOrderedKv,
    public store: MvccStore,
  ) {}

  static async create(opts: MvccStoreOptions = {}, kv = new MemoryOrderedKv()): Promise<KvHarness> {
    return new KvHarness(kv, await MvccStore.open(kv, opts));
  }

  /** Applies one command as the next Raft entry. */
  async run(command: KvCommand): Promise<ApplyResult> {
    const results = await this.store.apply([{ index: ++this.index, command }]);
    expect(results).toHaveLength(1);
    return results[0]!;
  }

  /** Grants lease `id` (a lease grant does not move the revision). */
  async grant(id: bigint, ttl: number): Promise<void> {
    await this.ok({ type: 'leaseGrant', request: { id, ttl } });
  }

  async ok(command: KvCommand): Promise<KvCommandResponse> {
    const result = await this.run(command);
    if (!result.ok) throw result.error;
    expect(result.response?.type).toBe(command.type);
    return result.response!;
  }

  /** Applies a command that must fail, and returns its error. */
  async fails(command: KvCommand): Promise<RosterError> {
    const result = await this.run(command);
    if (result.ok) throw new Error(`expected ${command.type} to fail`);
    return result.error;
  }

  async put(key: string | Uint8Array, value: string, fields: Partial<Omit<PutRequest, 'key' | 'value'>> = {}): Promise<PutResponse> {
    const k = typeof key === 'string' ? b(key) : key;
    return (await this.ok({ type: 'put', request: putRequest(k, b(value), fields) })).response as PutResponse;
  }

  async del(key: string | Uint8Array, fields: Partial<Omit<DeleteRangeRequest, 'key'>> = {}): Promise<DeleteRangeResponse> {
    const k = typeof key === 'string' ? b(key) : key;
    return (await this.ok({ type: 'deleteRange', request: deleteRangeRequest(k, fields) })).response as DeleteRangeResponse;
  }

  async txn(request: TxnRequest): Promise<TxnResponse> {
    return (await this.ok({ type: 'txn', request })).response as TxnResponse;
  }

  async compact(revision: number): Promise<void> {
    await this.ok({ type: 'compact', request: { revision } });
  }

  range(key: string | Uint8Array, fields: Partial<Omit<RangeRequest, 'key'>> = {}): Promise<RangeResponse> {
    return this.store.range(rangeRequest(typeof key === 'string' ? b(key) : key, fields));
  }

  /** The live keys of the whole keyspace (at `revision`, default current). */
  async allKeys(revision = 0): Promise<string[]> {
    return keysOf((await this.range(raw(0), { rangeEnd: raw(0), revision })).kvs);
  }

  /** Reopens the store from the same backend, as after a restart. */
  async reopen(opts: MvccStoreOptions = {}): Promise<void> {
    this.store = await MvccStore.open(this.kv, opts);
  }
}
