import type { FlagValues } from '../flags/flags.js';

/**
 * The tokens an agent presents to the servers (Consul's acl.tokens): `agent` for the agent's
 * own work (its node, its services' and checks' sync by anti-entropy), `default` for what it
 * forwards or asks on behalf of an application that sent no token of its own.
 */
export interface AgentTokens {
  readonly agent?: string;
  readonly default?: string;
}

export const ACL_TOKEN_FLAGS = {
  'acl-agent-token': { kind: 'string', help: "an agent: the token of its own catalog writes (its node, anti-entropy); needs node:write on this node and service:write on its services (Consul's acl.tokens.agent)" },
  'acl-token': { kind: 'string', help: "an agent: the token sent for applications that send none (Consul's acl.tokens.default; default: none, the anonymous token)" },
} as const;

export function agentTokensFrom(f: FlagValues): AgentTokens {
  const pick = (flag: string): string | undefined => (typeof f[flag] === 'string' && f[flag] !== '' ? f[flag] : undefined);
  const agent = pick('acl-agent-token');
  const fallback = pick('acl-token');
  return { ...(agent === undefined ? {} : { agent }), ...(fallback === undefined ? {} : { default: fallback }) };
}
