// Docs that drift from code are worse than none: the READMEs embed the tested recipe verbatim.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const here = join(import.meta.dirname, '..');
const recipe = readFileSync(join(here, 'examples', 'recipe.ts'), 'utf8');

test.each([
  ['the package README', join(here, 'README.md')],
  ['the root README', join(here, '..', '..', 'README.md')],
])('%s embeds examples/recipe.ts verbatim', (_name, file) => {
  expect(readFileSync(file, 'utf8')).toContain(recipe);
});
