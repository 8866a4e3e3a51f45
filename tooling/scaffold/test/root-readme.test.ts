// The root README's quick start is run, so the first code a newcomer reads cannot rot.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

test('the quick start runs against the built @sessions/core', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(example).toContain("from '@sessions/core'");
  const dist = pathToFileURL(join(root, 'packages', 'core', 'dist', 'index.js')).href;
  const file = join(mkdtempSync(join(tmpdir(), 'root-readme-')), 'quick-start.mjs');
  writeFileSync(
    file,
    `${example?.replaceAll("'@sessions/core'", `'${dist}'`)}\nconsole.log('ok');\n`,
  );
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
  expect(run.stderr).toBe('');
  expect(run.stdout.trim()).toBe('ok');
});
