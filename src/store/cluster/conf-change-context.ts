/**
 * The context a membership change carries in the Raft log: the addresses of the server it adds,
 * which the members table and the peer address book learn when the entry applies. JSON, so an
 * entry written by an older server (or by etcd's MemberAdd, which has only a peer address) reads
 * the same; a context that does not parse, or a field that is not a string, is "not given".
 */
export interface ConfChangeContext {
  readonly peerAddr?: string;
  readonly clientAddr?: string;
  /** Added by etcd's MemberAdd, which gives no name: named after its peer address. */
  readonly namedByAddress?: boolean;
}

export function encodeConfChangeContext(ctx: ConfChangeContext): string {
  return JSON.stringify(ctx);
}

export function parseConfChangeContext(context: string | undefined): ConfChangeContext {
  if (context === undefined || context === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(context);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const { peerAddr, clientAddr, namedByAddress } = raw as Record<string, unknown>;
  return {
    ...(typeof peerAddr === 'string' ? { peerAddr } : {}),
    ...(typeof clientAddr === 'string' ? { clientAddr } : {}),
    ...(namedByAddress === true ? { namedByAddress } : {}),
  };
}
