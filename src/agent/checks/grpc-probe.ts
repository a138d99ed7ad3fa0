import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { clip, type Probe } from './probe.js';
import { splitHostPort } from '../../util/host-port.js';
import { ANY_TARGET, type CheckTargetPolicy } from './check-targets.js';

/** grpc.health.v1 HealthCheckResponse.ServingStatus. */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/**
 * A gRPC check: the standard health protocol (grpc.health.v1.Health/Check) for `service` (empty
 * for the whole server) at host:port. SERVING is passing; anything else, or no answer, critical.
 * The two small messages are encoded by hand: one string field out, one enum field back.
 */
export function grpcProbe(addr: string, service = '', targets: CheckTargetPolicy = ANY_TARGET): Probe {
  return async (timeoutMs) => {
    let dial = addr;
    if (!targets.open) {
      // grpc-js resolves names itself: resolve here, through the targets, and dial the address.
      const { host, port } = splitHostPort(addr);
      const refused = targets.refusal(host);
      if (refused !== undefined) return { status: 'critical', output: clip(`gRPC ${addr}: ${refused}`) };
      try {
        const ip = await new Promise<string>((resolve, reject) => targets.lookup(host, {}, (err, a) => (err !== null ? reject(err) : resolve(typeof a === 'string' ? a : a[0]!.address))));
        dial = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
      } catch (err) {
        return { status: 'critical', output: clip(`gRPC ${addr}: ${err instanceof Error ? err.message : String(err)}`) };
      }
    }
    const client = new grpc.Client(dial, grpc.credentials.createInsecure());
    try {
      const status = await new Promise<number>((resolve, reject) => {
        client.makeUnaryRequest(
          '/grpc.health.v1.Health/Check',
          (req: string) => Buffer.from(protobuf.Writer.create().uint32((1 << 3) | 2).string(req).finish()),
          (buf: Buffer) => {
            const r = protobuf.Reader.create(buf);
            let s = 0;
            while (r.pos < r.len) {
              const tag = r.uint32();
              if (tag >>> 3 === 1) s = r.int32();
              else r.skipType(tag & 7);
            }
            return s;
          },
          service,
          { deadline: Date.now() + timeoutMs },
          (err, res) => (err ? reject(err) : resolve(res ?? 0)),
        );
      });
      const name = SERVING_STATUS[status] ?? `status ${status}`;
      return { status: status === 1 ? 'passing' : 'critical', output: `gRPC health ${addr}${service === '' ? '' : `/${service}`}: ${name}` };
    } catch (err) {
      return { status: 'critical', output: clip(`gRPC health ${addr}${service === '' ? '' : `/${service}`}: ${(err as grpc.ServiceError).details ?? String(err)}`) };
    } finally {
      client.close();
    }
  };
}
