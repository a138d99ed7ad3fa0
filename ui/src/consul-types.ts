/** The parts of Consul's JSON answers (the agent's HTTP API) the views read. */

export interface UiCheck {
  readonly Node: string;
  readonly CheckID: string;
  readonly Name: string;
  readonly Status: string;
  readonly Notes: string;
  readonly Output: string;
  readonly ServiceID: string;
  readonly ServiceName: string;
  readonly Type: string;
}

export interface KvEntry {
  readonly Key: string;
  readonly Value: string | null;
  readonly Flags: number;
  readonly Session?: string;
  readonly LockIndex: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

export interface SessionEntry {
  readonly ID: string;
  readonly Name: string;
  readonly Node: string;
  readonly NodeChecks?: string[];
  readonly ServiceChecks?: { ID: string }[];
  readonly Checks?: string[];
  readonly TTL: string;
  readonly Behavior: string;
  readonly LockDelay: number;
  readonly CreateIndex: number;
}
