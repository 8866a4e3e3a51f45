// The README's quick start is examples/quick-start.ts, verbatim, and it runs: as a user would
// run it, from a fresh directory, against the built package.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { createTableSql } from '../src/index.js';
import { tempDatabase } from './support/temp-db.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const example = fileURLToPath(new URL('../examples/quick-start.ts', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const temp = tempDatabase();
afterAll(() => temp.cleanup());

describe('README', () => {
  test('embeds examples/quick-start.ts verbatim', () => {
    expect(readme).toContain(`\`\`\`ts\n${readFileSync(example, 'utf8')}\`\`\``);
  });

  test('shows the table layout the store really creates', () => {
    expect(readme).toContain(createTableSql('sessions'));
  });

  test('the quick start runs and prints what its comments say', () => {
    const tsx = `${packageDir}node_modules/.bin/tsx`;
    const output = execFileSync(tsx, [example], {
      cwd: temp.dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(output).toBe("{ cart: [ 'sku-1' ] } true\n1\n");
  }, 30_000);
});
