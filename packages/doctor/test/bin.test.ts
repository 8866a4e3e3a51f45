// The installed command: the file package.json's `bin` names runs the built CLI (so `pnpm test`
// after `pnpm build` proves what `npx sessions-doctor` runs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('the bin prints the usage with --help and exits 0', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  const bin = manifest.bin['sessions-doctor'];
  expect(bin).toBeDefined();
  const out = execFileSync(process.execPath, [join(root, bin as string), '--help'], {
    encoding: 'utf8',
  });
  expect(out).toContain('Usage: sessions-doctor');
});
