import type { GossipKeyring } from '../../transport/gossip-keyring.js';
import type { KeyringAnswer, KeyringAsk } from '../../transport/gossip-keyring-wire.js';
import type { Logger } from '../../util/logger.js';

/**
 * One member's part of a keyring operation: applies it to its keyring, keeps the result (the
 * keyring file), and answers with the fingerprints it holds now. A change that cannot be kept is
 * undone and answered as an error, so a member never runs with keys its next start would not have.
 * Operations are applied one at a time (a second waits for the first's file write).
 */
export class KeyringMember {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly keyring: GossipKeyring | undefined,
    private readonly persist: (keys: readonly Uint8Array[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  apply(ask: KeyringAsk, asker: string): Promise<KeyringAnswer> {
    const run = this.queue.then(() => this.applyNow(ask, asker));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async applyNow(ask: KeyringAsk, asker: string): Promise<KeyringAnswer> {
    const k = this.keyring;
    if (k === undefined) return { ok: false, error: 'gossip encryption is not enabled on this member', fingerprints: [], primary: '' };
    const answer = (ok: boolean, error = ''): KeyringAnswer => ({ ok, error, fingerprints: k.fingerprints(), primary: k.fingerprints()[0] ?? '' });
    if (ask.operation === 'list') return answer(true);
    const before = [...k.keys];
    try {
      if (ask.operation === 'install') k.install(ask.key);
      else if (ask.operation === 'use') k.use(ask.key);
      else k.remove(ask.key);
    } catch (err) {
      return answer(false, err instanceof Error ? err.message : String(err));
    }
    const changed = before.length !== k.keys.length || before.some((key, i) => Buffer.compare(key, k.keys[i]!) !== 0);
    if (!changed) return answer(true);
    try {
      await this.persist(k.keys);
    } catch (err) {
      k.replaceAll(before);
      this.logger.warn('gossip keyring change not kept: the keyring file could not be written, the change is undone', { operation: ask.operation, asker, error: err instanceof Error ? err.message : String(err) });
      return answer(false, `the keyring file could not be written: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Fingerprints only: never a key in a log.
    this.logger.info('gossip keyring changed', { operation: ask.operation, asker, keys: k.keys.length, primary: k.fingerprints()[0] });
    return answer(true);
  }
}
