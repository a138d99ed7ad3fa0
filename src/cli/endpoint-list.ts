import { isHostPort } from '../util/host-port.js';
import { UsageError } from './usage-error.js';

/**
 * The servers to talk to: --endpoints (or --endpoint, which takes a list too), else
 * $ROSTER_ENDPOINTS or $ROSTER_ENDPOINT, else 127.0.0.1:8502; each host:port.
 */
export function endpointList(flags: Readonly<Record<string, string | boolean>>, env: NodeJS.ProcessEnv): string[] {
  const [source, raw] =
    flags.endpoints !== undefined ? ['--endpoints', flags.endpoints] : flags.endpoint !== undefined ? ['--endpoint', flags.endpoint] : env.ROSTER_ENDPOINTS !== undefined && env.ROSTER_ENDPOINTS !== '' ? ['$ROSTER_ENDPOINTS', env.ROSTER_ENDPOINTS] : env.ROSTER_ENDPOINT !== undefined && env.ROSTER_ENDPOINT !== '' ? ['$ROSTER_ENDPOINT', env.ROSTER_ENDPOINT] : ['the default endpoint', '127.0.0.1:8502'];
  const list = String(raw).split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (list.length === 0) throw new UsageError(`${source} names no server (host:port[,host:port...])`);
  for (const a of list) if (!isHostPort(a)) throw new UsageError(`${source} must be host:port[,host:port...], got ${JSON.stringify(a)}`);
  return list;
}

