// Docs that drift from code are worse than none: every adapter's tested recipe
// (packages/<adapter>/examples/recipe.ts, run by its own test/recipe.test.ts) must appear
// verbatim in its package README and in the root README (`pnpm docs:recipes` syncs the root).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const withRecipes = readdirSync(join(root, 'packages')).filter((name) =>
  existsSync(join(root, 'packages', name, 'examples', 'recipe.ts')),
);

test('the adapters have recipes', () => {
  expect(withRecipes).toEqual(expect.arrayContaining(['express', 'fastify', 'hono']));
});

test.each(
  withRecipes.flatMap((name) => [
    [`packages/${name}/README.md`, name],
    ['README.md', name],
  ]),
)('%s embeds packages/%s/examples/recipe.ts verbatim', (readme, name) => {
  const recipe = readFileSync(join(root, 'packages', name, 'examples', 'recipe.ts'), 'utf8');
  expect(readFileSync(join(root, readme), 'utf8')).toContain(recipe);
});
