/**
 * Regenerates the TypeScript types in src/gen from proto/ (never edit src/gen by hand):
 *   npm run gen:proto            write src/gen
 *   npm run gen:proto -- --out D write elsewhere (the freshness test compares with src/gen)
 *
 * etcd's API and Roster's registry API use strings for 64-bit integers (lease and member IDs use
 * the whole range); Roster's Raft, operator, agent and gossip protocols use numbers (indexes, terms,
 * sequence numbers and incarnations stay far below 2^53). Each group's settings are the ones its
 * loader in src/proto (or gossip's decoder) uses. The generator
 * writes extension-less relative imports, which NodeNext resolution rejects, so they are
 * rewritten to end in .js.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

interface Group {
  readonly dir: string;
  readonly files: readonly string[];
  readonly longs: 'String' | 'Number';
  /** How enum values come out of the loader: their names (gRPC packages) or their numbers. */
  readonly enums: 'String' | 'Number';
}

export const PROTO_GROUPS: readonly Group[] = [
  { dir: 'etcd', files: ['etcd/etcdserverpb/rpc.proto', 'etcd/mvccpb/kv.proto', 'etcd/authpb/auth.proto'], longs: 'String', enums: 'String' },
  { dir: 'roster', files: ['roster/raft.proto', 'roster/operator.proto', 'roster/acl.proto'], longs: 'Number', enums: 'String' },
  // The registry API carries etcd lease ids (the whole int64 range): 64-bit integers as strings.
  { dir: 'registry', files: ['roster/registry.proto'], longs: 'String', enums: 'String' },
  { dir: 'agent', files: ['roster/agent.proto'], longs: 'Number', enums: 'String' },
  // Gossip packets are not gRPC: src/transport/gossip-wire.ts decodes them with protobufjs as
  // numbers (sequence numbers and incarnations stay far below 2^53) and enums as their numbers.
  { dir: 'gossip', files: ['roster/gossip.proto'], longs: 'Number', enums: 'Number' },
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function generate(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  for (const g of PROTO_GROUPS) {
    const args = [...g.files, `--longs=${g.longs}`, `--enums=${g.enums}`, '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js', `--outDir=${join(outDir, g.dir)}`, '-I', join(root, 'proto')];
    const run = spawnSync(join(root, 'node_modules/.bin/proto-loader-gen-types'), args, { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`proto-loader-gen-types failed for ${g.dir}: ${run.stderr}`);
  }
  for (const file of walk(outDir).filter((f) => f.endsWith('.ts'))) {
    let text = readFileSync(file, 'utf8').replace(/from '(\.{1,2}\/[^']+?)'/g, (_m, spec: string) => `from '${spec.endsWith('.js') ? spec : `${spec}.js`}'`);
    // The generator names each source by its absolute path: keep the output the same in any checkout.
    text = text.split(`${join(root, 'proto')}/`).join('proto/');
    // The per-file package index declares helpers it never uses; its exported types are still
    // checked where they are used.
    if (/ProtoGrpcType/.test(text)) text = `// @ts-nocheck generated loader typings\n${text}`;
    writeFileSync(file, text);
  }
  // Every src folder says what it is for (test/unit/folder-readmes.test.ts); the generator owns
  // this one, so regenerating never drops it.
  writeFileSync(join(outDir, 'README.md'), GEN_README);
}

const GEN_README = '# src/gen\n\nTypeScript types generated from `proto/` by `npm run gen:proto`. Never edited by hand.\n';

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const i = process.argv.indexOf('--out');
  const out = i >= 0 && process.argv[i + 1] !== undefined ? resolve(process.argv[i + 1]!) : join(root, 'src/gen');
  generate(out);
  console.log(`generated ${walk(out).length} files in ${out}`);
}
