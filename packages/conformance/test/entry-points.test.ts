// The published entry points as a consumer loads them: the built files, from CommonJS and ESM.
// The main entry must load without vitest (CommonJS users and runChecks users have none).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function node(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

test('require("@sessions/conformance") works from CommonJS and does not load vitest', () => {
  const out = node([
    '-e',
    `const c = require('@sessions/conformance');
     const loaded = Object.keys(require.cache).some((f) => /[\\\\/]vitest[\\\\/]/.test(f));
     console.log(JSON.stringify({ checks: c.checks.length, run: typeof c.runChecks, clock: typeof c.FakeClock, raw: typeof c.memoryRaw, loaded }));`,
  ]);
  expect(JSON.parse(out)).toEqual({
    checks: expect.any(Number),
    run: 'function',
    clock: 'function',
    raw: 'function',
    loaded: false,
  });
  expect(JSON.parse(out).checks).toBeGreaterThanOrEqual(60);
});

test('import("@sessions/conformance") works from ESM', () => {
  const out = node([
    '--input-type=module',
    '-e',
    `const c = await import('@sessions/conformance'); console.log(c.checks.length, typeof c.describeStore);`,
  ]);
  const [count, describeStore] = out.trim().split(' ');
  expect(Number(count)).toBeGreaterThanOrEqual(60);
  expect(describeStore).toBe('undefined');
});

test('@sessions/conformance/vitest is ESM only: require() is refused by the exports map', () => {
  expect(existsSync(join(packageDir, 'dist/vitest.cjs'))).toBe(false);
  const out = node([
    '-e',
    `try { require('@sessions/conformance/vitest'); console.log('loaded'); }
     catch (err) { console.log(err.code); }`,
  ]);
  expect(out.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
});

test('the vitest entry shares the suite with the main entry instead of bundling a copy', () => {
  const esm = readdirSync(join(packageDir, 'dist')).filter((file) => file.endsWith('.js'));
  // A string only the checks hold: it must be in one shared chunk, not in each entry.
  const holders = esm.filter((file) =>
    readFileSync(join(packageDir, 'dist', file), 'utf8').includes('get of a key never written'),
  );
  expect(holders).toHaveLength(1);
  expect(holders[0]).not.toMatch(/^(index|vitest)\.js$/);
  expect(statSync(join(packageDir, 'dist/vitest.js')).size).toBeLessThan(5_000);
});

test('vitest is an optional peer dependency: runChecks users need not install it', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  expect(manifest.peerDependencies).toHaveProperty('vitest');
  expect(manifest.peerDependenciesMeta).toEqual({ vitest: { optional: true } });
  expect(manifest.dependencies ?? {}).not.toHaveProperty('vitest');
});
