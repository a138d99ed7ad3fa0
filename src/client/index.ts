/** Roster's TypeScript SDK: register, discover, call, lock. */
export { RosterClient, type CallOptions, type RosterClientOptions } from './roster-client.js';
export { Registration, type Lifetime, type NodeDefinition, type ServiceDefinition } from './registration.js';
export { ServiceCache, type DiscoverOptions } from './service-cache.js';
export { Lock, LeaderElection, type LockOptions } from './lock.js';
export { invokeOn, type FailMode, type InvokeOptions } from './invoke.js';
export { ConsistentHashSelector, LeastLoadedSelector, RandomSelector, RoundRobinSelector, WeightedSelector, selectorOf, type Selector, type SelectorName } from './selectors.js';
export { LoadMeter, LOAD_META, type LoadFigures, type LoadMeterOptions } from './load-meter.js';
export { WatchMux, type WatchHandlers, type WatchTarget } from './watch-mux.js';
export { Endpoints } from './endpoints.js';
export { AclClient, type AclPolicy, type AclToken, type PolicyFields, type PolicyRef, type TokenFields } from './acl-client.js';
export { PLAINTEXT, tlsDialer, type ClientTls, type Dialer } from './dialer.js';
export type { Check, HealthStatus, Instance } from './types.js';
