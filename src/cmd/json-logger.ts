import pino from 'pino';
import type { Logger } from '../util/logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured logs through pino: one JSON object per line on stderr with an ISO time, the level
 * as a word, the member's name and the message. Writes are synchronous so the last lines before
 * an exit (a refused config, a fatal storage error) are never lost; at info level a server logs
 * a few lines a minute, so this costs nothing measurable.
 */
export function jsonLogger(name: string, level: LogLevel): Logger {
  const log = pino(
    {
      level,
      base: { node: name },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
  return {
    debug: (m, f) => log.debug(f ?? {}, m),
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
  };
}
