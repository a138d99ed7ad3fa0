import * as grpc from '@grpc/grpc-js';

/** A refusal the HTTP API answers with Consul's status code and a plain-text body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Consul's status for a gRPC refusal from the agent or a server (what its HTTP handlers return for the same cause). */
const STATUS_OF: Readonly<Partial<Record<number, number>>> = {
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.UNAUTHENTICATED]: 403,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.UNIMPLEMENTED]: 501,
};

/** Status and body for any error a handler threw. */
export function httpErrorOf(err: unknown): { status: number; body: string } {
  if (err instanceof HttpError) return { status: err.status, body: err.message };
  const e = err as { code?: unknown; details?: unknown; message?: unknown; statusCode?: unknown };
  // Fastify's own refusals (a body over the limit, a malformed request).
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return { status: e.statusCode, body: String(e.message) };
  const text = typeof e.details === 'string' && e.details !== '' ? e.details : typeof e.message === 'string' ? e.message : String(err);
  if (typeof e.code !== 'number') return { status: 500, body: text };
  // Consul's texts for ACL refusals: "ACL not found", "Permission denied: ...".
  if (e.code === (grpc.status.PERMISSION_DENIED as number)) return { status: 403, body: text.replace(/^permission denied/, 'Permission denied') };
  // No leader, no server reachable: Consul answers 500 "No cluster leader".
  return { status: STATUS_OF[e.code] ?? 500, body: text };
}
