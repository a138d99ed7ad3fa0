import type { TlsSource } from '../tls/tls-source.js';
import { secondsUntilExpiry } from '../tls/tls-material.js';
import type { Logger } from '../util/logger.js';

/** Warn this long before the certificate in force expires (and at every check after). */
export const EXPIRY_WARNING_SECONDS = 30 * 86_400;
const CHECK_EVERY_MS = 3_600_000;

/**
 * What keeps an agent's TLS current while it runs: SIGHUP reloads the certificates and CA from
 * their files (a reload that fails keeps the ones in force, and says why), and a check every hour
 * warns once the certificate expires within 30 days.
 */
export function runTls(source: TlsSource | undefined, logger: Logger): { stop(): void } {
  if (source === undefined) {
    // SIGHUP would otherwise end the process (Node's default): an operator's reload must not.
    const nothing = (): void => logger.info('SIGHUP: TLS is off, nothing to reload');
    process.on('SIGHUP', nothing);
    return { stop: () => void process.off('SIGHUP', nothing) };
  }
  const warnIfExpiring = (): void => {
    const leaf = source.leaf;
    if (leaf === undefined) return;
    const left = secondsUntilExpiry(leaf);
    if (left < EXPIRY_WARNING_SECONDS) logger.warn('TLS: this member\'s certificate expires soon: make a new one (roster tls cert create), put it in place and send SIGHUP', { certFile: source.settings.certFile, expires: leaf.validTo, daysLeft: Math.floor(left / 86_400) });
  };
  const reload = (): void => {
    try {
      source.reload();
      logger.info('TLS: reloaded the certificates (new connections use them; open ones stay)', { certFile: source.settings.certFile, expires: source.leaf?.validTo });
      warnIfExpiring();
    } catch (err) {
      logger.error('TLS: reload failed; keeping the certificates in force', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  warnIfExpiring();
  process.on('SIGHUP', reload);
  const timer = setInterval(warnIfExpiring, CHECK_EVERY_MS);
  timer.unref();
  return {
    stop: () => {
      process.off('SIGHUP', reload);
      clearInterval(timer);
    },
  };
}
