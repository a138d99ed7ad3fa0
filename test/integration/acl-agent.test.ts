import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aclProto } from '../../src/proto/acl-proto.js';
import { agentProto } from '../../src/proto/agent-proto.js';
import { registryProto } from '../../src/proto/registry-proto.js';
import { eventually, freePort, TestCluster, type AgentProc } from './cluster-harness.js';
import { TokenCalls } from './token-calls.js';


/**
 * Agents under ACLs in deny mode: an agent with an agent token that may write its node and
 * services keeps what applications register with it in the catalog; an agent without one is
 * refused, says so in its log, and nothing of it reaches the catalog but gossip's own view.
 */
describe('agents with and without an agent token, ACLs in deny mode', () => {
  let c: TestCluster;
  let mgmt = '';
  let agentToken = '';
  let withToken: AgentProc;
  let without: AgentProc;
  const apis: string[] = [];

  const calls = new TokenCalls();
  const rpc = <T>(addr: string, Ctor: grpc.ServiceClientConstructor, method: string, req: unknown, token?: string): Promise<T> => calls.call<T>(addr, Ctor, method, req, token);
  const Acl = (): grpc.ServiceClientConstructor => aclProto().roster.acl.v1.Acl as unknown as grpc.ServiceClientConstructor;
  const Agent = (): grpc.ServiceClientConstructor => agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
  const Health = (): grpc.ServiceClientConstructor => registryProto().roster.registry.v1.Health as unknown as grpc.ServiceClientConstructor;
  const instances = async (service: string): Promise<string[]> =>
    (await rpc<{ instances: { node: { name: string } }[] }>(c.servers[0]!.clientAddr, Health(), 'ServiceInstances', { service }, mgmt)).instances.map((i) => i.node.name);

  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 85, extraArgs: ['--acl-enabled', '--acl-default-policy', 'deny'], gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
    const s1 = c.servers[0]!.clientAddr;
    mgmt = (await rpc<{ token: { secretId: string } }>(s1, Acl(), 'Bootstrap', {})).token.secretId;
    await rpc(s1, Acl(), 'PolicyCreate', { name: 'agent-a', rules: 'node "acl-agent-a" { policy = "write" }\nservice_prefix "" { policy = "write" }' }, mgmt);
    agentToken = (await rpc<{ token: { secretId: string } }>(s1, Acl(), 'TokenCreate', { description: 'agent acl-agent-a', policies: [{ name: 'agent-a' }] }, mgmt)).token.secretId;
    for (const host of ['127.0.0.89', '127.0.0.97']) apis.push(`${host}:${await freePort(host)}`);
    withToken = await c.startAgent('acl-agent-a', '127.0.0.89', ['--api-addr', apis[0]!, '--acl-agent-token', agentToken, '--acl-enabled']);
    without = await c.startAgent('acl-agent-b', '127.0.0.97', ['--api-addr', apis[1]!]);
  }, 90_000);
  afterAll(async () => {
    calls.close();
    await c?.destroy();
  });

  it('syncs with its agent token and is refused without one', async () => {
    await rpc(apis[0]!, Agent(), 'RegisterService', { service: { name: 'pay', port: 8080 } }, agentToken);
    await rpc(apis[1]!, Agent(), 'RegisterService', { service: { name: 'pay-b', port: 8080 } });
    await eventually('pay in the catalog from acl-agent-a', async () => ((await instances('pay')).includes('acl-agent-a') ? true : undefined), 20_000);
    await eventually('acl-agent-b logs the refusal', async () => (without.log.some((l) => l.includes('anti-entropy sync failed') && l.includes('permission denied')) ? true : undefined), 20_000);
    expect(await instances('pay-b')).toEqual([]);
    expect(withToken.log.some((l) => l.includes('permission denied'))).toBe(false);
  });

  it('checks calls on the local API of an agent with --acl-enabled against the caller\'s token', async () => {
    const anonymous = await rpc(apis[0]!, Agent(), 'RegisterService', { service: { name: 'sneaky', port: 1 } }).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(anonymous?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(anonymous?.details).toContain('service:write on sneaky');
    const bad = await rpc(apis[0]!, Agent(), 'Services', {}, 'not-a-token').then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(bad?.code).toBe(grpc.status.UNAUTHENTICATED);
    // Leaving needs agent:write on the agent's node, which the agent token lacks.
    const leave = await rpc(apis[0]!, Agent(), 'Leave', {}, agentToken).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(leave?.details).toContain('agent:write on acl-agent-a');
    await rpc(apis[0]!, Agent(), 'Maintenance', { enable: true, serviceId: 'pay', reason: 'test' }, agentToken);
  });
});
