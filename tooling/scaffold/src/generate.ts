/**
 * Store generation as a pure function: a name and the template texts in, a map of files out.
 * Reading templates and writing files live elsewhere (templates.ts, write.ts), so this is
 * testable without a disk.
 */
import { pascalCase } from './names.js';

/** One generated file: which template renders it, and where it goes (relative to the root). */
export interface TemplateFile {
  template: string;
  target: string;
}

/** Every file of a new store package, plus its changeset. Targets may use placeholders. */
export const TEMPLATE_FILES: readonly TemplateFile[] = [
  { template: 'package.json.tpl', target: 'packages/{{name}}/package.json' },
  { template: 'tsconfig.json.tpl', target: 'packages/{{name}}/tsconfig.json' },
  { template: 'tsup.config.ts.tpl', target: 'packages/{{name}}/tsup.config.ts' },
  { template: 'vitest.config.ts.tpl', target: 'packages/{{name}}/vitest.config.ts' },
  { template: 'README.md.tpl', target: 'packages/{{name}}/README.md' },
  { template: 'LICENSE.tpl', target: 'packages/{{name}}/LICENSE' },
  { template: 'src/index.ts.tpl', target: 'packages/{{name}}/src/index.ts' },
  { template: 'src/options.ts.tpl', target: 'packages/{{name}}/src/options.ts' },
  { template: 'src/store.ts.tpl', target: 'packages/{{name}}/src/{{name}}-store.ts' },
  { template: 'src/driver.ts.tpl', target: 'packages/{{name}}/src/{{name}}-driver.ts' },
  {
    template: 'test/conformance.test.ts.tpl',
    target: 'packages/{{name}}/test/conformance.test.ts',
  },
  { template: 'changeset.md.tpl', target: '.changeset/{{name}}-initial.md' },
];

/** The values templates may use: `{{name}}` (e.g. `cloudflare-kv`), `{{Name}}` (`CloudflareKv`). */
export type TemplateVars = Readonly<Record<'name' | 'Name', string>>;

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * Replace every `{{var}}` in `text`. An unknown placeholder throws, so a typo in a template
 * fails the scaffold's tests instead of landing in a contributor's package.
 */
export function render(text: string, vars: TemplateVars): string {
  return text.replace(PLACEHOLDER, (match, key: string) => {
    if (!Object.hasOwn(vars, key)) throw new Error(`unknown template placeholder ${match}`);
    return vars[key as keyof TemplateVars];
  });
}

/**
 * The files of a new store package: target path (relative to the workspace root) → content.
 * The name must already be valid (see `validateStoreName`).
 *
 * @param templates - template path (as in {@link TEMPLATE_FILES}) → template text.
 * @example
 * ```ts
 * const files = planStore('postgres', loadTemplates());
 * files.get('packages/postgres/src/postgres-driver.ts'); // "... class PostgresDriver implements StoreDriver ..."
 * ```
 */
export function planStore(
  name: string,
  templates: Readonly<Record<string, string>>,
): Map<string, string> {
  const vars: TemplateVars = { name, Name: pascalCase(name) };
  const files = new Map<string, string>();
  for (const { template, target } of TEMPLATE_FILES) {
    const text = templates[template];
    if (text === undefined) throw new Error(`missing template ${template}`);
    files.set(render(target, vars), render(text, vars));
  }
  return files;
}
