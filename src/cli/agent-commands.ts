import * as grpc from '@grpc/grpc-js';
import type { MaintenanceRequest } from '../gen/agent/roster/agent/v1/MaintenanceRequest.js';
import { Endpoints } from '../client/endpoints.js';
import type { Dialer } from '../client/dialer.js';
import { cliDialer } from './tls-options.js';
import type { AgentDefinition } from '../gen/agent/roster/agent/v1/Agent.js';
import { agentProto } from '../proto/agent-proto.js';
import type { ReplyOf, RequestOf } from '../proto/grpc-service.js';
import type { Flags } from './args.js';
import { errorText } from './error-text.js';
import { UsageError } from './usage-error.js';
import { isHostPort, splitHostPort } from '../util/host-port.js';

/**
 * `roster leave` and `roster maint enable|disable`: calls to the local agent's API
 * (roster.agent.v1.Agent, the agent's --api-addr), not to a server.
 */

const DEFAULT_AGENT = '127.0.0.1:8500';

/** --agent, else $ROSTER_AGENT, else 127.0.0.1:8500; a UsageError unless it is host:port. */
export function agentAddress(flags: Flags, env: NodeJS.ProcessEnv = process.env): string {
  const a = flags.agent === undefined ? (env.ROSTER_AGENT ?? DEFAULT_AGENT) : String(flags.agent);
  if (!isHostPort(a) || splitHostPort(a).port < 1) throw new UsageError(`${flags.agent === undefined ? '$ROSTER_AGENT' : '--agent'} must be host:port, got ${JSON.stringify(a)}`);
  return a;
}

/** The Maintenance request of `roster maint enable|disable`. */
export function maintenanceRequest(action: string, flags: Flags): MaintenanceRequest {
  if (action !== 'enable' && action !== 'disable') throw new UsageError(`maint takes enable or disable, got ${JSON.stringify(action)}`);
  const serviceId = flags.service === undefined ? '' : String(flags.service);
  if (flags.service !== undefined && serviceId.trim() === '') throw new UsageError('--service needs a service id');
  if (action === 'disable' && flags.reason !== undefined) throw new UsageError('--reason goes with maint enable');
  return { enable: action === 'enable', serviceId, reason: flags.reason === undefined ? '' : String(flags.reason) };
}

export interface AgentCommand {
  /** "leave", "force-leave", "join", or "maint enable" / "maint disable". */
  readonly name: string;
  /** The positional arguments (force-leave's node, join's address). */
  readonly args: readonly string[];
  readonly flags: Flags;
  readonly json: boolean;
  readonly timeoutMs: number;
}

/** No agent API answers at the address (nothing was sent). */
export class AgentUnreachable extends Error {}

/** One call to the agent at `address` (one address: never sent twice), its failures in words. */
export async function callAgent<M extends 'Leave' | 'Maintenance' | 'ForceLeave' | 'Join' | 'RegisterService'>(address: string, method: M, req: RequestOf<AgentDefinition[M]>, timeoutMs: number, dial: Dialer): Promise<ReplyOf<AgentDefinition[M]>> {
  const endpoints = new Endpoints([address], dial);
  try {
    return await endpoints.unary(agentProto().roster.agent.v1.Agent, method, req, timeoutMs);
  } catch (e) {
    const err = e as grpc.ServiceError;
    // UNAVAILABLE from the agent itself (a join that failed) is its answer, not a missing agent.
    if (err.code === grpc.status.UNAVAILABLE && String(err.details).includes('No connection established')) throw new AgentUnreachable(`no agent API at ${address} (${errorText(err)}); start the agent with --api-addr, or pass --agent HOST:PORT`, { cause: e });
    if (err.code === grpc.status.UNIMPLEMENTED) throw new Error(`the agent at ${address} does not support ${method} (${errorText(err)})`, { cause: e });
    if (err.code === grpc.status.DEADLINE_EXCEEDED) throw new Error(`the agent at ${address} did not answer ${method} within ${timeoutMs} ms`, { cause: e });
    throw new Error(errorText(err), { cause: e });
  } finally {
    endpoints.close();
  }
}

export async function runAgentCommand(c: AgentCommand): Promise<number> {
  const address = agentAddress(c.flags);
  if (c.name === 'leave') {
    await callAgent(address, 'Leave', {}, c.timeoutMs, cliDialer(c.flags));
    console.log(c.json ? JSON.stringify({ agent: address, left: true }) : `the agent at ${address} left the cluster and is stopping`);
    return 0;
  }
  if (c.name === 'force-leave') {
    const node = c.args[0]!;
    await callAgent(address, 'ForceLeave', { node }, c.timeoutMs, cliDialer(c.flags));
    console.log(c.json ? JSON.stringify({ agent: address, node, left: true }) : `${node} is declared left; the leader deregisters its node`);
    return 0;
  }
  if (c.name === 'join') {
    const joinAddress = c.args[0]!;
    await callAgent(address, 'Join', { address: joinAddress }, c.timeoutMs, cliDialer(c.flags));
    console.log(c.json ? JSON.stringify({ agent: address, joined: joinAddress }) : `the agent at ${address} joined through ${joinAddress}`);
    return 0;
  }
  const req = maintenanceRequest(c.name.split(' ')[1] ?? '', c.flags);
  const r = await callAgent(address, 'Maintenance', req, c.timeoutMs, cliDialer(c.flags));
  const what = req.serviceId === '' ? 'node' : `service ${req.serviceId}`;
  if (c.json) console.log(JSON.stringify({ agent: address, enable: req.enable, serviceId: req.serviceId, active: r.active }, null, 2));
  else console.log(`maintenance ${req.enable ? 'enabled' : 'disabled'} for ${what}${r.active.length > 0 ? `; active: ${r.active.join(', ')}` : '; none active'}`);
  return 0;
}
