// The README's quick start, run as written (only the package import points at the source).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { mongoUrl, serverInfo } from './support.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** The first ```ts block after a heading. */
function codeAfter(heading: string): string {
  const section = readme.slice(readme.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no ts block after ${heading}`);
  return match[1];
}

describe.skipIf(!mongoUrl)('README', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sessions-mongodb-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the quick start runs and prints what its comments say', async () => {
    const code = codeAfter('## Quick start').replace(
      "from '@sessions/mongodb'",
      `from ${JSON.stringify(pathToFileURL(source).href)}`,
    );
    expect(code).toContain('new MongoStore');
    const file = join(dir, 'quick-start.ts');
    writeFileSync(file, code);
    process.env.MONGODB_URL = `${mongoUrl}`;
    process.env.SESSIONS_EXPIRY_MODE = serverInfo?.expiryMode;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(pathToFileURL(file).href);
      expect(log.mock.calls).toEqual([[{ cart: ['sku-1'] }, true], [1], [1]]);
    } finally {
      log.mockRestore();
    }
  });
});
