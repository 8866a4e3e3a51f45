// TypeDoc plugin: name each entry point's module after the import specifier a user writes
// (`@sessions/core/kit`), not after its path in this repository (`core/src/kit`), and refuse a
// package that `packagesRequiringDocumentation` does not list: TypeDoc would skip its
// undocumented members without a word.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

/** The name and directory of the package.json closest above `file`. */
function packageOf(file) {
  let dir = dirname(file);
  for (;;) {
    try {
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name, dir };
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

/** `packages/core/src/kit/index.ts` → `@sessions/core/kit`; `src/index.ts` → the package name. */
function specifierOf(file, pkg) {
  const subpath = relative(join(pkg.dir, 'src'), file)
    .replaceAll('\\', '/')
    .replace(/(^|\/)index\.[cm]?tsx?$/, '')
    .replace(/\.[cm]?tsx?$/, '');
  return subpath ? `${pkg.name}/${subpath}` : pkg.name;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    const pkg = file && packageOf(file);
    if (!pkg) return;
    reflection.name = specifierOf(file, pkg);
    if (!app.options.getValue('packagesRequiringDocumentation').includes(pkg.name)) {
      app.logger.warn(`${pkg.name} is documented but not in packagesRequiringDocumentation`);
    }
  });
}
