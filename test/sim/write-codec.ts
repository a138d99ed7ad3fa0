import { ENTRY_TAG, splitCommandBody, unwrapEntry, wrapCommandEntry } from '../../src/store/envelope.js';
import { decodeKvCommand, encodeKvCommand } from '../../src/store/kv/command-codec.js';
import { REQUEST_ID_BYTES } from '../../src/store/request-id.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * How a client write's payload (`w<id>.<attempt>`) becomes an entry's data and back. The model
 * driver's state machine keeps the bytes as they are; the production driver's Applier needs a
 * real command, so there each write is an etcd put of `sim/w<id>` whose value is the payload.
 */
export interface WriteCodec {
  encode(payload: string): Uint8Array;
  /** The payload of an entry's data, or undefined for data that is not a client write. */
  decode(data: Uint8Array): string | undefined;
}

export const plainWrites: WriteCodec = {
  encode: (payload) => encoder.encode(payload),
  decode: (data) => (data.length === 0 ? undefined : decoder.decode(data)),
};

export const etcdPutWrites: WriteCodec = {
  encode(payload) {
    const key = encoder.encode(`sim/${payload.slice(0, payload.indexOf('.'))}`);
    const command = encodeKvCommand({ type: 'put', request: { key, value: encoder.encode(payload), lease: 0n, prevKv: false, ignoreValue: false, ignoreLease: false } });
    return wrapCommandEntry(ENTRY_TAG.kv, requestIdOf(payload), command);
  },
  decode(data) {
    const env = unwrapEntry(data);
    if (env?.tag !== ENTRY_TAG.kv) return undefined;
    const cmd = decodeKvCommand(splitCommandBody(env.body).command);
    return cmd.type === 'put' ? decoder.decode(cmd.request.value) : undefined;
  },
};

/** A request id derived from the payload (unique per attempt), so that a seed replays exactly. */
function requestIdOf(payload: string): Uint8Array {
  const id = new Uint8Array(REQUEST_ID_BYTES);
  const bytes = encoder.encode(payload);
  id.set(bytes.subarray(0, REQUEST_ID_BYTES));
  return id;
}
