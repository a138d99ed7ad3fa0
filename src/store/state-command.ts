import type { AclCommand, AclResponse } from './acl/commands.js';
import type { KvCommand, KvCommandResponse } from './kv/command.js';
import type { RegistryCommand, RegistryResponse } from './registry/commands.js';

/** Everything a client write can be, as applied to a server's state: etcd's KV, the registry, the ACL tables. */
export type StateCommand = KvCommand | RegistryCommand | AclCommand;

/** What applying a StateCommand answers; undefined for entries without a command. */
export type StateResponse = KvCommandResponse | RegistryResponse | AclResponse;
