import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiSettings, StateImages } from './server-interfaces.js';

/**
 * A consistent image of the state (taken between two applied batches, verified as it is written),
 * read back in chunks with the whole size: what Roster's Operator.Snapshot and etcd's
 * Maintenance.Snapshot stream. The file is a Roster snapshot, so `roster snapshot inspect` and
 * `restore` take it whichever of the two saved it. It is removed once streamed or abandoned.
 */
export async function* stateImageChunks(b: StateImages & ApiSettings): AsyncIterable<{ readonly data: Buffer; readonly totalBytes: number; readonly remainingBytes: number }> {
  const path = join(b.cfg.dataDir, 'snap', `stream-${randomBytes(6).toString('hex')}.snap`);
  try {
    await b.writeStateImage(path);
    const total = (await stat(path)).size;
    let sent = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      const data = chunk as Buffer;
      sent += data.length;
      yield { data, totalBytes: total, remainingBytes: total - sent };
    }
  } finally {
    await rm(path, { force: true });
  }
}

/** etcd's snapshot files end with their SHA-256, at a length 32 past a multiple of 512 (etcdctl snapshot save checks it). */
const ETCD_SEAL_ALIGN = 512;
const SHA256_BYTES = 32;

/**
 * The state image as etcd's Maintenance.Snapshot sends one: the Roster snapshot, then zero bytes
 * to a multiple of 512 and the SHA-256 of all before it (the seal src/store/leveldb/snapshot-file.ts
 * accepts after its trailer). remainingBytes counts the seal too.
 */
export async function* etcdSealedImageChunks(b: StateImages & ApiSettings): AsyncIterable<{ readonly data: Buffer; readonly remainingBytes: number }> {
  const hash = createHash('sha256');
  let sent = 0;
  for await (const c of stateImageChunks(b)) {
    hash.update(c.data);
    sent += c.data.length;
    const padding = (ETCD_SEAL_ALIGN - (c.totalBytes % ETCD_SEAL_ALIGN)) % ETCD_SEAL_ALIGN;
    yield { data: c.data, remainingBytes: c.remainingBytes + padding + SHA256_BYTES };
  }
  const pad = Buffer.alloc((ETCD_SEAL_ALIGN - (sent % ETCD_SEAL_ALIGN)) % ETCD_SEAL_ALIGN);
  hash.update(pad);
  yield { data: Buffer.concat([pad, hash.digest()]), remainingBytes: 0 };
}
