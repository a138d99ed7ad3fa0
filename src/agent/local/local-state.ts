/** What a client agent holds for its own node: the source of truth for its services and checks. */

export type LocalStatus = 'passing' | 'warning' | 'critical';

export interface LocalService {
  readonly id: string;
  readonly name: string;
  readonly port: number;
  readonly address: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  /** DNS SRV weights (Consul's Weights); absent: 1 and 1. */
  readonly weights?: { readonly passing: number; readonly warning: number };
}

export interface LocalCheck {
  readonly id: string;
  readonly name: string;
  /** Empty for a node-level check. */
  readonly serviceId: string;
  /** 'maintenance': the critical check that maintenance mode adds; nothing runs it. */
  readonly type: 'http' | 'tcp' | 'grpc' | 'ttl' | 'command' | 'maintenance';
  status: LocalStatus;
  output: string;
}

/**
 * The agent's own services and checks: anti-entropy compares them with the
 * catalog and makes the catalog agree; a change here asks for a sync soon.
 */
export class LocalState {
  private readonly services = new Map<string, LocalService>();
  private readonly checks = new Map<string, LocalCheck>();
  private readonly listeners: (() => void)[] = [];
  /**
   * The ACL token each service was registered with, as Consul keeps it: anti-entropy registers
   * and deregisters the service with it. Kept after the service is removed, until its
   * deregistration has reached the catalog (forgetServiceToken).
   */
  private readonly tokens = new Map<string, string>();

  onChange(l: () => void): void {
    this.listeners.push(l);
  }

  /** Adds or replaces a service with its checks; a maintenance check on it stays. */
  addService(s: LocalService, checks: readonly LocalCheck[]): void {
    for (const c of this.checks.values()) if (c.serviceId === s.id && c.type !== 'maintenance' && !checks.some((n) => n.id === c.id)) this.checks.delete(c.id);
    this.services.set(s.id, s);
    for (const c of checks) this.checks.set(c.id, { ...c, serviceId: s.id });
    this.changed();
  }

  /** Sets (or with undefined clears) the token service `id` is synced with. */
  setServiceToken(id: string, token: string | undefined): void {
    if (token === undefined || token === '') this.tokens.delete(id);
    else this.tokens.set(id, token);
  }

  serviceToken(id: string): string | undefined {
    return this.tokens.get(id);
  }

  /** The service's deregistration reached the catalog: its token is no longer needed (unless it came back). */
  forgetServiceToken(id: string): void {
    if (!this.services.has(id)) this.tokens.delete(id);
  }

  /** Every service token, for the agent's state file. */
  serviceTokens(): Record<string, string> {
    return Object.fromEntries(this.tokens);
  }

  removeService(id: string): boolean {
    if (!this.services.delete(id)) return false;
    for (const c of [...this.checks.values()]) if (c.serviceId === id) this.checks.delete(c.id);
    this.changed();
    return true;
  }

  /** Adds or replaces a check of its own (a node-level check has serviceId ''). */
  putCheck(c: LocalCheck): void {
    this.checks.set(c.id, { ...c });
    this.changed();
  }

  removeCheck(id: string): boolean {
    if (!this.checks.delete(id)) return false;
    this.changed();
    return true;
  }

  /** Checks on the node itself, not on a service (node maintenance). */
  nodeChecks(): LocalCheck[] {
    return this.checksOf('');
  }

  /** A check's new status (from its runner or a TTL update); false if there is no such check. */
  setCheck(id: string, status: LocalStatus, output: string): boolean {
    const c = this.checks.get(id);
    if (c === undefined) return false;
    if (c.status === status && c.output === output) return true;
    c.status = status;
    c.output = output;
    this.changed();
    return true;
  }

  service(id: string): LocalService | undefined {
    return this.services.get(id);
  }

  allServices(): LocalService[] {
    return [...this.services.values()];
  }

  checksOf(serviceId: string): LocalCheck[] {
    return [...this.checks.values()].filter((c) => c.serviceId === serviceId);
  }

  check(id: string): LocalCheck | undefined {
    return this.checks.get(id);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
