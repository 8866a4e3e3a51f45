import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMPLATE_FILES } from './generate.js';

/** Where the template files live: tooling/scaffold/templates. */
export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');

/**
 * Read every template {@link TEMPLATE_FILES} names, keyed by its path.
 *
 * @example
 * ```ts
 * const files = planStore('postgres', loadTemplates());
 * ```
 */
export function loadTemplates(dir = TEMPLATES_DIR): Record<string, string> {
  const templates: Record<string, string> = {};
  for (const { template } of TEMPLATE_FILES) {
    templates[template] = readFileSync(join(dir, template), 'utf8');
  }
  return templates;
}
