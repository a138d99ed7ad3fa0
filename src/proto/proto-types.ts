import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));
const roots = new Map<string, protobuf.Root>();

/**
 * One message type from a file in proto/, for code that encodes or decodes bytes itself (watch
 * events encoded once for every watcher, gossip packets) rather than through a gRPC stub. Each
 * file is parsed once per process, imports resolved from proto/.
 */
export function protoType(file: string, typeName: string): protobuf.Type {
  let root = roots.get(file);
  if (root === undefined) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : `${PROTO_DIR}${target}`);
    root.loadSync(file, { keepCase: false });
    roots.set(file, root);
  }
  return root.lookupType(typeName);
}
