import type { MemberView } from '../../gossip/member-table.js';
import type { KeyringAnswer, KeyringAsk } from '../../transport/gossip-keyring-wire.js';

/** One member's part of the outcome. */
export interface MemberKeyringAnswer extends KeyringAnswer {
  readonly name: string;
}

export interface KeyCount {
  readonly fingerprint: string;
  readonly installed: number;
  readonly primary: number;
}

/** What a keyring operation came to across the pool: asked, confirmed, each answer, the keys. */
export interface KeyringOutcome {
  readonly members: number;
  readonly answered: number;
  readonly answers: readonly MemberKeyringAnswer[];
  readonly keys: readonly KeyCount[];
}

export interface KeyringFanoutDeps {
  readonly self: string;
  readonly members: () => readonly MemberView[];
  /** This member's own part (no network). */
  readonly local: (ask: KeyringAsk) => Promise<KeyringAnswer>;
  /** Another member's, over gossip's TCP (encrypted). */
  readonly remote: (member: MemberView, ask: KeyringAsk) => Promise<KeyringAnswer>;
  /** How long one member may take to answer. */
  readonly timeoutMs: number;
  /** Members asked at once (each is one TCP connection). */
  readonly concurrency: number;
}

export const KEYRING_FANOUT_DEFAULTS = { timeoutMs: 5000, concurrency: 32 } as const;

/**
 * Carries out a keyring operation on every member this one sees alive or suspect (a suspect may
 * well be alive, and one left without the new key would be cut off), itself last: until then
 * it sends under the primary key every member holds, whatever the operation changes. Members
 * that are dead or left are not asked; each of the others either confirms or is an error in the
 * outcome, so the caller can tell "done everywhere" from anything less.
 */
export async function runKeyringOperation(d: KeyringFanoutDeps, ask: KeyringAsk): Promise<KeyringOutcome> {
  const others = d.members().filter((m) => m.name !== d.self && (m.state === 'alive' || m.state === 'suspect'));
  const answers: MemberKeyringAnswer[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < others.length) {
      const m = others[next++]!;
      answers.push({ name: m.name, ...(await answerOf(() => d.remote(m, ask), d.timeoutMs)) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(d.concurrency, others.length) }, worker));
  answers.push({ name: d.self, ...(await answerOf(() => d.local(ask), d.timeoutMs)) });
  answers.sort((a, b) => a.name.localeCompare(b.name));
  return { members: answers.length, answered: answers.filter((a) => a.ok).length, answers, keys: countKeys(answers) };
}

async function answerOf(ask: () => Promise<KeyringAnswer>, timeoutMs: number): Promise<KeyringAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<KeyringAnswer>((resolve) => {
    timer = setTimeout(() => resolve(failed(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([ask().catch((err: unknown) => failed(err instanceof Error ? err.message : String(err))), late]);
  } finally {
    clearTimeout(timer);
  }
}

function failed(error: string): KeyringAnswer {
  return { ok: false, error, fingerprints: [], primary: '' };
}

/** Per key: how many members hold it and how many encrypt with it, most held first. */
function countKeys(answers: readonly MemberKeyringAnswer[]): KeyCount[] {
  const counts = new Map<string, { installed: number; primary: number }>();
  for (const a of answers) {
    for (const f of a.fingerprints) {
      const c = counts.get(f) ?? { installed: 0, primary: 0 };
      c.installed++;
      if (f === a.primary) c.primary++;
      counts.set(f, c);
    }
  }
  return [...counts.entries()].map(([fingerprint, c]) => ({ fingerprint, ...c })).sort((a, b) => b.primary - a.primary || b.installed - a.installed || a.fingerprint.localeCompare(b.fingerprint));
}
