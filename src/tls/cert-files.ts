import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RosterError } from '../util/errors.js';
import type { PemPair } from './certificate-fields.js';
import type { LeafKind } from './leaf-certificate.js';

/** Where a pair goes: the certificate's file and its key's. */
export interface PairFiles {
  readonly cert: string;
  readonly key: string;
}

/** The CA's files in `dir`, named as Consul names its own (consul-agent-ca.pem). */
export function caFiles(dir: string): PairFiles {
  return { cert: join(dir, 'roster-agent-ca.pem'), key: join(dir, 'roster-agent-ca-key.pem') };
}

export function leafFiles(dir: string, datacenter: string, kind: LeafKind, index: number): PairFiles {
  const base = join(dir, `${datacenter}-${kind}-roster-${index}`);
  return { cert: `${base}.pem`, key: `${base}-key.pem` };
}

/**
 * The first free index's files (dc1-server-roster-0.pem, then -1, ...), as Consul numbers its
 * certificates, so making one more never replaces one already handed out.
 */
export function nextLeafFiles(dir: string, datacenter: string, kind: LeafKind): PairFiles {
  for (let i = 0; ; i++) {
    const files = leafFiles(dir, datacenter, kind, i);
    if (!existsSync(files.cert) && !existsSync(files.key)) return files;
  }
}

/**
 * Writes a certificate and its key, never over an existing file: a CA or key overwritten by
 * mistake cannot be recovered, and everything it signed would stop being trusted. The key is
 * readable by its owner only.
 */
export function writeNewPair(files: PairFiles, pair: PemPair): void {
  for (const f of [files.cert, files.key]) if (existsSync(f)) throw new RosterError('ALREADY_EXISTS', `${f} already exists: not overwriting it (move it away, or write elsewhere with --dir)`);
  // 'wx' still refuses a file that appeared since the check; the key goes first so a certificate
  // is never left without its key.
  writeNew(files.key, pair.keyPem, 0o600);
  try {
    writeNew(files.cert, pair.certPem, 0o644);
  } catch (err) {
    rmSync(files.key, { force: true });
    throw err;
  }
}

function writeNew(file: string, text: string, mode: number): void {
  try {
    writeFileSync(file, text, { flag: 'wx', mode });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new RosterError('ALREADY_EXISTS', `${file} already exists: not overwriting it (move it away, or write elsewhere with --dir)`);
    throw new RosterError('IO', `cannot write ${file}: ${code ?? (err as Error).message}`);
  }
}
