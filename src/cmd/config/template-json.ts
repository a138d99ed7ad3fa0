import { z } from 'zod';
import { expecting, jsonString, keyedObject } from './json-schemas.js';

/**
 * A template in a config file (`templates`: the agent renders them, as `roster template` does):
 * the shape only; the values are checked by config-templates.ts.
 */
export const TEMPLATE_JSON = keyedObject('a template', {
  source: jsonString,
  destination: jsonString,
  command: jsonString.optional(),
  command_timeout: jsonString.optional(),
  wait: jsonString.optional(),
  allow_empty: z.boolean(expecting('true or false')).optional(),
  perms: jsonString.optional(),
});

export type TemplateJson = z.infer<typeof TEMPLATE_JSON>;
