// The README's quick start is examples/quick-start.ts, verbatim, and it runs: as a user would
// run it, against the built package.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const example = fileURLToPath(new URL('../examples/quick-start.ts', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  test('embeds examples/quick-start.ts verbatim', () => {
    expect(readme).toContain(`\`\`\`ts\n${readFileSync(example, 'utf8')}\`\`\``);
  });

  test('the quick start runs and prints what the README says', () => {
    const output = execFileSync(`${packageDir}node_modules/.bin/tsx`, [example], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    const printed = /```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(printed).toContain('session.store.get ok');
    expect(output).toBe(printed);
  }, 30_000);
});
