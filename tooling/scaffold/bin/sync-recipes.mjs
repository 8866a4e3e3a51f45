#!/usr/bin/env node
// `pnpm docs:recipes`: copy each adapter's tested recipe (packages/<adapter>/examples/recipe.ts)
// into the root README between the recipes markers, and into the first ```ts block under the
// adapter README's "## Quick start". The adapters' readme tests fail when the
// README and the recipe files disagree; this puts them back in step.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const adapters = [
  [
    'express',
    'Express (express-session)',
    "`createApp(new SqliteStore({ database: 'sessions.db' }))`",
  ],
  [
    'fastify',
    'Fastify (@fastify/session)',
    "`await createApp(new SqliteStore({ database: 'sessions.db' }))`",
  ],
  ['hono', 'Hono (and any Web-standard Request/Response server)', undefined],
];

const parts = [];
for (const [name, title, start] of adapters) {
  const file = join(root, 'packages', name, 'examples', 'recipe.ts');
  if (!existsSync(file)) continue;
  const recipe = readFileSync(file, 'utf8');
  const own = join(root, 'packages', name, 'README.md');
  const ownText = readFileSync(own, 'utf8');
  const synced = ownText.replace(
    /(## Quick start[\s\S]*?```ts\n)[\s\S]*?(```)/,
    (_, head, tail) => `${head}${recipe}${tail}`,
  );
  if (synced === ownText && !ownText.includes(recipe))
    throw new Error(`${own} has no ts block under "## Quick start"`);
  writeFileSync(own, synced);
  const how = start ? `; start it with ${start}` : '';
  parts.push(
    `### ${title}\n\n\`packages/${name}/examples/recipe.ts\`, run by its package's \`test/recipe.test.ts\`${how}.\n\n\`\`\`ts\n${recipe}\`\`\`\n`,
  );
}
const section = `<!-- recipes:begin -->\n## Framework recipes\n\nEach recipe below is a file in the repository that a test runs, and a test checks that this\nREADME embeds it verbatim.\n\n${parts.join('\n')}<!-- recipes:end -->`;
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = readme.replace(/<!-- recipes:begin -->[\s\S]*<!-- recipes:end -->/, () => section);
if (updated === readme && !readme.includes(section))
  throw new Error('README.md has no recipes markers');
writeFileSync(readmePath, updated);
console.log(`README.md: ${parts.length} recipes`);
