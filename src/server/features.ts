/**
 * Replicated behaviours that change what applying an entry does, with the version that first
 * applies each. A leader proposes one only once every Raft member announces (in gossip) at
 * least that version: during a rolling upgrade an older server would apply the same entry the
 * old way, and the servers' states would part.
 */
export const FEATURES = {
  /** `keepSessions` on register and updateCheck (store/registry/commands.ts). */
  keepSessions: '0.2.0',
  /** `implicitNodes` on register: nodes made for a service go with it (store/registry/commands.ts). */
  implicitNodes: '0.3.0',
} as const;

export type Feature = keyof typeof FEATURES;

/** Whether dotted version `v` is at least `min` (missing parts count as 0; junk is never enough). */
export function versionAtLeast(v: string, min: string): boolean {
  const parse = (s: string): number[] | undefined => (/^\d+(\.\d+)*$/.test(s) ? s.split('.').map(Number) : undefined);
  const a = parse(v);
  const b = parse(min)!;
  if (a === undefined) return false;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Whether every one of `servers` is known to run a version with `feature` (unknown: no). */
export function everyServerHas(feature: Feature, servers: readonly string[], versionOf: (name: string) => string | undefined): boolean {
  return servers.length > 0 && servers.every((s) => {
    const v = versionOf(s);
    return v !== undefined && versionAtLeast(v, FEATURES[feature]);
  });
}
