import type { Dialer } from '../client/dialer.js';
import { Endpoints } from '../client/endpoints.js';
import type { Logger } from '../util/logger.js';
import { TemplateRunner, type TemplateSpec } from './template-runner.js';

export interface RunningTemplates {
  stop(): void;
}

/**
 * The agent's `templates` (config files): each kept rendered by a TemplateRunner reading through
 * the agent's own API address, which forwards to the servers, as an application on the host
 * would. A template file that cannot be read stops the agent at startup, named; anything later
 * is the runner's to log and retry.
 */
export async function startTemplates(specs: readonly TemplateSpec[], o: { readonly apiAddr: string; readonly dial: Dialer; readonly logger: Logger }): Promise<RunningTemplates> {
  if (specs.length === 0) return { stop: () => undefined };
  const endpoints = new Endpoints([o.apiAddr], o.dial);
  const runners = specs.map((spec) => new TemplateRunner(spec, { endpoints, logger: o.logger }));
  try {
    for (const r of runners) await r.start();
  } catch (err) {
    for (const r of runners) r.stop();
    endpoints.close();
    throw err;
  }
  o.logger.info('templates: rendering', { templates: specs.map((s) => `${s.source} -> ${s.destination}`) });
  return {
    stop: () => {
      for (const r of runners) r.stop();
      endpoints.close();
    },
  };
}
