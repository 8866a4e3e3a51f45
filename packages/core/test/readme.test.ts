// The README's first example is run, so the docs cannot drift from the code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

test('the README example runs against the built package', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const dist = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
  const file = join(mkdtempSync(join(tmpdir(), 'core-readme-')), 'example.mjs');
  writeFileSync(
    file,
    `${example?.replaceAll("'@sessions/core'", `'${dist}'`)}\nconsole.log('ok');\n`,
  );
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('ok');
});
