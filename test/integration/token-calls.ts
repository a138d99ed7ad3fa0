import * as grpc from '@grpc/grpc-js';

type Unary = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/**
 * Unary calls to any service at any address, each with an ACL token (x-roster-token) or none,
 * for the ACL tests. Every client made is closed by close().
 */
export class TokenCalls {
  private readonly clients: grpc.Client[] = [];

  call<T>(addr: string, Ctor: grpc.ServiceClientConstructor, method: string, req: unknown, token?: string): Promise<T> {
    const client = new Ctor(addr, grpc.credentials.createInsecure());
    this.clients.push(client);
    const md = new grpc.Metadata();
    if (token !== undefined) md.set('x-roster-token', token);
    const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
    return new Promise<T>((res, rej) => fn(req, md, { deadline: Date.now() + 5000 }, (err, out) => (err ? rej(err) : res(out as T))));
  }

  /** A client to keep (a stream); closed with the others. */
  client(addr: string, Ctor: grpc.ServiceClientConstructor): grpc.Client {
    const client = new Ctor(addr, grpc.credentials.createInsecure());
    this.clients.push(client);
    return client;
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
