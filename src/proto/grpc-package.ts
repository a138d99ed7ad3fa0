import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

/**
 * A loader for one gRPC package from proto/, parsed on first use and then shared. `longs` must be
 * what its src/gen types were generated with: String where 64-bit values use the whole range
 * (etcd revisions, lease ids), Number elsewhere.
 */
export function grpcPackage<T>(file: string, longs: typeof String | typeof Number): () => T {
  let loaded: T | undefined;
  return () => {
    // grpc-js types a loaded package as a bare GrpcObject; its shape is the ProtoGrpcType that
    // src/gen generated from the same file with the same options, which `T` names.
    loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync(file, { keepCase: false, longs, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] })) as T;
    return loaded;
  };
}
