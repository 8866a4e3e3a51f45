/**
 * Run a README's quick start as written, so the docs cannot drift from the code: the first
 * ```ts block after a heading is written to a scratch file, its package import pointed at the
 * package's source, and imported (inside the test process, so vitest compiles it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What {@link runReadmeExample} needs to know. */
export interface ReadmeExample {
  /** The package folder (holding README.md and src/index.ts), e.g. `new URL('..', import.meta.url)`. */
  packageDir: URL;
  /** The package name the example imports, e.g. `@sessions/redis`. */
  packageName: string;
  /** The heading the example follows (default `## Quick start`). */
  heading?: string;
}

/** The first ```ts block after `heading` in `markdown`. */
export function codeAfter(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const match = /```ts\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (!match?.[1]) throw new Error(`no ts block after "${heading}"`);
  return match[1];
}

/**
 * Run the example and resolve to its source (so a test can check what it shows). Set the
 * environment variables it reads before calling.
 */
export async function runReadmeExample(example: ReadmeExample): Promise<string> {
  const readme = readFileSync(fileURLToPath(new URL('README.md', example.packageDir)), 'utf8');
  const source = pathToFileURL(fileURLToPath(new URL('src/index.ts', example.packageDir))).href;
  const code = codeAfter(readme, example.heading ?? '## Quick start').replaceAll(
    `from '${example.packageName}'`,
    `from ${JSON.stringify(source)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sessions-readme-'));
  try {
    const file = join(dir, 'example.ts');
    writeFileSync(file, code);
    await import(pathToFileURL(file).href);
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
