/**
 * host:port, as every address in Roster is written (members, servers, agents, checks). The host
 * is a name or an IPv4 address (no IPv6 brackets); the port 0-65535.
 */
const HOST_PORT = /^[^\s:/]+:\d{1,5}$/;

export function isHostPort(s: string): boolean {
  return HOST_PORT.test(s) && Number(s.slice(s.lastIndexOf(':') + 1)) <= 65_535;
}

/** The host and port of a host:port (the caller has checked it with isHostPort). */
export function splitHostPort(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

/** The host of a host:port. */
export function hostOf(s: string): string {
  return splitHostPort(s).host;
}
